"""The app secret, the tokens and a signed URL's query never show (issue 7).

One `symbl-media sandbox serve` for the module, with a random app id and secret given through
its environment. Every command people run (submit with --json and a sink, URL inputs sent as
URLs and downloaded, status, insights, resume --list, a wrong secret, SYMBL_MEDIA_DEBUG=1, a
server that echoes the token or sends a malformed one) and the Python API in a child process
(credentials dict, debug logging, a forced failure) run for real. ffmpeg and ffprobe are shims
first on PATH that log their argv and exec the real tools, and a thread samples
/proc/*/cmdline all along. The last test greps everything (outputs, the server's log, the
argv log, the cmdlines, every file in the XDG folders, TMPDIRs and the sandbox's data folder)
for the secret, every token the sandbox issued and the URL's signature and password.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import string
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from symbl_media.client.settings import Settings
from symbl_media.client.tokens import Tokens
from symbl_media.submission.records import Store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _random(n: int = 40) -> str:
    import secrets

    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


APP_ID = f"leak-check-{_random(8)}"
SECRET = _random()  # the app secret
WRONG = _random()  # a wrong secret, which must not show in the refusal either
FLAG_VALUE = _random()  # what someone passes as --app-secret VALUE
SIGNATURE = _random()  # a presigned URL's signature
PASSWORD = _random(16)  # a URL's password
ECHO_TOKEN = "echo." + _random() + ".sig"  # tokens of the hostile test server
BAD_TOKEN = "bad." + _random() + ".sig"
BASIC = base64.b64encode(f"{APP_ID}:{SECRET}".encode()).decode()  # if anything built Basic auth

SHIM = """#!{python} -IS
import json, os, sys
with open({log!r}, "a") as fh:
    fh.write(json.dumps(sys.argv) + "\\n")
os.execv({real!r}, [{real!r}, *sys.argv[1:]])
"""


@dataclass(frozen=True)
class Done:
    label: str
    code: int
    out: str
    err: str


class CmdlineWatch(threading.Thread):
    """Every command line on the machine while the module runs (the CLI, its ffmpeg and
    ffprobe children, the server, the Python API's child)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: set[bytes] = set()
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            for entry in os.scandir("/proc"):
                if entry.name.isdigit():
                    try:
                        with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                            data = fh.read()
                    except OSError:
                        continue
                    if data:
                        self.seen.add(data)
            self.halt.wait(0.005)


@dataclass
class World:
    root: Path
    url: str  # the sandbox
    files: str  # the file server, e.g. http://127.0.0.1:PORT
    env: dict  # for CLI runs: the service and credentials in the environment, shimmed PATH
    server: subprocess.Popen
    server_log: Path
    argv_log: Path
    watch: CmdlineWatch
    clips: Path  # short recordings: the speech engine's time is most of this module's
    runs: list[Done] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    launched: set[bytes] = field(default_factory=set)  # the tests' own command lines

    def launch(self, argv: list) -> list[str]:
        argv = [str(a) for a in argv]
        self.launched.add(b"\0".join(os.fsencode(a) for a in argv) + b"\0")
        return argv

    def home(self, name: str) -> dict:
        """XDG folders and TMPDIR of their own under root/homes/NAME."""
        base = self.root / "homes" / name
        dirs = {}
        for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
                         ("XDG_DATA_HOME", "data"), ("TMPDIR", "tmp"), ("HOME", "home")):
            (base / sub).mkdir(parents=True, exist_ok=True)
            dirs[var] = str(base / sub)
        return dirs

    def run(self, label: str, *args, home: str = "cli", env: dict | None = None,
            stdin: str | None = None, cwd: Path | None = None) -> Done:
        full = {**self.env, **self.home(home), **(env or {})}
        full = {k: v for k, v in full.items() if v is not None}
        done = subprocess.run(self.launch([sys.executable, "-m", "symbl_media", *args]),
                              capture_output=True, text=True, env=full, input=stdin,
                              check=False,
                              cwd=cwd or self.root, timeout=120)
        result = Done(label, done.returncode, done.stdout, done.stderr)
        self.runs.append(result)
        return result

    def signed(self, name: str, password: bool = False) -> str:
        auth = f"reader:{PASSWORD}@" if password else ""
        host = self.files.replace("http://", f"http://{auth}")
        return (f"{host}/{name}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900"
                f"&X-Amz-Signature={SIGNATURE}")


