"""The command line, second half: submit, append, status, insights, resume.

Part of the CLI layer (with cli/main.py, the only code that prints for people): parses flags into
typed requests, runs them through ``submission.submitter.Submitter`` and shows progress and summaries.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import click

from symbl_media.plugins import manager as plugins
from symbl_media.contract import options as api
from symbl_media.errors import InputNotFound, Interrupted, SymblMediaError
from symbl_media.durations import hours_minutes_seconds


# ----------------------------------------------------------------------------- flags

class SecretOnCommandLine(SymblMediaError):
    """``--app-secret VALUE``: refused, since every user of the machine can read argv."""

    exit_code = 2


def refuse_secret_value(ctx, param, value):
    """The hidden ``--app-secret`` option: any value is refused, with what to do instead."""
    if value is None:
        return
    serve = ctx.info_name == "serve"
    where = ("SYMBL_SANDBOX_APP_SECRET" if serve else "SYMBL_APP_SECRET, write symbl.conf")
    raise SecretOnCommandLine(
        "--app-secret is not accepted: a secret on the command line can be read by every "
        f"user of this machine (ps, /proc/<pid>/cmdline); set {where}, or give "
        "--app-secret-file FILE (- reads it from standard input)")


def secret_from_file(ctx, param, value):
    """``--app-secret-file FILE``: the secret is the file's one line; ``-`` reads standard
    input (a prompt that does not echo, on a terminal)."""
    if value is None:
        return None
    if value == "-":
        ctx.meta["symbl_media.secret_from_stdin"] = True
        if sys.stdin.isatty():
            import getpass

            text = getpass.getpass("app secret: ")
        else:
            text = sys.stdin.read()
    else:
        try:
            text = Path(value).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise click.BadParameter(f"{value}: cannot be read ({reason})",
                                     param_hint="--app-secret-file") from None
    secret = text.strip()
    if not secret or "\n" in secret:
        raise click.BadParameter(f"{value}: must hold the secret on one line",
                                 param_hint="--app-secret-file")
    return secret


def secret_options():
    """``--app-secret-file FILE`` and the refused ``--app-secret VALUE``: the CLI's two ways
    of being handed a secret besides the environment and symbl.conf."""
    return [
        click.option("--app-secret-file", "app_secret", metavar="FILE",
                     callback=secret_from_file,
                     help="Read the app secret from FILE (- for standard input). Or set it "
                          "in the environment; never as a value on the command line."),
        click.option("--app-secret", "refused_app_secret", metavar="SECRET", hidden=True,
                     expose_value=False, is_eager=True, callback=refuse_secret_value),
    ]


def connection_options(fn):
    options = [
        click.option("--api-url", metavar="URL", help="Symbl base URL (env SYMBL_API_URL; "
                     "default https://api.symbl.ai, or the embedded sandbox when no "
                     "credentials are set)."),
        click.option("--app-id", metavar="ID", help="App id (env SYMBL_APP_ID, or symbl.conf)."),
        *secret_options(),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def api_flags(fn):
    """Every Async API option as a flag (docs/cli.md)."""
    options = [
        click.option("--name", metavar="TEXT", help="Conversation name (default: the file "
                     "name)."),
        click.option("--webhook", metavar="URL", help="URL that receives each job status "
                     "change (webhookUrl)."),
        click.option("--vocab", multiple=True, metavar="WORD",
                     help="Custom vocabulary; repeat for more words."),
        click.option("--confidence", type=float, metavar="X",
                     help="Insight confidence threshold, 0.5 to 1.0."),
        click.option("--detect-phrases", is_flag=True, help="Mark action phrases in messages."),
        click.option("--entities", "entities_file", type=click.Path(path_type=Path),
                     metavar="FILE", help="Custom entities: JSON list of {customType, text}."),
        click.option("--detect-entities", is_flag=True, help="Detect entities."),
        click.option("--channel", "channels", multiple=True, metavar="N=NAME[:EMAIL]",
                     help="Who speaks on channel N (with --separate-channels); repeatable."),
        click.option("--language", metavar="CODE", help="Language code, e.g. en-US, es-ES, "
                     "or a stream's tag for one (spa); also picks the audio stream tagged "
                     "with that language (default en-US)."),
        click.option("--mode", type=click.Choice(["phone", "default"]),
                     help="Recognition mode (default: phone for 8 kHz sources, else default)."),
        click.option("--tracker", "tracker_specs", multiple=True, metavar="NAME=W,W",
                     help="A tracker and its vocabulary; repeatable."),
        click.option("--trackers", "trackers_file", type=click.Path(path_type=Path),
                     metavar="FILE", help="Trackers: JSON list of {name, vocabulary}."),
        click.option("--all-trackers", is_flag=True, help="Run every tracker on the account."),
        click.option("--summary", is_flag=True, help="Ask for a summary (enableSummary)."),
        click.option("--diarize", type=int, metavar="N",
                     help="Tell N speakers apart (English and Spanish)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def media_flags(fn):
    options = [
        click.option("--audio-stream", type=click.IntRange(min=0), metavar="N",
                     help="Use audio stream N (0 = first), as numbered by probe."),
        click.option("--separate-channels", is_flag=True,
                     help="Keep the channels apart: one speaker per channel."),
        click.option("--format", "fmt", type=click.Choice(["wav", "mp3"]),
                     help="Encode to this format (default: pass mono WAV/MP3 through, else "
                          "WAV)."),
        click.option("--as-video", is_flag=True, help="Send an MP4 to the Video API."),
        click.option("--chunk-minutes", type=click.FloatRange(1, 240), metavar="N",
                     help="Cut into pieces of about N minutes, in silence (default: only past "
                          "the 4-hour limit)."),
        click.option("--pre", multiple=True, metavar="NAME[:key=value,...]",
                     help="Pre-process the audio in the same ffmpeg pass, in the order given: "
                          "loudnorm, highpass, denoise, trim (docs/media.md); repeatable."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def output_flags(fn):
    options = [
        click.option("--sink", "sinks", multiple=True, metavar="NAME[:TARGET]",
                     help="Where insights go, e.g. json:out.json; repeatable."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _api_options(name, webhook, vocab, confidence, detect_phrases, entities_file,
                 detect_entities, channels, language, mode, tracker_specs, trackers_file,
                 all_trackers, summary, diarize, separate_channels) -> api.ApiOptions:
    """Typed options, every range checked here: a bad value stops before any upload."""
    try:
        if confidence is not None:
            api.check_confidence(confidence)
        if language:
            language = api.check_language(language)
        if diarize is not None:
            api.check_diarize(diarize, language)
            if separate_channels:
                raise api.OptionProblem("--diarize", "give --diarize or --separate-channels, "
                                        "not both (Symbl ignores the channels when diarizing)")
        speakers = tuple(api.parse_channel(c) for c in channels)
        if speakers and not separate_channels:
            raise api.OptionProblem("--channel", "only means something with "
                                    "--separate-channels")
        if len({s.channel for s in speakers}) != len(speakers):
            raise api.OptionProblem("--channel", "a channel is named twice")
        trackers = tuple(api.parse_tracker(t) for t in tracker_specs)
        if trackers_file:
            trackers += api.load_trackers(trackers_file)
        entities = api.load_entities(entities_file) if entities_file else ()
        if webhook is not None:
            _check_webhook(webhook)
        words = tuple(w.strip() for w in vocab)
        if any(not w for w in words):
            raise api.OptionProblem("--vocab", "an empty word")
    except api.OptionProblem as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    return api.ApiOptions(name=name, webhook=webhook, vocabulary=words, confidence=confidence,
                          detect_phrases=detect_phrases, entities=entities,
                          detect_entities=detect_entities, separate_channels=separate_channels,
                          channels=speakers, language=language, mode=mode, trackers=trackers,
                          all_trackers=all_trackers, summary=summary, diarize=diarize)


def _check_webhook(webhook: str) -> None:
    """An absolute http(s) URL with a host, as Symbl's own check ("must be a valid uri")
    wants: refused here (exit 2) rather than by the API after the upload."""
    from urllib.parse import urlsplit

    from symbl_media.redaction import redact

    shown = repr(redact(webhook))
    try:
        parts = urlsplit(webhook)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise api.OptionProblem("--webhook", f"{shown} is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not webhook.strip():
        raise api.OptionProblem("--webhook", f"{shown} is not an http(s) URL")
    if not parts.hostname:
        raise api.OptionProblem("--webhook", f"{shown} has no host name")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in webhook):
        raise api.OptionProblem("--webhook", f"{shown} contains spaces or control characters")


def _prepare_options(audio_stream, separate_channels, fmt, as_video, chunk_minutes, pre=()):
    from symbl_media.media.plan import PrepareOptions

    return PrepareOptions(audio_stream=audio_stream, separate_channels=separate_channels,
                          format=fmt, as_video=as_video, chunk_minutes=chunk_minutes,
                          preprocess=pre)


def _split(opts: dict) -> tuple[dict, dict, dict]:
    from symbl_media.media import preprocess

    media_keys = ("audio_stream", "separate_channels", "fmt", "as_video", "chunk_minutes",
                  "pre")
    conn_keys = ("api_url", "app_id", "app_secret")
    media = {k: opts.pop(k) for k in media_keys}
    conn = {k: opts.pop(k) for k in conn_keys}
    # Unknown pre-processors and bad options stop here (exit 2), before anything is sent.
    media["pre"] = preprocess.normalize(media["pre"])
    preprocess.resolve(media["pre"], plugins.preprocessors(), as_video=media["as_video"])
    return media, conn, opts


# ----------------------------------------------------------------------------- inputs

def expand_inputs(inputs: tuple[str, ...]) -> list[str]:
    """Each argument through the input sources (plugins first, then the built-in url, stdin,
    folder, glob and file): folders and globs become their files. Everything is checked to
    exist before anything is sent."""
    out: list[str] = []
    for item in inputs:
        source = _source_for(item)
        out.extend(source.expand(item) if source.expand else [item])
    if out.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    context = click.get_current_context(silent=True)
    if "-" in out and context is not None and context.meta.get("symbl_media.secret_from_stdin"):
        raise click.UsageError("standard input is the app secret (--app-secret-file -); it "
                               "cannot be an input too")
    return out


def _source_for(item: str):
    for source in plugins.sources():
        if source.matches(item):
            return source
    path = Path(item)
    if path.exists() and not path.is_file():
        raise InputNotFound(f"{path}: not a regular file")
    raise InputNotFound(f"{path}: no such file")


def _looks_like_url(text: str) -> bool:
    from symbl_media.inputs.urls import is_url

    return is_url(text)


def _request_for(item: str, media_opts: dict, api_options, *, wait: bool, again: bool,
                 conversation_id: str | None, store, emit, sinks: list[str]):
    """Turn one input into a submission Request: a file, a transcript, a URL, or what a source
    plugin fetched."""

    prepare = _prepare_options(**media_opts)
    common = dict(api=api_options, wait=wait, again=again, conversation_id=conversation_id,
                  prepare=prepare, remember={"sinks": sinks})
    source = _source_for(item)
    if source.name == "url":
        return _url_request(item, prepare, common, store, emit)
    if source.fetch is not None:
        folder = store.ensure() / "fetched"
        folder.mkdir(parents=True, exist_ok=True)

        def progress(got: int, total: int | None) -> None:
            emit("progress", {"stage": "download", "done": got, "total": total,
                              "unit": "bytes"})

        path = Path(source.fetch(item, folder, progress))
        # The fetched copy's name is its identity (a content or reference hash).
        common["remember"] = {**common["remember"], "fetched": str(path)}
        return _file_request(path, prepare, api_options, common,
                             ref=f"{source.name}:{path.name}")
    return _file_request(Path(item), prepare, api_options, common)


def _file_request(path: Path, prepare, api_options, common: dict, ref: str | None = None):
    from symbl_media.submission import from_input as inputs

    if prepare.as_video and path.suffix.lower() in (".txt", ".srt", ".vtt", ".json"):
        raise click.UsageError(f"{path}: a transcript cannot go to the Video API")
    return inputs.file_request(path, prepare, api_options, common, ref)


def _url_request(url: str, prepare, common: dict, store, emit):
    from symbl_media.submission import from_input as inputs

    store.ensure()  # a download lands in it: private before anything is written there
    _name_url(common, url)
    return inputs.url_request(url, prepare, common, store, emit)


def _name_url(common: dict, url: str) -> None:
    """Name a URL's conversation by its file when the default name would show more of the URL:
    a password (``https://user:pw@host``), a fragment, or the whole URL when the path is empty.
    The default is kept when it is safe, so the submission keys of earlier runs still match."""
    from symbl_media.redaction import redact

    api = common["api"]
    if api.name is not None:
        return
    default = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or url  # submit._default_name
    safe = redact(url).rstrip("/").rsplit("/", 1)[-1] or redact(url)
    if default != safe:
        common["api"] = replace(api, name=safe)


def _download(url: str, store, emit) -> Path:
    from symbl_media.submission import from_input as inputs

    return inputs.download(url, store, emit)


# ----------------------------------------------------------------------------- display

class Display:
    """Progress on a terminal (one rewritten line); milestone lines elsewhere (CI logs)."""

    LABELS = {"extract": "extracting", "pauses": "finding pauses", "cut": "cutting",
              "download": "downloading"}

    def __init__(self, *, label: str = "", quiet: bool = False) -> None:
        self.tty = sys.stderr.isatty()
        self.label = label
        self.quiet = quiet
        self.last = 0.0
        self.shown = False
        self.lock = threading.Lock()

    def for_input(self, label: str) -> "Display":
        child = Display(label=label, quiet=self.quiet)
        child.tty = self.tty and False  # several inputs at once: milestone lines only
        child.lock = self.lock
        return child

    def __call__(self, kind: str, data: dict) -> None:
        with self.lock:
            self._show(kind, data)

    def _show(self, kind: str, data: dict) -> None:
        prefix = f"{self.label}: " if self.label else ""
        if kind == "notice":
            self.line(f"symbl-media: {prefix}{data['text']}")
        elif kind == "progress" and self.tty:
            total, done = data["total"], data["done"]
            bytes_ = data.get("unit") == "bytes"
            fmt = (lambda n: f"{n / 1e6:.0f} MB") if bytes_ else hours_minutes_seconds
            label = self.LABELS.get(data["stage"], data["stage"])
            self.bar(label, done, total, fmt)
        elif kind == "upload" and self.tty and data.get("total"):
            self.bar(f"uploading {data['index'] + 1}", data["sent"], data["total"],
                     lambda n: f"{n / 1e6:.1f} MB")
        elif kind == "sent":
            self.line(f"{prefix}piece {data['index'] + 1} sent: conversation "
                      f"{data['conversation_id']}, job {data['job_id']}")
        elif kind == "reconciled":
            arrived = ("had arrived after all (not sent again)" if data["arrived"]
                       else "had not arrived; sending it")
            self.line(f"symbl-media: {prefix}the reply for piece {data['index'] + 1} was lost; "
                      f"it {arrived}")
        elif kind == "job":
            if self.tty:
                self.bar(f"piece {data['index'] + 1}: {data['status']}", 0, None, str)
            elif data["status"] in ("completed", "failed"):
                self.line(f"{prefix}piece {data['index'] + 1}: job {data['status']}")
        elif kind == "collecting" and self.tty:
            self.bar(data["what"], 0, None, str)

    def bar(self, label: str, done: float, total: float | None, fmt) -> None:
        now = time.monotonic()
        if self.quiet or now - self.last < 0.2:
            return
        self.last = now
        if total:
            share = min(1.0, done / total)
            line = f"{label:<18} [{'#' * int(share * 30):<30}] {share:4.0%}  {fmt(done)} / " \
                   f"{fmt(total)}"
        else:
            line = label
        click.echo("\r\033[K" + line[:100], nl=False, err=True)
        self.shown = True

    def line(self, text: str) -> None:
        if self.quiet and not text.startswith("symbl-media:"):
            return
        self.clear()
        click.echo(text, err=True)

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
            self.shown = False
            self.last = 0.0


# ----------------------------------------------------------------------------- running

def _sink_specs(sinks: tuple[str, ...], *, inputs: int = 1, as_json: bool = False):
    """The sinks parsed and checked before anything is sent: option names and values and how
    they combine (exit 2), and whether each target can be written (exit 8). With several
    inputs a file-writing sink's target without a suffix is a folder (made if needed): one
    file per conversation there."""
    from symbl_media.insights import sinks as sink_module
    from symbl_media.insights.sinks import SinkSpec

    specs = [SinkSpec.parse(s) for s in sinks]
    if as_json and any(s.to_stdout for s in specs):
        raise click.UsageError("--json and a sink on standard output would mix two JSON "
                               "documents; give the sink a file")
    if inputs > 1:
        if any(s.to_stdout for s in specs):
            raise click.UsageError("with several inputs, a sink on standard output would run "
                                   "their documents together; give each --sink a folder (one "
                                   "file per conversation is written there)")
        specs = [replace(s, target=s.target + "/")
                 if s.writes_files and not s.to_folder
                 and (Path(s.target).is_dir() or not Path(s.target).suffix) else s
                 for s in specs]
        if any(s.writes_files and not s.to_folder for s in specs):
            raise click.UsageError("with several inputs, give each --sink a folder (one file "
                                   "per conversation is written there)")
    for spec in specs:
        sink_module.check(spec)
    return specs


def _write_sinks(specs, insights, name: str, display) -> tuple[list[str], list[dict]]:
    """Every sink that can be written is; each that cannot is one error line, and the run
    goes on (the summary is still printed; the exit code says a sink failed)."""
    from symbl_media.insights import sinks as sink_module

    written, failed = [], []
    for spec in specs:
        try:
            written.append(sink_module.write(spec, insights, name))
        except SymblMediaError as exc:
            failed.append({"sink": spec.text(), "error": _shown(exc),
                           "exitCode": exc.exit_code})
            display.line(f"symbl-media: error: {_shown(exc)}")
    return written, failed


def _summary_sinks(written: list[str], failed: list[dict]) -> None:
    for where in written:
        click.echo(f"  wrote        {where}")
    for failure in failed:
        click.echo(f"  not written  {failure['sink']} (see the error above)")


def _raise_for_sinks(results: list[dict]) -> None:
    """After the output: a sink that could not be written makes the exit code its error's."""
    failed = [f for r in results for f in r.get("sinkErrors", ())]
    if failed:
        error = SymblMediaError(f"{len(failed)} sink{'s' * (len(failed) != 1)} could not be "
                                f"written (see above)")
        error.exit_code = failed[0]["exitCode"]
        raise error


def _finish(submitter, outcome, specs, as_json: bool, display) -> dict:
    """Wait is over: insights, sinks, summary. Returns the JSON result of this input."""
    from symbl_media.cli.report import describe_insights

    record = outcome.record
    result = {"submission": record.key, "conversationId": record.conversation_id,
              "jobIds": [p.job_id for p in record.pieces], "pieces": len(record.pieces),
              "resumed": outcome.resumed, "alreadyDone": outcome.already_done}
    if record.stage == "submitted":  # --no-wait
        result["status"] = "submitted"
        if not as_json:
            click.echo(f"conversation {record.conversation_id}  job "
                       f"{record.pieces[-1].job_id}  (submission {record.key}; not waiting)")
        if record.service == "embedded":
            display.line("symbl-media: the embedded sandbox works only while symbl-media runs: "
                         "`symbl-media resume` finishes this job and collects the insights")
        return result
    if outcome.already_done:
        display.line(f"symbl-media: {record.name}: already submitted as conversation "
                     f"{record.conversation_id} (use --again for a new one); fetching its "
                     f"insights")
        from symbl_media.insights.collect import collect

        insights = collect(submitter.client, record.conversation_id,
                           summary=bool(record.options.get("enableSummary")),
                           trackers=bool(record.options.get("trackers")
                                         or record.options.get("enableAllTrackers")))
    else:
        record, insights = submitter.finish(record)
    # A conversation made from a transcript counts its times from the transcript's time zero,
    # not from its first cue (where the service starts it).
    from symbl_media.inputs.transcripts import time_zero

    insights = replace(insights, origin=time_zero(submitter.store.all(), record.conversation_id,
                                                  insights.conversation, record.service))
    display.clear()
    stdout_sink = any(s.to_stdout for s in specs)
    written, failed = _write_sinks(specs, insights, record.name, display)
    result.update(status="completed", duration=round(insights.duration, 3),
                  speakers=list(insights.speakers),
                  counts={"messages": len(insights.messages), "topics": len(insights.topics),
                          "actionItems": len(insights.action_items),
                          "questions": len(insights.questions),
                          "followUps": len(insights.follow_ups)},
                  sinks=written, sinkErrors=failed, notes=list(insights.notes))
    if not as_json and not stdout_sink:
        click.echo(describe_insights(insights, pieces=len(record.pieces), key=record.key))
        _summary_sinks(written, failed)
    return result


def _name_the_input(exc: SymblMediaError, item: str, request) -> None:
    """An error about the private copy of an input (standard input, a downloaded URL, a
    source plugin's fetch) names the input as given: ``-`` or the URL, not
    ``.../fetched/stdin-<hash>``."""
    from symbl_media.inputs.urls import is_url
    from symbl_media.redaction import redact

    source = request.source
    copy = request.remember.get("fetched") or (
        str(source.path) if source.url and source.path is not None else None)
    message = str(exc)
    if copy and message.startswith(f"{copy}: "):
        shown = redact(item) if is_url(item) else item
        exc.args = (f"{shown}{message[len(copy):]}",)


def _label(item: str) -> str:
    """What an input's lines are prefixed with: its file name (of a URL: without the query)."""
    if _looks_like_url(item):
        from symbl_media.redaction import redact

        return redact(item).rstrip("/").rsplit("/", 1)[-1]
    return Path(item).name


def _redacted(item: str) -> str:
    """An input as it may be shown: a URL without its password, query and fragment."""
    if _looks_like_url(item):
        from symbl_media.redaction import redact

        return redact(item)
    return item


def _shown(exc: BaseException) -> str:
    """An error as one line to show, without any secret a server may have echoed into it."""
    from symbl_media.redaction import scrub

    return scrub(" ".join(str(exc).split()))


def _result(future):
    """A worker's result, waiting in short steps so Ctrl-C gets through."""
    from concurrent.futures import TimeoutError as Pending

    while True:
        try:
            return future.result(timeout=0.2)
        except Pending:
            continue


def run_inputs(items: list[str], *, media_opts, api_options, conn, sinks, wait, again,
               max_jobs, as_json, conversation_id=None) -> None:
    from symbl_media.submission.records import Store
    from symbl_media.client.service import connect
    from symbl_media.submission.submitter import Submitter

    specs = _sink_specs(sinks, inputs=len(items), as_json=as_json)
    display = Display(quiet=as_json)
    cancel = threading.Event()
    store = Store()
    with connect(**conn) as service:
        if service.notice:
            display.line(f"symbl-media: {service.notice}")
        if conversation_id:
            service.client.conversation(conversation_id)  # 404 here, before any upload

        def one(item: str, shown) -> dict:
            # What getting the input said ("downloading to prepare it here (stereo)") is shown
            # once the submission is under way: an input refused at once (a download that is
            # not a recording) is its one error line, no more.
            held: list[dict] = []

            def hold(kind: str, data: dict) -> None:
                if kind == "notice":
                    held.append(data)
                else:
                    shown(kind, data)

            def under_way(kind: str, data: dict) -> None:
                while held and kind != "progress":
                    shown("notice", held.pop(0))
                shown(kind, data)

            submitter = Submitter(service.client, service.name, store,
                                  on_event=plugins.forward(under_way), cancel=cancel)
            request = _request_for(item, media_opts, api_options, wait=wait, again=again,
                                   conversation_id=conversation_id, store=store, emit=hold,
                                   sinks=[s.text() for s in specs])
            try:
                outcome = submitter.submit(request)
            except SymblMediaError as exc:
                _name_the_input(exc, item, request)
                raise
            for notice in held:
                shown("notice", notice)
            # Each result names its input, as a failed one does.
            return {"input": _redacted(item), **_finish(submitter, outcome, specs, as_json,
                                                        shown)}

        results, failures = [], []
        try:
            if len(items) == 1:
                try:
                    results.append(one(items[0], display))
                finally:
                    display.clear()
            else:
                pool = ThreadPoolExecutor(max_workers=max_jobs)
                try:
                    futures = [(item, pool.submit(one, item, display.for_input(_label(item))))
                               for item in items]
                    for item, future in futures:
                        try:
                            results.append(_result(future))
                        except SymblMediaError as exc:
                            failures.append((item, exc))
                            display.line(f"symbl-media: error: {_shown(exc)}")
                            results.append({"input": _redacted(item), "status": "failed",
                                            "error": _shown(exc), "exitCode": exc.exit_code})
                except BaseException:
                    # Stop the others at their next step (their records stay resumable).
                    cancel.set()
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
                pool.shutdown()
        except KeyboardInterrupt:
            cancel.set()
            display.clear()
            raise Interrupted(_interrupted(store, again)) from None
    if as_json:
        click.echo(json.dumps(results[0] if len(items) == 1 else results, indent=2,
                              ensure_ascii=False))
    if failures:
        first = failures[0][1]
        error = SymblMediaError(f"{len(failures)} of {len(items)} inputs failed (see above)")
        error.exit_code = first.exit_code
        raise error
    _raise_for_sinks(results)


# ----------------------------------------------------------------------------- commands

class OneLineErrors(click.Command):
    """A command whose usage errors (a bad option value, an unknown option, a missing
    argument) are one line, ``symbl-media: error: ...`` with exit 2, like every other
    failure, instead of click's usage block."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None


def _one_line(exc: click.UsageError) -> SymblMediaError:
    from symbl_media.errors import InvalidArgument

    if type(exc).__name__ == "NoArgsIsHelpError":  # click shows the help: keep that
        raise exc
    return InvalidArgument(" ".join(exc.format_message().split()))


def _checked_id(kind: str):
    """A click callback for an id argument: checked as the client checks every id that goes
    into a URL path (``api.client.check_id``), before anything starts (exit 2); spaces around
    it (a paste) are dropped."""

    def check(ctx, param, value):
        from symbl_media.client.calls import check_id
        from symbl_media.errors import InvalidArgument

        try:
            return check_id(value.strip(), kind)
        except InvalidArgument as exc:
            raise click.BadParameter(str(exc), param_hint=param.metavar) from None

    return check


def register(cli: click.Group) -> None:
    @cli.command(cls=OneLineErrors)
    @click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
    @api_flags
    @media_flags
    @output_flags
    @click.option("--no-wait", is_flag=True, help="Send, print the ids and return without "
                  "waiting for the last job.")
    @click.option("--again", is_flag=True, help="Make a new conversation even if this input "
                  "was submitted before with the same options.")
    @click.option("--max-jobs", default=2, show_default=True, type=click.IntRange(1, 50),
                  help="Inputs in flight at once (a trial account allows 2 jobs).")
    @connection_options
    def submit(inputs, sinks, as_json, no_wait, again, max_jobs, **opts):
        """Send recordings, URLs or transcripts to Symbl and collect the insights.

        Each INPUT (a file, a folder of them, an http(s) URL, or a .txt/.srt/.vtt/.json
        transcript) becomes one conversation. Long recordings are cut in silence and
        appended piece by piece. Running the same command again after a failure or Ctrl-C
        carries on where it stopped; nothing is sent twice.
        """
        media_opts, conn, rest = _split(opts)
        api_options = _api_options(**rest, separate_channels=media_opts["separate_channels"])
        run_inputs(expand_inputs(inputs), media_opts=media_opts, api_options=api_options,
                   conn=conn, sinks=sinks, wait=not no_wait, again=again, max_jobs=max_jobs,
                   as_json=as_json)

    @cli.command(cls=OneLineErrors)
    @click.argument("conversation_id", metavar="CONVERSATION_ID",
                    callback=_checked_id("conversation"))
    @click.argument("input_", metavar="INPUT")
    @api_flags
    @media_flags
    @output_flags
    @click.option("--no-wait", is_flag=True, help="Return once sent.")
    @connection_options
    def append(conversation_id, input_, sinks, as_json, no_wait, **opts):
        """Add INPUT to an existing conversation (its audio, video or text)."""
        if not conversation_id.strip():
            raise click.BadParameter("is empty", param_hint="CONVERSATION_ID")
        media_opts, conn, rest = _split(opts)
        api_options = _api_options(**rest, separate_channels=media_opts["separate_channels"])
        items = expand_inputs((input_,))
        if len(items) != 1 or Path(input_).is_dir():
            raise click.BadParameter("append takes one file, URL or transcript, not a folder",
                                     param_hint="INPUT")
        run_inputs(items, media_opts=media_opts,
                   api_options=api_options, conn=conn, sinks=sinks, wait=not no_wait,
                   again=False, max_jobs=1, as_json=as_json,
                   conversation_id=conversation_id.strip())

    @cli.command(cls=OneLineErrors)
    @click.argument("job_id", metavar="JOB_ID", callback=_checked_id("job"))
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @connection_options
    def status(job_id, as_json, **conn):
        """Show a job's status: scheduled, in_progress, completed or failed."""
        from symbl_media.client.service import connect

        # The embedded sandbox is opened only to look: it would start queued jobs and abandon
        # them when this command ends a moment later.
        with connect(run_jobs=False, **conn) as service:
            value = service.client.job_status(job_id)
            idle = service.embedded and value in ("scheduled", "in_progress")
        note = ("the embedded sandbox runs jobs only while a symbl-media command that waits "
                "for them is running, and none is: `symbl-media resume` runs this job to the "
                "end and collects the insights") if idle else None
        if as_json:
            click.echo(json.dumps({"jobId": job_id, "status": value,
                                   **({"note": note} if note else {})}))
        else:
            click.echo(value)
        if note:
            click.echo(f"symbl-media: {note}", err=True)

    @cli.command(cls=OneLineErrors)
    @click.argument("conversation_id", metavar="CONVERSATION_ID",
                    callback=_checked_id("conversation"))
    @output_flags
    @click.option("--wait", "wait", is_flag=True, help="If a job of the conversation is still "
                  "running, wait for it (default: exit 19 without writing anything).")
    @connection_options
    def insights(conversation_id, sinks, as_json, wait, **conn):
        """Fetch a conversation's insights: summary, and sinks such as json:out.json."""
        from symbl_media.insights.collect import collect
        from symbl_media.cli.report import describe_insights
        from symbl_media.client.service import connect

        specs = _sink_specs(sinks, as_json=as_json)
        display = Display(quiet=as_json)
        # The embedded sandbox runs its queued jobs only if they are to be waited for.
        with connect(run_jobs=wait, **conn) as service:
            if service.notice:
                display.line(f"symbl-media: {service.notice}")
            _check_finished(service, conversation_id, wait=wait, display=display)
            found = collect(service.client, conversation_id, summary=True, trackers=True)
            # Made here from a transcript with times: they count from the transcript's time
            # zero (this machine's submission records say so; they are only read).
            from symbl_media.submission.records import Store
            from symbl_media.inputs.transcripts import time_zero

            found = replace(found, origin=time_zero(Store().all(), conversation_id,
                                                    found.conversation, service.name))
        found = replace(found, notes=tuple(n for n in found.notes
                                           if not n.startswith("no summary")))
        name = str(found.conversation.get("name") or conversation_id)
        written, failed = _write_sinks(specs, found, name, display)
        if as_json:
            click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        elif not any(s.to_stdout for s in specs):
            click.echo(describe_insights(found))
            _summary_sinks(written, failed)
        _raise_for_sinks([{"sinkErrors": failed}])

    @cli.command(cls=OneLineErrors)
    @click.argument("submission", required=False, metavar="[SUBMISSION]")
    @click.option("--list", "list_", is_flag=True, help="List submissions and their state.")
    @click.option("--assume-sent", "assume", flag_value="sent",
                  help="A piece of unknown fate did arrive: do not send it again.")
    @click.option("--assume-lost", "assume", flag_value="lost",
                  help="A piece of unknown fate did not arrive: send it again.")
    @click.option("--forget", is_flag=True, help="Drop SUBMISSION's record (and its pieces), "
                  "e.g. one refused for good; the service keeps what it received.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @connection_options
    def resume(submission, list_, assume, forget, as_json, **conn):
        """Carry on unfinished submissions (all of them, or SUBMISSION: a key or a
        conversation id), exactly where they stopped."""
        from symbl_media.submission.records import Store

        store = Store()
        if list_:
            records = store.all()
            if as_json:
                click.echo(json.dumps([_record_json(r) for r in records], indent=2))
            else:
                for r in records:
                    click.echo(_record_line(r))
                if not records:
                    click.echo("no submissions")
            return
        if assume and not submission:
            raise click.UsageError("--assume-sent/--assume-lost need a SUBMISSION")
        if forget:
            if not submission or assume:
                raise click.UsageError("--forget takes one SUBMISSION, and no --assume-*")
            _forget(store, store.find(submission), as_json)
            return
        if submission:
            records = [store.find(submission)]
            _refuse_rejected(records[0])
        else:  # rejected ones are left: sending them again cannot help
            records = [r for r in store.all() if r.unfinished]
        if not records:
            click.echo("nothing to resume", err=True)
            return
        _resume(records, store, conn, assume, as_json)


def _refuse_rejected(record) -> None:
    """``resume KEY`` on a submission refused for good: say why, and what to do instead."""
    from symbl_media.errors import LanguageRefused, Rejected

    if not record.rejected:
        return
    kind = LanguageRefused if record.extra.get("rejected") == LanguageRefused.exit_code \
        else Rejected
    raise kind(f"submission {record.key} ({record.name}) was refused for good, so it is not "
               f"sent again: {record.note or 'no reason recorded'}; fix the input or options "
               f"and submit it again, or drop the record with `symbl-media resume --forget "
               f"{record.key}`")


def _forget(store, record, as_json: bool) -> None:
    """``resume --forget KEY``: drop the record (and its pieces); the service keeps what it
    received."""
    with store.lock(record.key):
        store.forget(record.key)
    if as_json:
        click.echo(json.dumps({"submission": record.key, "forgotten": True,
                               "conversationId": record.conversation_id}))
    else:
        kept = (f"; conversation {record.conversation_id} stays with the service"
                if record.conversation_id else "")
        click.echo(f"forgot submission {record.key} ({record.name}){kept}")


def _interrupted(store, again: bool) -> str:
    """The Ctrl-C line of ``submit``/``append``: advice that holds for the command given. With
    --again the same command would start another conversation, so it names the submission."""
    keys = []
    for key in dict.fromkeys(store.touched):
        try:
            record = store.load(key)
        except SymblMediaError:
            record = None
        if record is not None and record.unfinished:
            keys.append(key)
    if not again:
        return ("interrupted; what was sent is recorded: `symbl-media resume` (or the same "
                "command again) carries on")
    if not keys:
        return ("interrupted; nothing is left unfinished" if store.touched else
                "interrupted before anything was sent")
    if len(keys) == 1:
        return (f"interrupted; what was sent is recorded: `symbl-media resume {keys[0]}` "
                f"carries on (the same command, with --again, would start another "
                f"conversation)")
    return ("interrupted; what was sent is recorded: `symbl-media resume` carries on (the same "
            "command, with --again, would start other conversations)")


def _resume(records, store, conn, assume, as_json) -> None:
    from symbl_media.client.service import connect
    from symbl_media.submission.submitter import Submitter

    display = Display(quiet=as_json)
    results, failures = [], []
    with connect(**conn) as service:
        if service.notice:
            display.line(f"symbl-media: {service.notice}")
        for record in records:
            if record.service != service.name:
                raise SymblMediaError(f"submission {record.key} was made with "
                                      f"{record.service}; set the same URL and credentials "
                                      f"to resume it")
            submitter = Submitter(service.client, service.name, store,
                                  on_event=plugins.forward(display))
            try:
                request = _request_from_record(record, store, display)
                specs = _sink_specs(tuple(record.extra.get("sinks", [])))
                outcome = submitter.resume(record, request, assume=assume)
                results.append(_finish(submitter, outcome, specs, as_json, display))
            except KeyboardInterrupt:
                display.clear()
                raise Interrupted("interrupted; run `symbl-media resume` again to carry "
                                  "on") from None
            except SymblMediaError as exc:
                if len(records) == 1:
                    raise
                # One stuck submission must not hold up the others.
                failures.append(exc)
                display.line(f"symbl-media: error: {record.key}: {_shown(exc)}")
                results.append({"submission": record.key, "status": "failed",
                                "error": _shown(exc), "exitCode": exc.exit_code})
    if as_json:
        click.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2))
    if failures:
        error = SymblMediaError(f"{len(failures)} of {len(records)} submissions could not be "
                                f"finished (see above)")
        error.exit_code = failures[0].exit_code
        raise error
    _raise_for_sinks(results)


