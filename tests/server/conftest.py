"""Fixtures for the sandbox tests: a running server on loopback and a client for it."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from symbl_media.server.store import Store
from symbl_media.testing import running_sandbox


def pytest_generate_tests(metafunc):
    """A module that sets ``BOTH_BACKENDS = True`` runs each test that uses ``sandbox`` (or
    ``database``) once on SQLite and once on the throwaway PostgreSQL cluster."""
    if getattr(metafunc.module, "BOTH_BACKENDS", False) and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request):
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database(backend, request):
    """The sandbox's database settings for this test: none (the data folder's SQLite file),
    or a fresh database of the throwaway cluster (tests/conftest.py, ``postgres``)."""
    if backend == "sqlite":
        return {}
    cluster = request.getfixturevalue("postgres")
    return {"database": cluster.url(cluster.new_database()),
            "database_password": cluster.password}


@pytest.fixture
def sandbox(tmp_path, database):
    with running_sandbox(tmp_path / "sandbox-data", **database) as running:
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


@pytest.fixture
def stores(store_target):
    """Two stores open on one database (``store_target``): two processes' views of it."""
    opened = [Store(*store_target), Store(*store_target)]
    yield opened
    for store in opened:
        store.close()