class SignedFiles(http.server.SimpleHTTPRequestHandler):
    """A folder (the samples), served only to requests that carry the signature, as S3 does."""

    folder = SAMPLES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.folder), **kwargs)

    def log_message(self, *args) -> None:
        pass

    def _signed(self) -> bool:
        if parse_qs(urlsplit(self.path).query).get("X-Amz-Signature") == [SIGNATURE]:
            return True
        self.send_error(403)
        return False

    def do_GET(self):
        if self._signed():
            super().do_GET()

    def do_HEAD(self):
        if self._signed():
            super().do_HEAD()


class Hostile(http.server.BaseHTTPRequestHandler):
    """A Symbl-like server that misbehaves with secrets: under /echo it quotes the caller's
    Authorization header in its error messages; under /bad its token reply is malformed, with
    the token where a number belongs (so the client's own error text would quote it)."""

    protocol_version = "HTTP/1.0"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        if self.path.endswith("/oauth2/token:generate"):
            token = ECHO_TOKEN if self.path.startswith("/echo/") else BAD_TOKEN
            status, reply = 200, {"accessToken": token, "expiresIn":
                                  3600 if token == ECHO_TOKEN else token}
        else:
            status, reply = 400, {"message": f"refused {self.headers.get('Authorization')} "
                                             f"with {body}"}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _serve(handler) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("secrets")
    shims, argv_log = root / "shims", root / "argv.jsonl"
    shims.mkdir()
    for tool in ("ffmpeg", "ffprobe"):
        real = shutil.which(tool)
        if real is None:
            pytest.skip(f"needs {tool}")
        shim = shims / tool
        shim.write_text(SHIM.format(python=sys.executable, log=str(argv_log), real=real))
        shim.chmod(0o755)
    clips = root / "clips"
    clips.mkdir()
    for name, channels in (("clip.wav", 1), ("clip-stereo.wav", 2)):
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i",
                        f"file:{SAMPLES / 'mono-16k.wav'}", "-t", "3", "-ac", str(channels),
                        "-c:a", "pcm_s16le", f"file:{clips / name}"], check=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_")}
    base["PATH"] = f"{shims}{os.pathsep}{base.get('PATH', '')}"
    watch = CmdlineWatch()
    watch.start()

    server_log = root / "serve.log"
    server_home = {"TMPDIR": str(root / "serve-tmp")}
    Path(server_home["TMPDIR"]).mkdir()
    with server_log.open("w") as log:
        # The credentials go in through the environment, never the command line.
        server = subprocess.Popen(
            [sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port", "0", "--data",
             str(root / "sandbox")], stdout=log, stderr=subprocess.STDOUT,
            env={**base, **server_home, "SYMBL_SANDBOX_APP_ID": APP_ID,
                 "SYMBL_SANDBOX_APP_SECRET": SECRET})
    deadline = time.monotonic() + 60
    while not (found := re.search(r"listening on (http://\S+)", server_log.read_text())):
        assert server.poll() is None and time.monotonic() < deadline, server_log.read_text()
        time.sleep(0.05)
    url = found[1]
    files, files_url = _serve(type("Clips", (SignedFiles,), {"folder": clips}))
    hostile, hostile_url = _serve(Hostile)
    env = {**base, "SYMBL_API_URL": url, "SYMBL_APP_ID": APP_ID, "SYMBL_APP_SECRET": SECRET}
    world = World(root, url, files_url, env, server, server_log, argv_log, watch, clips)
    world.launch(server.args)
    world.facts["hostile"] = hostile_url
    yield world
    watch.halt.set()
    for httpd in (files, hostile):
        httpd.shutdown()
        httpd.server_close()
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


