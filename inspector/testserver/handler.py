"""The HTTP plumbing: a threaded server, its request handler, and writing an :class:`Answer`.

Each connection gets its own thread, so a slow answer (a delay, a drip, the server-wide
latency) never holds up other clients. Writing ends early and quietly when the server
stops or the client goes away.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from inspector.testserver.bodies import reason_phrase
from inspector.testserver.exchange import Answer

_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)
_DRIP_TICK = 0.25  # seconds between drip writes (at most)


class Dispatcher(Protocol):
    """What the handler needs from the server that owns it."""

    def track(self, conn: socket.socket, *, add: bool) -> None: ...

    def handle(self, handler: Handler) -> None: ...


class HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its dispatcher (the FakeOpenRouter)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # 16+ clients connecting at once must not wait for SYN retries

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (a deadline, a size cap, Ctrl+C) is what the
        hostile scenarios are for, not a fault of the server: no traceback for it."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    """Hands every request to the dispatcher; keeps connections alive (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"
    server_version = "fake-openrouter/1"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end after this
    server: HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.dispatcher.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            with contextlib.suppress(*_GONE):
                super().finish()
        finally:
            self.server.dispatcher.track(self.connection, add=False)

    def do_GET(self) -> None:
        self.server.dispatcher.handle(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the demo own the terminal."""

    def drain_body(self) -> None:
        """Read (and ignore) a request body so keep-alive stays in sync."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(length)


def write_answer(handler: Handler, answer: Answer, stopping: threading.Event) -> None:
    """Send the answer (after its delay), or misbehave as scripted."""
    if answer.delay > 0 and stopping.wait(answer.delay):
        handler.close_connection = True
        return
    if answer.action == "reset":
        if answer.body:
            with contextlib.suppress(*_GONE):
                handler.wfile.write(answer.body)
        reset_connection(handler)
        return
    body = answer.body
    pieces: Iterable[bytes] = (body,)
    length: int | None = len(body)
    if answer.stream is not None:
        length, pieces = answer.stream.open()
    handler.send_response(answer.status, reason_phrase(answer.status))
    handler.send_header("Content-Type", answer.content_type)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    for name, value in answer.headers.items():
        handler.send_header(name, value)
    if answer.action == "truncate" or length is None:
        handler.send_header("Connection", "close")
        handler.close_connection = True
        if answer.action == "truncate":
            pieces = (body[: len(body) // 2],)
    try:
        handler.end_headers()
        if handler.command == "HEAD":
            return
        if answer.drip and answer.stream is None:
            _drip(handler, b"".join(pieces), answer.drip, stopping)
        else:
            _write_pieces(handler, pieces, stopping)
    except _GONE:
        handler.close_connection = True


def _write_pieces(handler: Handler, pieces: Iterable[bytes], stopping: threading.Event) -> None:
    for piece in pieces:
        if stopping.is_set():
            handler.close_connection = True
            return
        handler.wfile.write(piece)


def _drip(handler: Handler, body: bytes, rate: float, stopping: threading.Event) -> None:
    """``body`` at ``rate`` bytes per second, in small writes; stops when the server stops."""
    size = max(1, int(rate * _DRIP_TICK))
    pause = size / rate
    for start in range(0, len(body), size):
        if start and stopping.wait(pause):
            handler.close_connection = True
            return
        handler.wfile.write(body[start : start + size])


def reset_connection(handler: Handler) -> None:
    """Close the socket with SO_LINGER 0: the peer sees a TCP RST, not a clean FIN."""
    sock = handler.connection
    handler.close_connection = True
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()  # the makefile holds a reference that would delay the close
        sock.close()
    except OSError:
        pass
