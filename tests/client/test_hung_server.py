"""A server that takes requests and never answers them: every read the client makes times out.

As the served sandbox did when it deadlocked: the port still accepts connections (the kernel
does that) and nothing ever replies. The CLI used to wait 300 s per try on a job poll, six
tries; reads now wait SYMBL_MEDIA_READ_TIMEOUT (30 s by default) and end in the documented
"unreachable" exit.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading

import pytest


@pytest.fixture
def hung_server():
    """Gives tokens, then hangs on every other request until the test ends."""
    release = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith("/oauth2/token:generate"):
                body = json.dumps({"accessToken": "t0ken-of-the-hung-server",
                                   "expiresIn": 3600}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            release.wait(120)

        def do_GET(self):
            release.wait(120)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    release.set()
    server.shutdown()
    server.server_close()


def test_a_job_poll_on_a_hung_server_ends_unreachable(hung_server, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL")}
    env.update(SYMBL_API_URL=hung_server, SYMBL_APP_ID="app", SYMBL_APP_SECRET="secret-value",
               SYMBL_MEDIA_READ_TIMEOUT="1", SYMBL_MEDIA_RETRIES="2", SYMBL_MEDIA_BACKOFF="0",
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    # SYMBL_MEDIA_TIMEOUT stays at its 300 s: before reads had their own timeout, this
    # command waited 2 x 300 s and the subprocess timeout below failed the test.
    done = subprocess.run([sys.executable, "-m", "symbl_media", "status",
                           "4851b330-afff-4397-a695-ca99afae9249"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 13, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached (ReadTimeout) after 2 tries" in lines[0]
    assert "secret-value" not in done.stderr and "t0ken" not in done.stderr


@pytest.mark.parametrize("value", ["soon", "0"])
def test_a_bad_read_timeout_is_a_usage_error(value, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL")}
    env.update(SYMBL_MEDIA_READ_TIMEOUT=value, XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "symbl_media", "status",
                           "4851b330-afff-4397-a695-ca99afae9249"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"SYMBL_MEDIA_READ_TIMEOUT={value!r}" in done.stderr