# ----------------------------------------------------------------------------- the runs

def test_submit_a_file_with_json_and_a_sink(world):
    out = world.root / "out"
    done = world.run("submit", "submit", world.clips / "clip.wav", "--json", "--sink",
                     f"json:{out}/clip.json")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    world.facts.update(cid=result["conversationId"], job=result["jobIds"][0])
    assert (out / "clip.json").is_file()


def test_signed_urls_sent_as_urls_and_downloaded(world):
    """--no-wait: their jobs run while the next tests do; `resume` collects them at the end."""
    direct, fetched = world.signed("clip.wav"), world.signed("clip-stereo.wav", True)
    missing = world.signed("missing.wav")
    done = world.run("submit URLs", "submit", direct, fetched, missing, "--json", "--no-wait")
    assert done.code == 15, done.err  # the missing one; the others went through
    assert "clip.wav: sent as a URL" in done.err
    assert "clip-stereo.wav: downloading to prepare it here" in done.err
    assert "missing.wav: HTTP 404" in done.err
    results = json.loads(done.out)
    assert [r["status"] for r in results] == ["submitted", "submitted", "failed"]
    # ffprobe read the URL (through the relay: what it was given is checked at the end).
    probes = [json.loads(line) for line in world.argv_log.read_text().splitlines()]
    assert any(a[0].endswith("ffprobe") and "-i" in a and a[a.index("-i") + 1].startswith(
        "http://127.0.0.1:") for a in probes), probes
    # Unfinished, a URL submission's record keeps the URL as given (resume needs it), in a
    # folder only this user can open.
    folder = world.root / "homes" / "cli" / "state" / "symbl-media" / "submissions"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert any(SIGNATURE in p.read_text() for p in folder.glob("*.json"))


def test_status_insights_and_resume_list(world):
    job, cid = world.facts["job"], world.facts["cid"]
    for label, args in (("status --json", ("status", job, "--json")),
                        ("insights", ("insights", cid)),
                        ("insights --json", ("insights", cid, "--json")),
                        ("resume --list", ("resume", "--list")),
                        ("resume --list --json", ("resume", "--list", "--json"))):
        done = world.run(label, *args)
        assert done.code == 0, (label, done.err)
    assert world.runs[-2].out.count("submitted") == 2, world.runs[-2].out  # the URLs


def test_a_wrong_secret_is_refused_without_showing_it(world):
    # A cache of its own: the token cached by earlier runs would still be good.
    done = world.run("wrong secret", "status", world.facts["job"], home="wrong",
                     env={"SYMBL_APP_SECRET": WRONG})
    assert done.code == 12 and "refused the app id and secret" in done.err, done.err
    done = world.run("wrong secret submit, debug", "submit", world.clips / "clip.wav", "--json",
                     home="wrong", env={"SYMBL_APP_SECRET": WRONG, "SYMBL_MEDIA_DEBUG": "1"})
    assert done.code == 12 and "refused the app id and secret" in done.err, done.err


