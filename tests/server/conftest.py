"""Fixtures for the sandbox tests: a running server on loopback and a client for it."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from symbl_media.testing import running_sandbox


@pytest.fixture
def sandbox(tmp_path):
    with running_sandbox(tmp_path / "sandbox-data") as running:
        yield running


@pytest.fixture
def api(sandbox):
    return sandbox.client()


@pytest.fixture
def web(samples):
    """A local web server: files from samples/, a redirect, and a webhook receiver."""
    hooks: list[dict] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(samples), **kwargs)

        def do_GET(self):
            if self.path == "/moved.wav":
                self.send_response(302)
                self.send_header("Location", "/mono-16k.wav")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hooks.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hooks
    server.shutdown()
