"""A real HTTP/1.1 stand-in for OpenRouter's ``/generation`` and ``/key`` endpoints.

``FakeOpenRouter`` listens on 127.0.0.1 (a free port unless told otherwise) and serves from
a daemon thread, so it can run inside a test, inside the demo's process (it never touches an
asyncio loop: ``start()`` only binds and spawns the thread) or in the foreground via
``python -m inspector.testserver``.

Routes (under ``/api/v1``; every one checks ``Authorization: Bearer <key>`` first and answers
OpenRouter's 401 bodies: no key -> ``No auth credentials found``, unknown key ->
``User not found.``):

* ``GET /generation?id=ID`` -- the record as ``{"data": {...}}``; an unknown id answers
  ``404 {"error": {"code": 404, "message": "Generation ID not found"}}``; a missing or empty
  ``id`` answers 400 in the Zod shape. An id with a :class:`Scenario` follows its script.
* ``GET /key`` (and the older alias ``/auth/key``) -- ``{"data": {...}}`` from ``key_info``.

Any other path answers an HTML 404 page (no auth check, like the real site's router);
other methods on the API routes answer 405.

Scripts: each authorised ``GET /generation`` for an id increments that id's counter
(``count(id)``); request number *n* (0-based) plays ``scenario.steps[n]``, and once the
steps are used up every further request plays ``scenario.then`` (by default: the record).

``time_scale`` multiplies the waits the server *announces* (``Retry-After`` seconds,
``Retry-After`` HTTP dates, ``X-RateLimit-Reset`` epoch milliseconds) so tests and the demo
need not wait for real; fractional seconds are then sent as e.g. ``Retry-After: 0.05``.
It does not change ``Step.delay`` (a slow answer is slow on purpose, e.g. for timeouts).
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import selectors
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

TEST_KEY = "sk-or-v1-fake-test-key-do-not-use-a1b2"
API_PREFIX = "/api/v1"

Action = Literal["respond", "reset", "truncate"]
RetryAfterStyle = Literal["seconds", "http-date", "reset-ms"]

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

# Reason phrases http.server does not know (Cloudflare's and OpenRouter's own).
_EXTRA_REASONS = {524: "A Timeout Occurred", 529: "Site Overloaded"}

HTML_404 = (
    b"<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head>"
    b"<body><h1>404</h1><h2>This page could not be found.</h2></body></html>"
)


@dataclass(frozen=True)
class Step:
    """One scripted answer.

    ``body=None`` means: the record as ``{"data": ...}`` for 200 (a 404 if there is no
    record), OpenRouter's not-found JSON for 404, a rate-limit JSON for 429, and
    ``{"error": {"code": status, "message": <reason>}}`` otherwise.

    ``action``: ``"respond"`` answers normally; ``"reset"`` closes the socket abruptly
    (SO_LINGER 0, so the peer gets a TCP RST) after sending ``body`` bytes raw, if any;
    ``"truncate"`` sends the headers with the full ``Content-Length`` but only the first
    half of the body, then closes the connection.

    ``retry_after`` (seconds, scaled by the server's ``time_scale``) adds the wait in the
    given ``retry_after_style``: ``"seconds"`` / ``"http-date"`` as a ``Retry-After``
    header, ``"reset-ms"`` as ``X-RateLimit-Limit/-Remaining/-Reset`` headers (Reset in
    epoch milliseconds), also copied into ``error.metadata.headers`` of a default body.
    """

    status: int = 200
    body: bytes | None = None
    content_type: str = JSON_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    action: Action = "respond"
    retry_after: float | None = None
    retry_after_style: RetryAfterStyle = "seconds"


RECORD = Step()


@dataclass(frozen=True)
class Scenario:
    """A script of answers for one id: ``steps`` in order, then ``then`` forever."""

    steps: tuple[Step, ...] = ()
    then: Step = RECORD
    description: str = ""

    def step_for(self, index: int) -> Step:
        """The step that request number ``index`` (0-based) plays."""
        return self.steps[index] if index < len(self.steps) else self.then


@dataclass(frozen=True)
class RecordedRequest:
    """What the server saw (never the key itself)."""

    method: str
    path: str
    query: dict[str, str]
    had_auth: bool  # an Authorization header was sent
    at: float  # time.monotonic()
    authorized: bool = False  # the key was accepted
    user_agent: str | None = None


@dataclass(frozen=True)
class _Answer:
    """A fully resolved response, ready to write."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    action: Action = "respond"


def json_copy(obj: Any) -> Any:
    """A deep copy of JSON data (several times faster than ``copy.deepcopy``)."""
    return json.loads(json.dumps(obj))


def json_bytes(obj: Any) -> bytes:
    """Compact UTF-8 JSON, the way OpenRouter sends it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def error_body(status: int, message: str, metadata: Mapping[str, Any] | None = None) -> bytes:
    """OpenRouter's error envelope: ``{"error": {"code", "message", "metadata"?}}``."""
    error: dict[str, Any] = {"code": status, "message": message}
    if metadata is not None:
        error["metadata"] = dict(metadata)
    return json_bytes({"error": error})


def zod_body(message: str) -> bytes:
    """The other validation-error shape: ``{"success": false, "error": {"name": "ZodError"}}``."""
    return json_bytes({"success": False, "error": {"name": "ZodError", "message": message}})


def not_found_body(gen_id: str) -> bytes:
    """``404 Generation <id> not found``."""
    return error_body(404, f"Generation {gen_id} not found")


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase, including the non-standard 524 and 529."""
    if status in _EXTRA_REASONS:
        return _EXTRA_REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _format_seconds(value: float) -> str:
    """``2`` rather than ``2.0``; fractions kept (only with a ``time_scale`` below 1)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def rate_limit_headers(wait: float, style: RetryAfterStyle, now: float) -> dict[str, str]:
    """Headers announcing ``wait`` seconds in ``style``; ``now`` is ``time.time()``."""
    if style == "seconds":
        return {"Retry-After": _format_seconds(wait)}
    if style == "http-date":
        return {"Retry-After": email.utils.formatdate(now + wait, usegmt=True)}
    reset_ms = int((now + wait) * 1000)
    return {
        "X-RateLimit-Limit": "20",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset_ms),
    }