def test_a_secret_given_as_a_flag_value_is_refused_and_a_secret_file_works(world):
    for label, args in (
            ("status --app-secret", ("status", "x", "--app-secret", FLAG_VALUE)),
            ("submit --app-secret=", ("submit", world.clips / "clip.wav",
                                      f"--app-secret={FLAG_VALUE}")),
            ("serve --app-secret", ("sandbox", "serve", "--port", "0", "--app-secret",
                                    FLAG_VALUE, "--data", world.root / "never"))):
        done = world.run(label, *args)
        assert done.code == 2, (label, done.err)
        lines = done.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("symbl-media: error: --app-secret "), lines
        assert "--app-secret-file" in lines[0] and "every user" in lines[0]
    assert not (world.root / "never").exists()
    secret_file = world.root / "secret.txt"
    secret_file.write_text(SECRET + "\n")
    secret_file.chmod(0o600)
    no_env_secret = {"SYMBL_APP_SECRET": None}
    done = world.run("status --app-secret-file", "status", world.facts["job"], "--app-id",
                     APP_ID, "--app-secret-file", secret_file, home="secret-file",
                     env=no_env_secret)
    assert (done.code, done.out.strip()) == (0, "completed"), done.err
    done = world.run("status --app-secret-file -", "status", world.facts["job"],
                     "--app-secret-file", "-", home="secret-stdin", stdin=SECRET + "\n",
                     env=no_env_secret)
    assert (done.code, done.out.strip()) == (0, "completed"), done.err
    done = world.run("stdin twice", "submit", "-", "--app-secret-file", "-", stdin=SECRET,
                     home="secret-stdin", env=no_env_secret)
    assert done.code == 2 and "standard input" in done.err, done.err


def test_a_server_that_echoes_or_mangles_tokens_cannot_make_us_print_them(world):
    hostile = world.facts["hostile"]
    done = world.run("echoing server", "status", "job-1", home="hostile-echo",
                     env={"SYMBL_API_URL": f"{hostile}/echo"})
    assert done.code == 11 and "HTTP 400: refused Bearer [hidden]" in done.err, done.err
    done = world.run("malformed token", "status", "job-1", home="hostile-bad",
                     env={"SYMBL_API_URL": f"{hostile}/bad"})
    assert done.code == 1 and "internal error: ValueError" in done.err, done.err
    done = world.run("malformed token debug", "status", "job-1", home="hostile-bad",
                     env={"SYMBL_API_URL": f"{hostile}/bad", "SYMBL_MEDIA_DEBUG": "1"})
    assert done.code == 1 and "Traceback (most recent call last)" in done.err, done.err
    assert "[hidden]" in done.err


PYTHON_API = """
import logging, os, sys, traceback
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
import symbl_media as symbl
from symbl_media.client.settings import resolve

url, app_id = os.environ["LEAK_URL"], os.environ["LEAK_APP_ID"]
good = {"app_id": app_id, "app_secret": os.environ["LEAK_SECRET"], "api_url": url}
wrong = {**good, "app_secret": os.environ["LEAK_WRONG"]}
text = {"messages": [{"payload": {"content": "Bob, please send the report by Friday."}}]}
for call, credentials in (  # the wrong secret first, so no cached token hides it
        (lambda c: symbl.Text.process(payload=text, credentials=c), wrong),
        (lambda c: symbl.Audio.process_url(url=os.environ["LEAK_SIGNED"], credentials=c),
         good)):
    try:
        call(credentials)
    except Exception as exc:
        print("FAILED", type(exc).__name__, str(exc), repr(exc))
        traceback.print_exc()
    else:
        sys.exit("a wrong secret or a missing file was accepted")
conversation = symbl.Text.process(payload=text, credentials=good)
print(repr(conversation), conversation.get_action_items())
print(repr(resolve(url, app_id, os.environ["LEAK_SECRET"])))
logging.getLogger("symbl_media").debug("done: %r", conversation)
"""


def test_the_python_api_with_a_credentials_dict_and_debug_logging(world):
    env = {k: v for k, v in world.env.items() if not k.startswith("SYMBL_")}
    env.update(world.home("python-api"), LEAK_URL=world.url, LEAK_APP_ID=APP_ID,
               LEAK_SECRET=SECRET, LEAK_WRONG=WRONG, LEAK_SIGNED=world.signed("missing.wav"))
    done = subprocess.run(world.launch([sys.executable, "-c", PYTHON_API]), capture_output=True,
                          text=True, env=env, cwd=world.root, timeout=120, check=False)
    world.runs.append(Done("python api", done.returncode, done.stdout, done.stderr))
    assert done.returncode == 0, done.stderr
    assert "FAILED AuthError" in done.stdout and "FAILED UrlError" in done.stdout
    assert "Traceback" in done.stderr
    assert "DEBUG:urllib3.connectionpool" in done.stderr  # debug logging was on


