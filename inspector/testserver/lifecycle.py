"""Starting and stopping a local threaded HTTP service (the FakeOpenRouter's base class).

``start()`` only binds and spawns a daemon thread (it never touches an asyncio loop, so it
runs inside a test, the demo's process or the foreground). ``stop()`` ends open connections
and pending delays promptly.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from typing import Self

from inspector.testserver.exchange import API_PREFIX
from inspector.testserver.handler import Handler, HTTPServer


class LocalHTTPService:
    """A threaded HTTP server on ``host:port`` (port 0: a free one); subclasses ``handle``."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requested_port = port
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None

    def handle(self, handler: Handler) -> None:
        raise NotImplementedError

    def track(self, conn: socket.socket, *, add: bool) -> None:
        """Remember open connections, so ``stop()`` can end them."""
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def start(self) -> Self:
        """Bind (port 0: a free one) and serve from a daemon thread. Returns self."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = httpd = HTTPServer((self.host, self.requested_port), self)
        httpd.timeout = 0  # handle_request() never waits: _serve selects first
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread = threading.Thread(
            target=self._serve,
            args=(httpd, self._wake_r),
            name=f"fake-openrouter:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def _serve(self, httpd: HTTPServer, wake: socket.socket) -> None:
        """Accept connections until ``stop()`` writes to the wake-up socket."""
        with selectors.DefaultSelector() as selector:
            selector.register(httpd, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is httpd and not self._stopping.is_set():
                        httpd.handle_request()

    def stop(self) -> None:
        """Stop serving, end open connections and pending delays. Safe to call twice."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        if self._wake_w is not None:
            with contextlib.suppress(OSError):
                self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        httpd.server_close()
        for sock in (self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()
        self._wake_r = self._wake_w = None
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def serve_forever(self) -> None:
        """Start and block until KeyboardInterrupt (for ``python -m inspector.testserver``)."""
        self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        """The bound port (after ``start()``)."""
        if self._httpd is None:
            raise RuntimeError("FakeOpenRouter is not started")
        return int(self._httpd.server_address[1])

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>`` (no API prefix)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/api/v1``: what OPENROUTER_BASE_URL should be."""
        return self.root_url + API_PREFIX