def _request_from_record(record, store, display):
    """Rebuild what a resumed run needs from the record alone (the flags are not repeated)."""
    from symbl_media.media.plan import PrepareOptions
    from symbl_media.submission.submitter import Request, Source
    from symbl_media.inputs.transcripts import load_text

    source = record.source
    prepare = PrepareOptions(**record.extra.get("prepare", {}))
    if record.media == "text":
        path = Path(source["path"])
        payload = load_text(path).to_json(extra={"name": record.name})
        return Request(Source("text", path=path, payload=payload), media="text",
                       prepare=prepare)
    if record.done and source["kind"] == "url":
        # Finished: nothing is sent or fetched again (and its record keeps the URL without its
        # query, so it could not be): the request only names it.
        return Request(Source("url", url=source["url"]), media=record.media, prepare=prepare)
    if source["kind"] == "url" and not source.get("fetched"):
        return Request(Source("url", url=source["url"]), media=record.media, prepare=prepare)
    fetched = record.extra.get("fetched")
    if source["kind"] == "url" and fetched:  # a source plugin's (or stdin's) local copy
        if not Path(fetched).is_file():
            raise InputNotFound(f"{fetched}: the input of this submission is gone")
        return Request(Source("file", path=Path(fetched), url=source["url"]),
                       media=record.media, prepare=prepare)
    if source["kind"] == "url":  # downloaded and prepared here: reuse (or fetch) the download
        path = _download(source["url"], store, display)
        return Request(Source("file", path=path, url=source["url"]), media=record.media,
                       prepare=prepare)
    path = Path(source["path"])
    if not path.is_file():
        raise InputNotFound(f"{path}: the recording this submission came from is gone")
    return Request(Source("file", path=path), media=record.media, prepare=prepare)


