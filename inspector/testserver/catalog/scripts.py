"""Scenario factories, and the fixed scenarios of the original scenario ids.

Each factory returns a :class:`Scenario` (or a :class:`Step` to put in one); hostile-server
scenarios (compression, drip, bomb, deep JSON, echoed key, hostile values, future ids) are
in :mod:`inspector.testserver.catalog.hostile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspector.testserver.bodies import (
    HTML_TYPE,
    TEXT_TYPE,
    RetryAfterStyle,
    error_body,
    json_bytes,
    zod_body,
)
from inspector.testserver.catalog.basics import chat_like, sample
from inspector.testserver.catalog.ids import (
    BAD_GATEWAY_HTML_ID,
    BAD_REQUEST_ID,
    CUT_JSON_ID,
    EDGE_TIMEOUT_ID,
    FORBIDDEN_ID,
    NO_DATA_ID,
    NON_JSON_ID,
    OVERLOADED_ID,
    PAYMENT_REQUIRED_ID,
    RATE_LIMIT_DATE_WAIT,
    RATE_LIMIT_WAIT,
    RATE_LIMITED_DATE_ID,
    RATE_LIMITED_ID,
    RATE_LIMITED_RESET_ID,
    RESET_ID,
    RESET_MID_BODY_ID,
    RESET_ONCE_ID,
    SERVER_ERROR_ID,
    SLOW_DELAY,
    SLOW_ID,
    TRUNCATED_ID,
    UNAVAILABLE_ONCE_ID,
)
from inspector.testserver.steps import Scenario, Step

__all__ = [
    "BAD_GATEWAY_HTML",
    "NON_JSON_PAGE",
    "cut_json_step",
    "failing",
    "json_error",
    "pending",
    "rate_limited",
    "reset_mid_body_step",
    "sample_error",
    "scenarios",
    "slow",
]


BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
NON_JSON_PAGE = (
    b"<!DOCTYPE html><html><head><title>OpenRouter</title></head>"
    b"<body><p>Just a moment...</p></body></html>"
)


def rate_limited(
    wait: float = RATE_LIMIT_WAIT, style: RetryAfterStyle = "seconds", times: int = 1
) -> Scenario:
    """429 ``times`` times announcing ``wait`` seconds, then the record.

    ``style``: ``"seconds"`` / ``"http-date"`` (``Retry-After``) or ``"reset-ms"``
    (``X-RateLimit-Reset`` header and ``error.metadata.headers``).
    """
    step = Step(429, retry_after=wait, retry_after_style=style)
    return Scenario((step,) * times, description=f"429 ({style}, {wait:g} s) x{times}, then 200")


def pending(polls: int) -> Scenario:
    """404 for the first ``polls`` requests, then the record (an id not indexed yet)."""
    return Scenario((Step(404),) * polls, description=f"404 x{polls}, then 200")


def slow(delay: float = SLOW_DELAY) -> Scenario:
    """Every answer waits ``delay`` seconds before the record is sent."""
    return Scenario(then=Step(delay=delay), description=f"200 after {delay:g} s")


def failing(step: Step, times: int | None = None) -> Scenario:
    """``step`` ``times`` times then the record, or ``step`` forever (``times=None``)."""
    if times is None:
        return Scenario(then=step, description=f"{step.status} {step.action}, always")
    return Scenario((step,) * times, description=f"{step.status} {step.action} x{times}, then 200")


def json_error(status: int, message: str, metadata: Mapping[str, Any] | None = None) -> Step:
    """A step answering OpenRouter's JSON error envelope."""
    return Step(status, error_body(status, message, metadata))


def sample_error(name: str) -> Step:
    """A step answering a shared error sample, e.g. ``sample_error("error-402.json")``."""
    body = sample(name)
    return Step(int(body["error"]["code"]), json_bytes(body))


def cut_json_step(gen_id: str) -> Step:
    """A complete 200 whose JSON stops half-way (the client's JSON parser must refuse it)."""
    full = json_bytes({"data": chat_like(gen_id)})
    return Step(200, full[: len(full) // 2])


def reset_mid_body_step(gen_id: str) -> Step:
    """Headers announcing the whole record, half of it, then a TCP reset."""
    body = json_bytes({"data": chat_like(gen_id)})
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return Step(200, head.encode() + body[: len(body) // 2], action="reset")


def scenarios() -> dict[str, Scenario]:
    """The fixed scenario of every scenario id."""
    unavailable = json_error(503, "Service Unavailable", {"error_type": "service_unavailable"})
    forbidden = json_error(403, "You do not have access to this generation")
    bad_request = Step(400, zod_body("Invalid generation id: expected gen-<time>-<id>"))
    return {
        RATE_LIMITED_ID: rate_limited(RATE_LIMIT_WAIT, "seconds"),
        RATE_LIMITED_DATE_ID: rate_limited(RATE_LIMIT_DATE_WAIT, "http-date"),
        RATE_LIMITED_RESET_ID: rate_limited(RATE_LIMIT_WAIT, "reset-ms"),
        BAD_GATEWAY_HTML_ID: failing(Step(502, BAD_GATEWAY_HTML, HTML_TYPE)),
        EDGE_TIMEOUT_ID: failing(Step(524, b"error code: 524", TEXT_TYPE)),
        SERVER_ERROR_ID: failing(sample_error("error-500.json")),
        UNAVAILABLE_ONCE_ID: failing(unavailable, times=1),
        OVERLOADED_ID: failing(sample_error("error-529.json")),
        BAD_REQUEST_ID: failing(bad_request),
        PAYMENT_REQUIRED_ID: failing(sample_error("error-402.json")),
        FORBIDDEN_ID: failing(forbidden),
        SLOW_ID: slow(SLOW_DELAY),
        TRUNCATED_ID: failing(Step(action="truncate")),
        CUT_JSON_ID: failing(cut_json_step(CUT_JSON_ID)),
        RESET_ID: failing(Step(action="reset")),
        RESET_ONCE_ID: failing(Step(action="reset"), times=1),
        RESET_MID_BODY_ID: failing(reset_mid_body_step(RESET_MID_BODY_ID)),
        NON_JSON_ID: failing(Step(200, NON_JSON_PAGE, HTML_TYPE)),
        NO_DATA_ID: failing(Step(200, json_bytes({"object": "generation", "id": NO_DATA_ID}))),
    }
