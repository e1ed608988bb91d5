"""A real HTTP/1.1 stand-in for OpenRouter: ``/generation``, ``/key``, ``/models``, ``/endpoints``.

``FakeOpenRouter`` listens on 127.0.0.1 (a free port unless told otherwise) and serves from
a daemon thread, one thread per connection (see :mod:`inspector.testserver.lifecycle`).

Routes (under ``/api/v1``). ``/generation``, ``/key`` and ``/auth/key`` check
``Authorization: Bearer <key>`` first and answer OpenRouter's 401 bodies: no key ->
``No auth credentials found``, unknown key -> ``User not found.``. ``/models`` and
``/models/{author}/{slug}/endpoints`` also answer without a key (then without live
statistics), but an unknown key is still a 401.

* ``GET /generation?id=ID`` -- :mod:`inspector.testserver.generation_route`.
* ``GET /key`` (and the older alias ``/auth/key``) -- ``{"data": key_info}``.
* ``GET /models``, ``GET /models/{author}/{slug}/endpoints`` -- from the model listings
  (:mod:`inspector.testserver.models_route`).

Any other path answers an HTML 404 page (no auth check, like the real site's router);
other methods on the API routes answer 405.

Server-wide options: ``time_scale`` multiplies the waits the server *announces*
(``Retry-After`` seconds and dates, ``X-RateLimit-Reset``), not ``Step.delay``;
``latency`` (seconds) delays every request before it is answered (other requests are not
held); ``encoding`` compresses every answer the client accepts it for, or every answer with
``force_encoding``; ``clock`` (unix seconds) decides which time-window price is current;
:meth:`FakeOpenRouter.rate_limit_storm` starts a server-wide 429 storm.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from inspector.testserver import key_route
from inspector.testserver.bodies import (
    HTML_404,
    HTML_TYPE,
    JSON_TYPE,
    TEXT_TYPE,
    RetryAfterStyle,
    error_body,
    json_bytes,
    json_copy,
    rate_limit_body,
    zod_body,
)
from inspector.testserver.encoding import Encoding, encode_answer
from inspector.testserver.exchange import API_PREFIX, Answer, Incoming, RecordedRequest
from inspector.testserver.handler import Handler, write_answer
from inspector.testserver.lifecycle import LocalHTTPService
from inspector.testserver.model_shelf import ModelShelf
from inspector.testserver.routing import bearer, find_route, storm_answer, unauthorized
from inspector.testserver.steps import RECORD, Scenario, Step
from inspector.testserver.storm import DEFAULT_GRACE, RateLimitStorm

__all__ = [
    "API_PREFIX",
    "HTML_TYPE",
    "JSON_TYPE",
    "TEST_KEY",
    "TEXT_TYPE",
    "FakeOpenRouter",
    "RecordedRequest",
    "RetryAfterStyle",
    "Scenario",
    "Step",
    "error_body",
    "json_bytes",
    "json_copy",
    "rate_limit_body",
    "zod_body",
]

TEST_KEY = "sk-or-v1-fake-test-key-do-not-use-a1b2"


class FakeOpenRouter(ModelShelf, LocalHTTPService):
    """The local OpenRouter. ``with FakeOpenRouter() as server: server.base_url``."""

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (TEST_KEY,),
        seed: bool = True,
        time_scale: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        encoding: Encoding | None = None,
        force_encoding: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(host=host, port=port)
        self.api_keys = frozenset(api_keys)
        self.time_scale = time_scale
        self.latency = latency
        self.encoding: Encoding | None = encoding
        self.force_encoding = force_encoding
        self.clock = clock
        self.requests: list[RecordedRequest] = []
        self.key_info: dict[str, Any] = key_route.default_key_info()
        self.storm: RateLimitStorm | None = None
        self._records: dict[str, dict[str, Any]] = {}
        self._lazy: dict[str, Callable[[], dict[str, Any]]] = {}
        self._encoded: dict[str, bytes] = {}
        self._scenarios: dict[str, Scenario] = {}
        self._counts: Counter[str] = Counter()
        self._models: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        if seed:
            from inspector.testserver import catalog

            catalog.seed(self)

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
        """Authorised GET /generation requests for ``gen_id`` that reached the route."""
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

    def next_step(self, gen_id: str) -> Step:
        """Count one request for ``gen_id`` and return the step it plays."""
        with self._lock:
            index = self._counts[gen_id]
            self._counts[gen_id] += 1
            scenario = self._scenarios.get(gen_id)
        return scenario.step_for(index) if scenario is not None else RECORD

    def record_bytes(self, gen_id: str) -> bytes | None:
        """``{"data": record}`` encoded once per record."""
        with self._lock:
            if gen_id not in self._encoded:
                data = self._get_record(gen_id)
                if data is None:
                    return None
                self._encoded[gen_id] = json_bytes({"data": data})
            return self._encoded[gen_id]

    def _get_record(self, gen_id: str) -> dict[str, Any] | None:
        """The stored record, building a lazy one on first use (caller holds the lock)."""
        if gen_id not in self._records and gen_id in self._lazy:
            self._records[gen_id] = self._lazy[gen_id]()
        return self._records.get(gen_id)

    def key_info_copy(self) -> dict[str, Any]:
        with self._lock:
            return dict(self.key_info)

    # -- rate-limit storm ----------------------------------------------------------------

    def rate_limit_storm(
        self,
        window: float = 1.0,
        *,
        after: float = 0.0,
        bursts: int = 1,
        style: RetryAfterStyle = "seconds",
        paths: tuple[str, ...] = ("/generation",),
        grace: float = DEFAULT_GRACE,
    ) -> RateLimitStorm:
        """Start a server-wide 429 storm ``after`` seconds from now (see :mod:`.storm`).

        ``window`` seconds of 429s from the first request on ``paths`` (under /api/v1),
        ``bursts`` times; the returned storm counts what it answered (``inside``: requests
        a shared gate should have held). Replaces any earlier storm.
        """
        start = time.monotonic() + after
        storm = RateLimitStorm(window, start, bursts, style, paths, grace)
        with self._lock:
            self.storm = storm
        return storm

    def end_storm(self) -> None:
        with self._lock:
            self.storm = None

    # -- request handling ----------------------------------------------------------------

    def handle(self, handler: Handler) -> None:
        """Record one request, wait the server's latency, route it, write the answer."""
        at = time.monotonic()
        split = urlsplit(handler.path)
        path = split.path.rstrip("/") or "/"
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        auth = handler.headers.get("Authorization")
        token = bearer(auth)
        authorized = token is not None and token in self.api_keys
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    method=handler.command,
                    path=path,
                    query=query,
                    had_auth=bool(auth),
                    at=at,
                    authorized=authorized,
                    user_agent=handler.headers.get("User-Agent"),
                )
            )
        handler.drain_body()
        if self.latency > 0 and self._stopping.wait(self.latency):
            handler.close_connection = True
            return
        headers = {name.lower(): value for name, value in handler.headers.items()}
        incoming = Incoming(handler.command, path, query, headers, token, authorized, at)
        answer = self._route(incoming, auth)
        if self.encoding is not None:
            accept = incoming.accept_encoding
            answer = encode_answer(answer, self.encoding, force=self.force_encoding, accept=accept)
        write_answer(handler, answer, self._stopping)

    def _route(self, incoming: Incoming, auth: str | None) -> Answer:
        sub = incoming.path.removeprefix(API_PREFIX)
        found = find_route(sub) if incoming.path.startswith(API_PREFIX + "/") else None
        if found is None:
            return Answer(404, HTML_404, HTML_TYPE)
        route, public = found
        if not incoming.authorized and (not public or auth):
            return unauthorized(auth)
        if incoming.method != "GET":
            body = error_body(405, f"Method {incoming.method} not allowed")
            return Answer(405, body, headers={"Allow": "GET"})
        storm = self.storm
        if storm is not None and storm.applies_to(sub):
            limited = storm_answer(storm, incoming.at)
            if limited is not None:
                return limited
        return route(self, incoming)