# ----------------------------------------------------------------------------- the token cache

def _token_folder_modes(folder: Path, url: str) -> tuple[int, int]:
    tokens = Tokens(Settings(url, APP_ID, SECRET, "test"), requests.Session(), folder=folder)
    tokens.refresh()
    return (stat.S_IMODE(folder.stat().st_mode), stat.S_IMODE(tokens.path.stat().st_mode))


def test_the_token_cache_is_0600_in_a_0700_folder_even_with_umask_000(world, tmp_path):
    old = os.umask(0)
    try:
        assert _token_folder_modes(tmp_path / "fresh" / "tokens", world.url) == (0o700, 0o600)
    finally:
        os.umask(old)
    loose = tmp_path / "loose" / "tokens"
    loose.mkdir(parents=True, mode=0o777)
    loose.chmod(0o755)
    assert _token_folder_modes(loose, world.url) == (0o700, 0o600)


def test_the_submissions_folder_is_tightened_to_0700(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    folder.chmod(0o755)
    Store(folder).work("k")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_older_sandbox_folder_has_its_plain_secret_and_tokens_hashed(tmp_path):
    """Earlier versions kept the app secret and the tokens as they are; opening such a folder
    hashes both, overwrites the plain text, and the tokens it had issued keep working."""
    import hmac

    from symbl_media.server.auth import _b64
    from store_history import UNVERSIONED_SQLITE_SCHEMA
    from symbl_media.testing import ApiClient, running_sandbox

    key, old_secret = os.urandom(32), _random()
    head = _b64(b'{"alg": "HS256", "typ": "JWT"}')
    body = _b64(json.dumps({"sub": "old", "exp": int(time.time()) + 3600}).encode())
    token = f"{head}.{body}.{_b64(hmac.new(key, f'{head}.{body}'.encode(), 'sha256').digest())}"
    db = sqlite3.connect(tmp_path / "sandbox.sqlite3")
    db.executescript(UNVERSIONED_SQLITE_SCHEMA)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("signing_key", key.hex()), ("app_id", "old"), ("app_secret", old_secret)])
    db.execute("INSERT INTO tokens VALUES (?, ?)", (token, time.time() + 3600))
    db.commit()
    db.close()
    with running_sandbox(tmp_path) as sandbox:
        assert requests.get(sandbox.url + "/v1/conversations", timeout=5, headers={
            "Authorization": f"Bearer {token}"}).status_code == 200
        assert ApiClient(sandbox.url, "old", old_secret).token
    data = b"".join(p.read_bytes() for p in tmp_path.glob("sandbox.sqlite3*"))
    assert old_secret.encode() not in data and token.encode() not in data


CURL = shutil.which("curl", path="/usr/bin:/bin")


@pytest.mark.skipif(os.getuid() != 0 or shutil.which("runuser") is None or CURL is None,
                    reason="needs root (to act as another user) and curl")
def test_the_url_relay_serves_no_other_user(tmp_path):
    from symbl_media.media.relay import relayed

    httpd, base = _serve(SignedFiles)
    try:
        with relayed(f"{base}/mono.mp3?X-Amz-Signature={SIGNATURE}", timeout=5) as local:
            assert requests.get(local, timeout=5).content == (SAMPLES / "mono.mp3").read_bytes()
            other = subprocess.run(["runuser", "-u", "nobody", "--", CURL, "-s", "-o",
                                    "/dev/null", "-w", "%{http_code}", local],
                                   capture_output=True, text=True, timeout=30, check=False)
            assert other.stdout == "404", other
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_resume_finishes_the_url_submissions_and_forgets_their_query(world):
    done = world.run("resume", "resume", "--json")
    assert done.code == 0, done.err
    assert [r["status"] for r in json.loads(done.out)] == ["completed", "completed"]
    done = world.run("resume --list at the end", "resume", "--list", "--json")
    assert [r["stage"] for r in json.loads(done.out)] == ["done"] * 3


