"""What the client tests' loopback stand-ins share: a JSON answer written as a server would."""

from __future__ import annotations

import http.server
import json


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that answers JSON and logs nothing; subclasses add do_GET/do_POST."""

    def answer(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass
