"""How is the offline Symbl-compatible server run? ``sandbox serve``: flags and variables
checked, engines checked, then serving in the foreground with one log line per request;
``sandbox worker``: the same engines, running jobs from a shared database."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from symbl_media.cli.engine_flags import engine_flags, settings_from_flags
from symbl_media.cli.options import SecretOnCommandLine, secret_options
from symbl_media.contract.endpoints import JOB_WAIT_MAX
from symbl_media.server.config import LEASE_SECONDS  # a light module: the settings' defaults


@click.group()
def command() -> None:
    """The offline Symbl-compatible server (see docs/sandbox.md)."""


command.name = "sandbox"


def _default_data_dir() -> Path:
    from symbl_media.paths import user_dir

    return user_dir("XDG_DATA_HOME", "sandbox")


def database_options(fn):
    """``--database`` and ``--database-password-file``, the same for serve and worker."""
    fn = click.option("--database-password-file", "database_password", metavar="FILE",
                      callback=lambda ctx, param, value: _password_from_file(value),
                      help="Read the database password from FILE (its one line).")(fn)
    return click.option(
        "--database", envvar="SYMBL_SANDBOX_DATABASE", metavar="URL", is_eager=True,
        callback=lambda ctx, param, value: _database_url(ctx, value),
        help="postgresql://USER@HOST[:PORT]/NAME: keep conversations, jobs and tokens "
             "there instead of the data folder's SQLite file (env "
             "SYMBL_SANDBOX_DATABASE). The password comes from PGPASSWORD, PGPASSFILE, "
             "--database-password-file or the variable, never from the command line.")(fn)


log_format_option = click.option(
    "--log-format", type=click.Choice(["text", "json"]), default="text",
    envvar="SYMBL_SANDBOX_LOG_FORMAT", show_default=True,
    help="Log lines on stderr: readable text, or one JSON object per line "
         "(env SYMBL_SANDBOX_LOG_FORMAT; docs/deploy.md).")

lease_option = click.option(
    "--lease-seconds", default=LEASE_SECONDS, show_default=True, type=click.FloatRange(1, 3600),
    help="A running job's lease: a worker that dies loses its job to another worker this "
         "long after its last renewal.")


@command.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (other hosts can reach it only if you say so).")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="Port; 0 picks a free one.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Where conversations, jobs and uploads are kept "
                   "[default: ~/.local/share/symbl-media/sandbox].")
@click.option("--app-id", envvar="SYMBL_SANDBOX_APP_ID", metavar="ID",
              help="App id clients must present (env SYMBL_SANDBOX_APP_ID).")
@secret_options()[0]
@secret_options()[1]
@click.option("--max-jobs", default=2, show_default=True, type=click.IntRange(1, 1000),
              help="Concurrent jobs before 429, like a trial account.")
@click.option("--max-body-mb", default=8192, show_default=True, type=click.IntRange(1),
              help="Largest upload accepted (413 above it).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="API processes answering on the port; this process runs the jobs "
                   "(docs/deploy.md).")
@database_options
@click.option("--no-jobs", is_flag=True,
              help="Answer the API only; `sandbox worker` processes run the jobs "
                   "(docs/deploy.md).")
@lease_option
@click.option("--metrics/--no-metrics", default=False, envvar="SYMBL_SANDBOX_METRICS",
              show_default=True, help="Answer GET /metrics (Prometheus text format) without a "
              "token; keep the port internal or block the path at the proxy "
              "(env SYMBL_SANDBOX_METRICS; docs/deploy.md).")
@log_format_option
@click.option("--grace-seconds", default=20, show_default=True, type=click.IntRange(0, 3600),
              help="On SIGTERM, how long requests in flight get to finish (new connections "
                   "are refused at once).")
@click.option("--job-wait-max", default=JOB_WAIT_MAX, show_default=True,
              type=click.FloatRange(0, JOB_WAIT_MAX), metavar="SECONDS",
              help="Longest hold of a job poll's ?wait= (our extension); 0 turns it off.")
@click.option("--faults", metavar="JSON", help="Faults to inject, e.g. "
              "'{\"status500\": {\"count\": 2, \"path\": \"/v1/job\"}}' (docs/sandbox.md).")
@engine_flags
def serve(host, port, data_dir, app_id, app_secret, max_jobs, max_body_mb, workers, database,
          database_password, no_jobs, lease_seconds, metrics, log_format, grace_seconds,
          job_wait_max, faults, **engine_options) -> None:
    """Run the sandbox in the foreground, one log line per request."""
    import logging

    from symbl_media.server import logs
    from symbl_media.server.app import Sandbox
    from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET, SandboxConfig

    app_secret = app_secret or os.environ.get("SYMBL_SANDBOX_APP_SECRET") or None
    if bool(app_id) != bool(app_secret):
        raise click.UsageError("give both an app id and a secret (--app-id and --app-secret-file, "
                               "or SYMBL_SANDBOX_APP_ID and SYMBL_SANDBOX_APP_SECRET), or neither")
    fault_spec = _fault_spec(faults)
    _check_names(engine_options)
    # A model folder that is missing or altered, an endpoint without a URL:
    # refused here with one line (EngineError, exit 10), before the port is taken.
    settings = settings_from_flags(**engine_options)
    config = SandboxConfig(data_dir=data_dir or _default_data_dir(), host=host, port=port,
                           engines=settings, app_id=app_id, app_secret=app_secret,
                           max_concurrent_jobs=max_jobs,
                           max_body_bytes=max_body_mb * 1024 * 1024, faults=fault_spec,
                           database=database, database_password=database_password,
                           run_jobs=not no_jobs, lease_seconds=lease_seconds,
                           metrics=metrics, log_format=log_format,
                           grace_seconds=grace_seconds, job_wait_max=job_wait_max)
    logs.configure(log_format)
    say = logging.getLogger(logs.SERVER).info  # the start lines too, in the log's format
    try:
        app = Sandbox(config)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None

    def ready(running) -> None:
        say(f"sandbox: listening on {running.url} (data: {config.data_dir})")
        if database:  # named without user, password or query
            say(f"sandbox: state kept in {running.store.described}")
        if running.auth.uses_default_pair:
            say(f"sandbox: credentials: appId={DEFAULT_APP_ID} "
                f"appSecret={DEFAULT_APP_SECRET} (the documented local default pair)")
        else:
            say(f"sandbox: credentials: appId={running.auth.app_id} (secret as configured)")
        if no_jobs:
            say("sandbox: jobs: none run here (--no-jobs); `sandbox worker` runs them")
        else:
            say(f"sandbox: engines: {running.engines.describe()}")
        if workers > 1 and not no_jobs:
            say(f"sandbox: {workers} API processes; jobs run in this one (pid {os.getpid()})")
        if metrics:
            say(f"sandbox: metrics at {running.url}/metrics (no token asked)")

    app.serve_forever(on_ready=ready, workers=workers)


@command.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="The data folder the API processes write uploads into (shared between "
                   "machines) [default: ~/.local/share/symbl-media/sandbox].")
@database_options
@click.option("--parallel", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Jobs this worker runs at once.")
@click.option("--max-body-mb", default=8192, show_default=True, type=click.IntRange(1),
              help="Largest file a URL job may fetch (as serve's upload limit).")
@lease_option
@click.option("--faults", metavar="JSON", help="Job faults to inject, e.g. "
              "'{\"fail_job\": 2}': the next jobs this worker runs end as failed "
              "(docs/deploy.md).")
@click.option("--grace-seconds", default=30.0, show_default=True,
              type=click.FloatRange(0, 86400),
              help="On SIGTERM or Ctrl-C, how long a running job may take to finish before "
                   "it is given back (run again from the start by another worker).")
@log_format_option
@engine_flags
def worker(data_dir, database, database_password, parallel, max_body_mb, lease_seconds,
           faults, grace_seconds, log_format, **engine_options) -> None:
    """Run jobs from the shared database until stopped (docs/deploy.md)."""
    import logging
    import os
    import signal
    import sys
    import threading

    from symbl_media.server import logs
    from symbl_media.server.config import SandboxConfig
    from symbl_media.server.faults import JOB_KINDS, Faults
    from symbl_media.server.worker_process import Stopped, WorkerProcess

    # The job lines and warnings, and these lines too, in the log's format (docs/deploy.md).
    logs.configure(log_format)
    say = logging.getLogger(logs.SERVER).info
    fault_spec = _fault_spec(faults)
    other = sorted(set(fault_spec) - set(JOB_KINDS))
    if other:  # faults of the HTTP side, which a worker does not have
        raise click.BadParameter(f"a worker injects only {', '.join(JOB_KINDS)}; "
                                 f"{', '.join(other)} belong to `sandbox serve --faults`",
                                 param_hint="--faults")
    try:
        Faults(fault_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    _check_names(engine_options)
    settings = settings_from_flags(**engine_options)
    config = SandboxConfig(data_dir=data_dir or _default_data_dir(), engines=settings,
                           max_concurrent_jobs=parallel, lease_seconds=lease_seconds,
                           max_body_bytes=max_body_mb * 1024 * 1024, faults=fault_spec,
                           database=database, database_password=database_password)
    stop = threading.Event()

    def stopping(signum, frame) -> None:
        # Only the event: a handler that logged could run inside a log line's write to
        # stderr (a reentrant write raises there), lose the signal and leave the worker
        # running. The line is written by whoever the event wakes.
        if stop.is_set():  # a second signal: at once; the job's lease runs out elsewhere
            raise KeyboardInterrupt
        stop.set()

    # Before the worker is made: it may wait for its data folder, and it makes a scratch
    # folder that a signal arriving in between would leave behind.
    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    try:
        process = WorkerProcess(config, stop)
    except Stopped:
        say("sandbox worker: stopped before taking any job")
        return
    say(f"sandbox worker: {process.id} taking jobs from {process.store.described} "
        f"(data: {process.data_dir}; {parallel} at once, lease {lease_seconds:g} s)")
    say(f"sandbox worker: engines: {process.engines.describe()}")
    process.run(stop, grace_seconds, on_stopping=lambda: say(
        f"sandbox worker: stopping (running jobs get {grace_seconds:g} s)"))
    say("sandbox worker: stopped")
    # Everything is done (jobs finished or given back, the database closed, the scratch
    # folder gone), so the process ends here without the interpreter's teardown of the
    # engines' native thread pools (CTranslate2, OpenMP), which has nothing left to save.
    # (It was suspected of a "Fatal Python error: Aborted" on SIGTERM; that was a worker
    # that never saw the signal, worker_process.WorkerProcess.run, docs/deploy.md.)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _fault_spec(faults: str | None) -> dict:
    try:
        spec = json.loads(faults) if faults else {}
    except ValueError:
        spec = None
    if not isinstance(spec, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--faults")
    return spec


def _check_names(flags: dict) -> None:
    """An engine name nobody registered is a usage error (exit 2), named with the known ones."""
    from symbl_media.plugins import manager as plugins
    from symbl_media.server.engines.chosen import register_builtin_engines

    register_builtin_engines()  # the sandbox's own engines, to check the names against
    known = plugins.engines()
    for kind, name, flag in (("transcriber", flags["transcriber"], "--transcriber"),
                             ("diarizer", flags["diarizer"], "--diarizer"),
                             ("insights", flags["insights_engine"], "--insights")):
        if name and f"{kind}:{name}" not in known:
            names = ", ".join(sorted(k.split(":", 1)[1] for k in known if k.startswith(kind)))
            raise click.BadParameter(f"no {kind} engine called {name!r} (known: {names})",
                                     param_hint=flag)


def _database_url(ctx: click.Context, value: str | None) -> str | None:
    """``--database``: a PostgreSQL URL. One with a password is refused when it comes from
    the command line (every user of the machine can read argv), never repeated."""
    if not value:
        return None
    from urllib.parse import parse_qs, urlsplit

    from symbl_media.redaction import keep_out, redact

    keep_out(value)  # the whole URL: a password anywhere in it stays out of every message
    try:
        parts = urlsplit(value)
        has_password = parts.password is not None or "password" in parse_qs(parts.query)
    except ValueError:
        raise click.BadParameter(f"{redact(value)}: not a valid URL",
                                 param_hint="--database") from None
    if parts.scheme.partition("+")[0].lower() not in ("postgresql", "postgres"):
        raise click.BadParameter(f"{redact(value)}: not a PostgreSQL URL "
                                 f"(postgresql://USER@HOST[:PORT]/NAME)", param_hint="--database")
    source = ctx.get_parameter_source("database")
    if has_password and source is click.core.ParameterSource.COMMANDLINE:
        keep_out(parts.password)
        raise SecretOnCommandLine(
            "--database: a URL with a password is not accepted on the command line (ps, "
            "/proc/<pid>/cmdline show it to every user of this machine); give the URL "
            "without it and set PGPASSWORD, use a PGPASSFILE or --database-password-file "
            "FILE, or put the whole URL in SYMBL_SANDBOX_DATABASE")
    return value


def _password_from_file(value: str | None) -> str | None:
    if value is None:
        return None
    from symbl_media.cli.options import one_line_of
    from symbl_media.redaction import keep_out

    password = one_line_of(value, flag="--database-password-file", what="the password")
    keep_out(password)
    return password