def rate_limit_body(headers: Mapping[str, str] | None) -> bytes:
    """429 JSON; with ``headers`` they are copied into ``error.metadata.headers``."""
    metadata: dict[str, Any] = {"error_type": "rate_limit_exceeded"}
    if headers:
        metadata["headers"] = dict(headers)
    return error_body(429, "Rate limit exceeded", metadata)


def default_key_info() -> dict[str, Any]:
    """What ``GET /key`` answers for the test key (the shape of the real ``data``)."""
    return {
        "label": "sk-or-v1-fak...a1b2",
        "limit": 25.0,
        "limit_remaining": 18.7514,
        "limit_reset": None,
        "include_byok_in_limit": False,
        "usage": 6.2486,
        "usage_daily": 0.0412,
        "usage_weekly": 1.2093,
        "usage_monthly": 6.2486,
        "byok_usage": 0,
        "byok_usage_daily": 0,
        "byok_usage_weekly": 0,
        "byok_usage_monthly": 0,
        "is_free_tier": False,
        "is_provisioning_key": False,
        "rate_limit": {"requests": -1, "interval": "10s", "note": "deprecated"},
        "expires_at": None,
    }


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FakeOpenRouter."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeOpenRouter) -> None:
        self.fake = fake
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the FakeOpenRouter; keeps connections alive (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"
    server_version = "fake-openrouter/1"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end after this
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)

    def do_GET(self) -> None:
        self.server.fake._handle(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the demo own the terminal."""


class FakeOpenRouter:
    """The local OpenRouter. ``with FakeOpenRouter() as server: server.base_url``."""

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (TEST_KEY,),
        seed: bool = True,
        time_scale: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.api_keys = frozenset(api_keys)
        self.time_scale = time_scale
        self.host = host
        self.requested_port = port
        self.requests: list[RecordedRequest] = []
        self.key_info: dict[str, Any] = default_key_info()
        self._records: dict[str, dict[str, Any]] = {}
        self._lazy: dict[str, Callable[[], dict[str, Any]]] = {}
        self._encoded: dict[str, bytes] = {}
        self._scenarios: dict[str, Scenario] = {}
        self._counts: Counter[str] = Counter()
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        if seed:
            from inspector.testserver import catalog

            catalog.seed(self)

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeOpenRouter:
        """Bind (port 0: a free one) and serve from a daemon thread. Returns self."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = httpd = _HTTPServer((self.host, self.requested_port), self)
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

    def _serve(self, httpd: _HTTPServer, wake: socket.socket) -> None:
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

    def __enter__(self) -> FakeOpenRouter:
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

    # -- records, scenarios, counters ----------------------------------------------------

    def add_record(self, data: Mapping[str, Any]) -> str:
        """Serve ``data`` (a copy) as the record of ``data["id"]``; returns the id."""
        gen_id = str(data["id"])
        with self._lock:
            self._records[gen_id] = json_copy(dict(data))
            self._lazy.pop(gen_id, None)
            self._encoded.pop(gen_id, None)
        return gen_id

    def add_lazy_record(self, gen_id: str, build: Callable[[], dict[str, Any]]) -> str:
        """Serve the record ``build()`` returns, built on first request (for huge records)."""
        with self._lock:
            self._records.pop(gen_id, None)
            self._encoded.pop(gen_id, None)
            self._lazy[gen_id] = build
        return gen_id

    def remove_record(self, gen_id: str) -> bool:
        """Forget a record (its id then answers 404). True if there was one."""
        with self._lock:
            self._encoded.pop(gen_id, None)
            found = self._records.pop(gen_id, None) is not None
            return self._lazy.pop(gen_id, None) is not None or found

    def record(self, gen_id: str) -> dict[str, Any] | None:
        """A copy of the record served for ``gen_id`` (builds a lazy one), or None."""
        with self._lock:
            data = self._get_record(gen_id)
            return None if data is None else json_copy(data)

    def ids(self) -> list[str]:
        """Every id with a record, in insertion order (lazy ones included)."""
        with self._lock:
            return list(self._records) + [i for i in self._lazy if i not in self._records]

    def set_scenario(self, gen_id: str, scenario: Scenario) -> None:
        """Script the answers for ``gen_id`` (its counter is kept; see ``reset_counts``)."""
        with self._lock:
            self._scenarios[gen_id] = scenario

    def clear_scenario(self, gen_id: str) -> None:
        with self._lock:
            self._scenarios.pop(gen_id, None)

    def scenario(self, gen_id: str) -> Scenario | None:
        with self._lock:
            return self._scenarios.get(gen_id)

    def count(self, gen_id: str) -> int:
        """Authorised GET /generation requests for ``gen_id`` so far."""
        with self._lock:
            return self._counts[gen_id]

    def reset_counts(self) -> None:
        """Zero every counter (scripts start again) and forget recorded requests."""
        with self._lock:
            self._counts.clear()
            self.requests.clear()

    def pending_id(self, polls: int = 3, record: Mapping[str, Any] | None = None) -> str:
        """A fresh young id answering 404 ``polls`` times, then its record.

        Shortcut for :func:`inspector.testserver.catalog.pending_id`.
        """
        from inspector.testserver import catalog

        return catalog.pending_id(self, polls=polls, record=record)

    # -- request handling ----------------------------------------------------------------

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _get_record(self, gen_id: str) -> dict[str, Any] | None:
        """The stored record, building a lazy one on first use (caller holds the lock)."""
        if gen_id not in self._records and gen_id in self._lazy:
            self._records[gen_id] = self._lazy[gen_id]()
        return self._records.get(gen_id)

    def _record_bytes(self, gen_id: str) -> bytes | None:
        """``{"data": record}`` encoded once per record."""
        with self._lock:
            if gen_id not in self._encoded:
                data = self._get_record(gen_id)
                if data is None:
                    return None
                self._encoded[gen_id] = json_bytes({"data": data})
            return self._encoded[gen_id]

    def _handle(self, handler: _Handler) -> None:
        """Route one request, record it, write the answer."""
        split = urlsplit(handler.path)
        path = split.path.rstrip("/") or "/"
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        auth = handler.headers.get("Authorization")
        authorized = self._authorized(auth)
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    method=handler.command,
                    path=path,
                    query=query,
                    had_auth=bool(auth),
                    at=time.monotonic(),
                    authorized=authorized,
                    user_agent=handler.headers.get("User-Agent"),
                )
            )
        self._drain_body(handler)
        answer = self._route(handler.command, path, query, auth, authorized)
        self._write(handler, answer)

    def _authorized(self, auth: str | None) -> bool:
        if not auth:
            return False
        scheme, _, token = auth.partition(" ")
        return scheme.lower() == "bearer" and token.strip() in self.api_keys

    @staticmethod
    def _drain_body(handler: _Handler) -> None:
        """Read (and ignore) a request body so keep-alive stays in sync."""
        length = int(handler.headers.get("Content-Length") or 0)
        if length > 0:
            handler.rfile.read(length)

    def _route(
        self, method: str, path: str, query: dict[str, str], auth: str | None, authorized: bool
    ) -> _Answer:
        routes: dict[str, Callable[[dict[str, str]], _Answer]] = {
            API_PREFIX + "/generation": self._generation,
            API_PREFIX + "/key": self._key,
            API_PREFIX + "/auth/key": self._key,
        }
        endpoint = routes.get(path)
        if endpoint is None:
            return _Answer(404, HTML_404, HTML_TYPE)
        if not authorized:
            return self._unauthorized(auth)
        if method != "GET":
            body = error_body(405, f"Method {method} not allowed")
            return _Answer(405, body, headers={"Allow": "GET"})
        return endpoint(query)

    @staticmethod
    def _unauthorized(auth: str | None) -> _Answer:
        scheme, _, token = (auth or "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return _Answer(401, error_body(401, "User not found."))
        return _Answer(401, error_body(401, "No auth credentials found"))

    def _key(self, query: dict[str, str]) -> _Answer:
        with self._lock:
            return _Answer(200, json_bytes({"data": self.key_info}))

    def _generation(self, query: dict[str, str]) -> _Answer:
        gen_id = query.get("id", "")
        if not gen_id.strip():
            return _Answer(400, zod_body(_missing_id_message()))
        with self._lock:
            index = self._counts[gen_id]
            self._counts[gen_id] += 1
            scenario = self._scenarios.get(gen_id)
        step = scenario.step_for(index) if scenario is not None else RECORD
        return self._resolve(gen_id, step)

    def _resolve(self, gen_id: str, step: Step) -> _Answer:
        """Turn a scripted step into concrete bytes and headers, at request time."""
        headers = dict(step.headers)
        wait_headers: dict[str, str] = {}
        if step.retry_after is not None:
            wait = step.retry_after * self.time_scale
            wait_headers = rate_limit_headers(wait, step.retry_after_style, time.time())
            headers.update(wait_headers)
        status, body = step.status, step.body
        if body is None:
            status, body = self._default_body(gen_id, step.status, wait_headers, step)
        return _Answer(status, body, step.content_type, headers, step.delay, step.action)

    def _default_body(
        self, gen_id: str, status: int, wait_headers: dict[str, str], step: Step
    ) -> tuple[int, bytes]:
        if step.action == "reset":
            return status, b""
        if status == 200:
            record = self._record_bytes(gen_id)
            return (200, record) if record is not None else (404, not_found_body(gen_id))
        if status == 404:
            return 404, not_found_body(gen_id)
        if status == 429:
            reset_style = step.retry_after_style == "reset-ms"
            return 429, rate_limit_body(wait_headers if reset_style else None)
        return status, error_body(status, reason_phrase(status))

    def _write(self, handler: _Handler, answer: _Answer) -> None:
        """Send the answer (after its delay), or misbehave as scripted."""
        if answer.delay > 0 and self._stopping.wait(answer.delay):
            handler.close_connection = True
            return
        if answer.action == "reset":
            if answer.body:
                handler.wfile.write(answer.body)
            _reset_connection(handler)
            return
        body = answer.body
        handler.send_response(answer.status, reason_phrase(answer.status))
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        if answer.action == "truncate":
            handler.send_header("Connection", "close")
            body = body[: len(body) // 2]
            handler.close_connection = True
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)


def _missing_id_message() -> str:
    """The text of Zod's complaint about a missing ``id`` query parameter."""
    issue = {
        "code": "invalid_type",
        "expected": "string",
        "received": "undefined",
        "path": ["id"],
        "message": "Required",
    }
    return json.dumps([issue], indent=2)


def _reset_connection(handler: _Handler) -> None:
    """Close the socket with SO_LINGER 0: the peer sees a TCP RST, not a clean FIN."""
    sock = handler.connection
    handler.close_connection = True
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()  # the makefile holds a reference that would delay the close
        sock.close()
    except OSError:
        pass
