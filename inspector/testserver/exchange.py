"""What crosses the wire: the request as the routes see it, and the answer they resolve to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from inspector.testserver.bodies import JSON_TYPE

API_PREFIX = "/api/v1"

Action = Literal["respond", "reset", "truncate"]


@dataclass(frozen=True)
class RecordedRequest:
    """What the server saw (never the key itself)."""

    method: str
    path: str
    query: dict[str, str]
    had_auth: bool  # an Authorization header was sent
    at: float  # time.monotonic() on arrival (before the server's ``latency``)
    authorized: bool = False  # the key was accepted
    user_agent: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One request as a route sees it. ``token`` is the bearer token sent (never recorded)."""

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]  # names lower-cased
    token: str | None
    authorized: bool
    at: float  # time.monotonic() on arrival

    @property
    def accept_encoding(self) -> str:
        return self.headers.get("accept-encoding", "")


@dataclass(frozen=True)
class Stream:
    """A body produced piece by piece while it is sent (never held whole in memory).

    ``open()`` is called when the answer is written and returns the ``Content-Length`` to
    send (``None``: none, and the connection closes after the last piece) and the pieces.
    """

    open: Callable[[], tuple[int | None, Iterable[bytes]]]


@dataclass(frozen=True)
class Answer:
    """A fully resolved response, ready to write.

    ``drip`` (bytes per second) sends the body that slowly after the headers; ``stream``
    replaces ``body`` with pieces made while sending.
    """

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    action: Action = "respond"
    drip: float | None = None
    stream: Stream | None = None
