"""One HTTP/1.1 connection as uvicorn's h11 protocol serves it, with what the sandbox adds.

uvicorn parses, frames, keeps alive and times out; this subclass changes only how a
connection ends and what a broken request is told:
- a request h11 cannot parse gets the JSON body every refusal has, with h11's status (400,
  431 for a header block over the limit, 501 for a transfer coding other than chunked);
- a reply that leaves request bytes unread (a body refused before it was read) is followed by
  a gentle close: FIN after the reply, then what the client still sends is read and dropped
  for a moment. Closing a socket with unread bytes makes the kernel send a reset, which can
  destroy the reply before the client has read it;
- a client that half-closes (sends its request, then shuts its side) still gets the reply
  (and any request it sent before), and a body cut short by that is told apart from a
  complete one (``body_cut``), as is a body whose chunked framing broke (``broken``);
- ``drop()``: the connection ends without a reply (the fault injection's dropped requests);
- ``draining``: set when the server starts to stop, so a held job poll answers at once.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from symbl_media.server.web import CONNECTION

LINGER_SECONDS = 1.0
LINGER_BYTES = 4 << 20


class _Connection(h11.Connection):
    """h11's connection, remembering why the peer's last bytes could not be parsed."""

    error: h11.RemoteProtocolError | None = None

    def next_event(self):
        try:
            return super().next_event()
        except h11.RemoteProtocolError as exc:
            self.error = exc
            raise


class _Lingering:
    """The socket's transport, whose close() lingers when request bytes may still come."""

    def __init__(self, transport, protocol: SandboxProtocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self.lingering = False
        self._dropped = 0
        self._timer = None

    def __getattr__(self, name):
        return getattr(self._transport, name)

    def is_closing(self) -> bool:
        return self.lingering or self._transport.is_closing()

    def close(self) -> None:
        if self.is_closing():
            return
        if self._protocol.conn.their_state not in (h11.SEND_BODY, h11.ERROR) \
                or not self._transport.can_write_eof():
            self._transport.close()
            return
        self.lingering = True
        self._transport.write_eof()  # FIN once the reply has gone out
        try:
            self._transport.resume_reading()
        except RuntimeError:
            pass
        self._timer = self._protocol.loop.call_later(LINGER_SECONDS, self.finish)

    def discard(self, data: bytes) -> None:
        self._dropped += len(data)
        if self._dropped > LINGER_BYTES:
            self.finish()

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._transport.close()


class SandboxProtocol(H11Protocol):
    def __init__(self, config, server_state, app_state, _loop=None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.conn = _Connection(h11.SERVER, config.h11_max_incomplete_event_size
                                or h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE)
        self.eof = False  # the client has shut its side: this is the last request
        self.body_cut = False  # ... and did so before the body was complete
        self.broken: h11.RemoteProtocolError | None = None  # the body's framing was broken
        # Set when the server starts to drain: a held job poll answers at once (web.py),
        # rather than keep the drain waiting for the rest of its wait.
        self.draining = asyncio.Event()
        app = self.app

        async def with_connection(scope, receive, send) -> None:
            scope["extensions"] = {**(scope.get("extensions") or {}), CONNECTION: self}
            await app(scope, receive, send)

        self.app = with_connection

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(_Lingering(transport, self))

    def data_received(self, data: bytes) -> None:
        if self.transport.lingering:
            self.transport.discard(data)
            return
        super().data_received(data)

    def eof_received(self) -> bool | None:
        if self.transport.lingering:
            self.transport.finish()
            return None
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            self.eof = True
            if self.conn.their_state is h11.SEND_BODY:
                self.body_cut = True
                cycle.more_body = False
                cycle.message_event.set()
            return True  # keep the writing side open: the reply still goes out
        return None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.eof and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # too late for a reply of its own
                self.transport.close()
                return
            # The request being served broke its framing mid-body: the route reading it is
            # told so (``broken``) and answers the 400 itself, once it has let go of the body.
            self.broken = self.conn.error or h11.RemoteProtocolError(msg)
            cycle.more_body = False
            cycle.message_event.set()
            return
        error = self.conn.error
        status = getattr(error, "error_status_hint", 400)
        body = json.dumps({"message": f"Invalid HTTP request: {error or msg}"}).encode()
        try:
            self.transport.write(self.conn.send(h11.Response(
                status_code=status, reason=_phrase(status),
                headers=[(b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close")])))
            self.transport.write(self.conn.send(h11.Data(data=body)))
            self.transport.write(self.conn.send(h11.EndOfMessage()))
        except h11.LocalProtocolError:
            pass
        self.transport.close()

    def shutdown(self) -> None:
        self.draining.set()
        super().shutdown()

    def last_request(self) -> bool:
        """Whether the client has shut its side with no further request sent: the reply to
        this one is the connection's last."""
        return self.eof and not self.conn.trailing_data[0]

    def drop(self) -> None:
        """End the connection now, without a reply."""
        cycle = self.cycle
        if cycle is not None:
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()


def _phrase(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""
