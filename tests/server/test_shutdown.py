"""SIGTERM drains the API of the real `sandbox serve`: new connections are refused at once, a
slow upload in flight still completes and gets its reply, the process exits 0 within the
grace time; with --workers N the supervisor passes the signal on to every API process."""

from __future__ import annotations

import signal
import socket
import time

import pytest

from .serve_process import Served

GRACE = 20


def _refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def _upload_start(served: Served, body: bytes) -> socket.socket:
    """An upload whose first half is sent; the rest is the caller's to send."""
    token = served.token()
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    sock.sendall((f"POST /v1/process/audio HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"x-api-key: {token}\r\nContent-Type: audio/wav\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n").encode() + body[:len(body) // 2])
    return sock


def _reply(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_lets_a_slow_upload_finish_refuses_new_connections_and_exits_0(
        tmp_path, samples, workers):
    body = (samples / "mono-16k.wav").read_bytes()
    with Served(tmp_path / "data", "--workers", workers, "--grace-seconds", GRACE) as served:
        idle = socket.create_connection(("127.0.0.1", served.port), timeout=30)
        upload = _upload_start(served, body)
        time.sleep(0.5)  # the request is being read: in flight
        signalled = time.monotonic()
        served.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        while not _refused(served.port):
            assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
            time.sleep(0.05)
        time.sleep(1.0)  # the upload stalls a while longer, well inside the grace time
        upload.sendall(body[len(body) // 2:])
        reply = _reply(upload)
        code, out, err = served.stop(timeout=GRACE + 40)
        took = time.monotonic() - signalled
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201"), reply[:300]
    assert b"connection: close" in head.lower()  # no further request on a draining server
    assert b'"jobId"' in payload
    assert idle.recv(1) == b""  # an idle connection is closed, not left waiting
    assert code == 0, err
    assert took < GRACE, took
    assert "Traceback" not in err, err
    # The upload was received whole: the drained request was answered, not cut off.
    assert '"POST /v1/process/audio" 201' in err


def test_the_grace_time_bounds_a_request_that_never_ends(tmp_path, samples):
    body = (samples / "mono-16k.wav").read_bytes()
    with Served(tmp_path / "data", "--grace-seconds", 2) as served:
        upload = _upload_start(served, body)  # and the second half never comes
        time.sleep(0.5)
        signalled = time.monotonic()
        code, out, err = served.stop(timeout=60)
        took = time.monotonic() - signalled
    assert code == 0, err
    assert 2 <= took < 15, took
    # Cut off once the grace time ran out, told so in Symbl's shape, and the connection closed.
    head, _, payload = _reply(upload).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503") and b"connection: close" in head.lower(), head
    assert b"shutting down" in payload
    assert '"POST /v1/process/audio" 503' in err
