"""Keep a URL off ffprobe's command line: a relay on loopback that ffprobe reads instead.

A command line is public on Linux (``ps``, ``/proc/<pid>/cmdline``, readable by every user),
and a URL input may carry a presigned query string or a password. So ffprobe is given
``http://127.0.0.1:<port>/<random>/<file name>`` and this relay forwards each of its requests
(GET with its Range header; no redirects followed, as before) to the real URL and streams the
answer back: ffprobe sees the same status, length, ranges and bytes, and may seek as it would.

The relay lives as long as one probe, answers only its own random path, and, where Linux
says who owns a loopback connection (``/proc/net/tcp``), only this user's processes, so the
address read off the command line is of no use to anyone else.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import requests

PASSED_ON = ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges",
             "Content-Encoding", "Last-Modified", "ETag")
BLOCK = 1 << 16


@contextlib.contextmanager
def relayed(url: str, *, timeout: float):
    """Yield a loopback http URL that serves what ``url`` serves, for as long as the block
    runs. ``timeout`` bounds the connection to the real server and every read from it."""
    name = PurePosixPath(unquote(urlsplit(url).path)).name  # ffmpeg takes hints from it
    path = f"/{secrets.token_urlsafe(24)}/{quote(name or 'input')}"
    done = threading.Event()
    session = requests.Session()
    session.headers["User-Agent"] = "symbl-media"
    session.headers["Accept-Encoding"] = "identity"  # the file's own bytes and length

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: ffmpeg reconnects to seek

        def do_GET(self) -> None:  # the http.server spelling
            self._relay()

        def do_HEAD(self) -> None:
            self._relay()

        def _relay(self) -> None:
            if self.path != path or not _same_user(self.connection):
                self.send_error(404)
                return
            headers = {"Range": self.headers["Range"]} if self.headers.get("Range") else {}
            try:
                reply = session.request(self.command, url, headers=headers, stream=True,
                                        allow_redirects=False, timeout=(timeout, timeout))
            except requests.RequestException:
                self.send_error(502)
                return
            with reply:
                self.send_response(reply.status_code)
                for header in PASSED_ON:
                    if header in reply.headers:
                        self.send_header(header, reply.headers[header])
                self.end_headers()
                if self.command == "HEAD":
                    return
                with contextlib.suppress(OSError, requests.RequestException):
                    for block in reply.raw.stream(BLOCK, decode_content=False):
                        if done.is_set():
                            break
                        self.wfile.write(block)

        def log_message(self, format, *args) -> None:  # nothing to log
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address) -> None:
            pass  # ffprobe hanging up mid-body (to seek, or when done) is routine

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="symbl-media-relay", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        done.set()
        server.shutdown()
        server.server_close()
        session.close()


def _same_user(connection: socket.socket) -> bool:
    """Whether the other end of this loopback connection belongs to this user. Linux lists
    every TCP socket with its owner in /proc/net/tcp; elsewhere nothing can be checked."""
    try:
        theirs, ours = connection.getpeername()[:2], connection.getsockname()[:2]
        with open("/proc/net/tcp", encoding="ascii") as fh:
            lines = fh.read().splitlines()[1:]
    except (OSError, ValueError):
        return True
    want = (_hex(theirs), _hex(ours))
    for line in lines:
        fields = line.split()
        if len(fields) > 7 and (fields[1], fields[2]) == want:
            return int(fields[7]) == os.getuid()
    return False


def _hex(address: tuple[str, int]) -> str:
    """An IPv4 address and port as /proc/net/tcp spells them (the address in host order)."""
    host, port = address
    return f"{int.from_bytes(socket.inet_aton(host), sys.byteorder):08X}:{port:04X}"