def _record_json(record) -> dict:
    return {"submission": record.key, "name": record.name, "stage": record.stage,
            "conversationId": record.conversation_id, "service": record.service,
            "pieces": [{"file": p.file, "state": p.state, "jobId": p.job_id}
                       for p in record.pieces], "note": record.note}


def _record_line(record) -> str:
    done = sum(p.state == "completed" for p in record.pieces)
    total = f"{len(record.pieces)}" + ("" if record.prepared else "+")
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.created))
    line = (f"{record.key}  {when}  {record.stage:<10} {done}/{total} pieces  "
            f"{record.conversation_id or '-':<20} {record.name}")
    return line + (f"  ({record.note})" if record.note else "")


def _check_finished(service, conversation_id: str, *, wait: bool, display) -> None:
    """``insights``: return once no job of the conversation is running, as far as can be told.

    Symbl answers the Conversation API while a job is still processing, with whatever is done
    so far, so the jobs are asked: those this machine's submission records name (pieces sent
    but not yet seen to end), and on the sandbox every job of the conversation
    (``/sandbox/conversations/{id}/uploads``). A running job stops here with NotFinished (19),
    or with ``wait`` is waited for. A submission of ours with pieces not sent, or whose job
    failed, needs ``resume``. With neither a record nor the sandbox, nothing can tell: a note
    says so and the insights are what the service has now.
    """
    from symbl_media.errors import JobFailed, NotFinished
    from symbl_media.submission.records import Store

    running = ("scheduled", "in_progress")
    client = service.client
    records = [r for r in Store().all()
               if r.conversation_id == conversation_id and r.service == service.name]
    ours: dict[str, str] = {}  # job id: the key of the submission that sent it
    for record in records:
        unsent = [p for p in record.pieces if p.state in ("pending", "sending")]
        if unsent or not record.prepared:
            which = f"piece {unsent[0].index + 1}" if unsent else "a piece"
            raise NotFinished(f"conversation {conversation_id} is not finished: submission "
                              f"{record.key} has not sent {which} yet; `symbl-media resume "
                              f"{record.key}` finishes it")
        for piece in record.pieces:
            if piece.state == "failed":
                raise JobFailed(f"conversation {conversation_id}: job {piece.job_id} of "
                                f"submission {record.key} failed; `symbl-media resume "
                                f"{record.key}` sends that piece again")
            if piece.state == "sent" and piece.job_id:
                ours[piece.job_id] = record.key
    jobs = list(ours)
    tells = client.tells_receipts()
    # None on the sandbox: no such conversation (the Conversation API's 404 says so next).
    for receipt in (client.receipts(conversation_id) if tells else None) or []:
        job_id = receipt.get("jobId")
        if receipt.get("status") in running and job_id and job_id not in ours:
            jobs.append(str(job_id))
    if not records and not tells:
        display.line(f"symbl-media: no submission record here names conversation "
                     f"{conversation_id} and the service cannot list its jobs, so whether "
                     f"it is finished cannot be told: these are its insights so far")
        return
    for job_id in jobs:
        status = client.job_status(job_id)
        if status in running:
            if not wait:
                raise NotFinished(f"conversation {conversation_id} is not finished: job "
                                  f"{job_id} is {status}; nothing was written "
                                  f"(`symbl-media insights {conversation_id} --wait` waits "
                                  f"for it)")
            display.line(f"symbl-media: conversation {conversation_id}: waiting for job "
                         f"{job_id} ({status})")
            status = client.wait(job_id)
        if status == "failed" and job_id in ours:
            raise JobFailed(f"conversation {conversation_id}: job {job_id} of submission "
                            f"{ours[job_id]} failed; `symbl-media resume {ours[job_id]}` "
                            f"sends that piece again")