# ----------------------------------------------------------------------------- the check

def _tokens_issued(world) -> set[str]:
    """Every token the sandbox issued this module: the clients' caches hold them, the live one
    is handed out again; the sandbox's table (hashes only) proves none is missing."""
    known = {requests.post(f"{world.url}/oauth2/token:generate", timeout=10, json={
        "type": "application", "appId": APP_ID, "appSecret": SECRET}).json()["accessToken"]}
    for cached in (world.root / "homes").rglob("*.json"):
        if cached.parent.name in ("tokens", "client-tokens"):
            known.add(json.loads(cached.read_text())["accessToken"])
    db = sqlite3.connect(world.root / "sandbox" / "sandbox.sqlite3")
    try:
        stored = {row[0] for row in db.execute("SELECT token FROM tokens")}
        meta = dict(db.execute("SELECT key, value FROM meta"))
    finally:
        db.close()
    plain = {t for t in stored if not t.startswith("sha256:")}
    assert not plain, "the sandbox keeps tokens in plain text"
    assert stored <= {"sha256:" + hashlib.sha256(t.encode()).hexdigest() for t in known}
    assert "app_secret" not in meta and meta["app_secret_hash"].startswith("pbkdf2-sha256$")
    return known | {ECHO_TOKEN, BAD_TOKEN}


def test_nothing_shows_anywhere(world):
    assert len(world.runs) >= 18, "run the whole module: this test checks what the others did"
    tokens = _tokens_issued(world)
    world.server.send_signal(signal.SIGTERM)
    world.server.wait(30)
    time.sleep(0.05)
    world.watch.halt.set()
    world.watch.join(5)

    secrets_ = {"the app secret": SECRET, "a wrong secret": WRONG,
                "the --app-secret value": FLAG_VALUE, "Basic auth": BASIC}
    secrets_.update({f"token {t[:12]}...": t for t in tokens})
    url_parts = {"the URL's signature": SIGNATURE, "the URL's password": PASSWORD}
    problems = []

    def check(where: str, data: bytes, *, tokens_ok: bool = False, url_ok: bool = False):
        for what, needle in {**secrets_, **({} if url_ok else url_parts)}.items():
            if tokens_ok and what.startswith("token "):
                continue
            if needle.encode() in data:
                problems.append(f"{what} in {where}")

    for run in world.runs:
        check(f"the output of {run.label}", (run.out + run.err).encode())
    check("the sandbox's log", world.server_log.read_bytes())
    check("ffmpeg's and ffprobe's argv", world.argv_log.read_bytes())
    # What the tests typed themselves (a URL, a refused --app-secret) is on those command
    # lines by their own doing; everything started from them is checked.
    for cmdline in world.watch.seen - world.launched:
        check(f"a command line ({cmdline[:60]!r})", cmdline)
    assert any(b"symbl_media\0submit" in c for c in world.watch.seen)  # it did look

    for path in sorted((world.root / "homes").rglob("*")):
        if path.is_file():
            # The token cache holds a token by necessity; never the secret.
            cache = path.parent.name in ("tokens", "client-tokens")
            check(str(path.relative_to(world.root)), path.read_bytes(), tokens_ok=cache)
    for path in sorted((world.root / "sandbox").rglob("*")) + sorted(
            (world.root / "serve-tmp").rglob("*")):
        if path.is_file():
            # The service keeps the URL it was asked to fetch (the job's options), as Symbl
            # would; it keeps no secret and no token.
            check(str(path.relative_to(world.root)), path.read_bytes(), url_ok=True)
    out = world.root / "out" / "clip.json"
    check("the json sink", out.read_bytes())
    assert not problems, "\n".join(problems)
