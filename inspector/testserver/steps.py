"""Scripted answers: a :class:`Step` is one answer, a :class:`Scenario` a script of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from inspector.testserver.bodies import JSON_TYPE, RetryAfterStyle
from inspector.testserver.encoding import Encoding
from inspector.testserver.exchange import Action, Incoming, Stream


@dataclass(frozen=True)
class Step:
    """One scripted answer.

    ``body=None`` means: the record as ``{"data": ...}`` for 200 (a 404 if there is no
    record), OpenRouter's not-found JSON for 404, a rate-limit JSON for 429, and
    ``{"error": {"code": status, "message": <reason>}}`` otherwise. ``body_for`` makes the
    body at request time from the request (e.g. to echo the key the client sent).

    ``action``: ``"respond"`` answers normally; ``"reset"`` closes the socket abruptly
    (SO_LINGER 0, so the peer gets a TCP RST) after sending ``body`` bytes raw, if any;
    ``"truncate"`` sends the headers with the full ``Content-Length`` but only the first
    half of the body, then closes the connection.

    ``retry_after`` (seconds, scaled by the server's ``time_scale``) adds the wait in the
    given ``retry_after_style``: ``"seconds"`` / ``"http-date"`` as a ``Retry-After``
    header, ``"reset-ms"`` as ``X-RateLimit-Limit/-Remaining/-Reset`` headers (Reset in
    epoch milliseconds), also copied into ``error.metadata.headers`` of a default body.

    ``encoding`` (``"gzip"``, ``"deflate"``, ``"deflate-raw"``, ``"br"``) compresses the body
    when the request's ``Accept-Encoding`` allows it, or always with ``force_encoding``
    (a CDN that compresses regardless). ``drip`` sends the body at that many bytes per
    second. ``stream`` sends pieces made while sending instead of ``body`` (e.g. a
    decompression bomb; give its ``Content-Encoding`` in ``headers``).
    """

    status: int = 200
    body: bytes | None = None
    content_type: str = JSON_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    action: Action = "respond"
    retry_after: float | None = None
    retry_after_style: RetryAfterStyle = "seconds"
    encoding: Encoding | None = None
    force_encoding: bool = False
    drip: float | None = None
    stream: Stream | None = None
    body_for: Callable[[Incoming], bytes] | None = None


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
