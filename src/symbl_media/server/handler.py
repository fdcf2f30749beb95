"""One HTTP/1.1 connection of the sandbox: requests parsed by ``http.server``, handed to
``Sandbox.handle``, and the reply (JSON, or a file streamed) written back."""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from symbl_media.server.http import HttpRequest, Refusal, Reply, linger, parse_target

log = logging.getLogger("symbl_media.server")


def handler_for(app) -> type[BaseHTTPRequestHandler]:
    """The request handler class for ``app`` (a ``Sandbox``)."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "symbl-media-sandbox"
        # Headers and body go out in two writes; with Nagle on, the body waits for the
        # client's delayed ACK (40 ms on Linux) on every keep-alive request.
        disable_nagle_algorithm = True
        timeout = 300  # a stalled client gives up its thread (and its partial upload)
        expect_continue = False  # "Expect: 100-continue" seen; HttpRequest.stream sends the 100

        def parse_request(self) -> bool:
            self.expect_continue = False
            if not super().parse_request():
                return False
            if self.request_version == "HTTP/0.9":  # a reply without status line or headers
                self.send_error(400, "HTTP/0.9 requests are not supported")
                return False
            return True

        def handle_expect_100(self) -> bool:
            # No "100 Continue" up front: it goes out when the body is first read, so a
            # request refused before that (401, 413, a bad option) never sends its body.
            self.expect_continue = True
            return True

        def finish(self) -> None:
            super().finish()
            if self.close_connection:  # the reply must reach the client before the close
                linger(self.connection)

        def send_error(self, code, message=None, explain=None) -> None:
            """http.server's own refusals (a garbage request line, headers too large, an
            unknown method): a JSON body like every other reply, and the connection closed."""
            short = self.responses.get(code, ("Error",))[0]
            if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
                self.request_version = "HTTP/1.1"  # a status line even for a garbage line
            data = json.dumps({"message": message or short}).encode()
            self.close_connection = True
            self.send_response(code, short)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _serve(self) -> None:
            started = time.monotonic()
            path, query, raw_query = parse_target(self.path)
            request = HttpRequest(self.command, path, query,
                                  {k.lower(): v for k, v in self.headers.items()}, self,
                                  raw_query=raw_query)
            status = 0
            try:
                reply = app.handle(request)
                if reply is None:
                    status = "dropped"
                    self.close_connection = True
                    return
            except Refusal as exc:
                reply = Reply(exc.status, exc.body)
            except Exception as exc:  # a bug: a 500 with a message, never a stack trace
                log.exception("internal error on %s %s", self.command, path)
                reply = Reply(500, {"message": f"Internal server error: {type(exc).__name__}"})
            status = reply.status
            if request.has_body and not request.body_read:
                # Refused before reading the body: its bytes must not be taken for the next
                # request on this connection.
                self.close_connection = True
            self._send(reply)
            if app.config.log_requests:
                # Path only: queries can carry webhook URLs; tokens never reach the log.
                print(f'{self.client_address[0]} "{self.command} {path}" {status} '
                      f'{time.monotonic() - started:.3f}s', file=sys.stderr, flush=True)

        def _send(self, reply: Reply) -> None:
            if isinstance(reply.body, Path):
                size = reply.body.stat().st_size
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                with reply.body.open("rb") as fh:
                    shutil.copyfileobj(fh, self.wfile, 1 << 20)
                return
            data = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in reply.headers.items():
                self.send_header(k, v)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format, *args) -> None:  # our own line per request instead
            pass

    return Handler
