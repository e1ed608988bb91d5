"""Bytes the local OpenRouter sends: content types, JSON encoding, error envelopes, 429 headers.

Pure functions; nothing here knows about sockets or the server's state.
"""

from __future__ import annotations

import email.utils
import json
import math
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Literal

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

RetryAfterStyle = Literal["seconds", "http-date", "reset-ms"]

# Reason phrases http.server does not know (Cloudflare's and OpenRouter's own).
_EXTRA_REASONS = {524: "A Timeout Occurred", 529: "Site Overloaded"}

HTML_404 = (
    b"<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head>"
    b"<body><h1>404</h1><h2>This page could not be found.</h2></body></html>"
)


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


def missing_id_message() -> str:
    """The text of Zod's complaint about a missing ``id`` query parameter."""
    issue = {
        "code": "invalid_type",
        "expected": "string",
        "received": "undefined",
        "path": ["id"],
        "message": "Required",
    }
    return json.dumps([issue], indent=2)


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase, including the non-standard 524 and 529."""
    if status in _EXTRA_REASONS:
        return _EXTRA_REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def format_seconds(value: float) -> str:
    """``2`` rather than ``2.0``; fractions kept to the millisecond, rounded up (never early)."""
    if float(value).is_integer():
        return str(int(value))
    millis = math.ceil(round(value * 1000, 6))
    if millis % 1000 == 0:
        return str(millis // 1000)
    return f"{millis / 1000:.3f}".rstrip("0").rstrip(".")


def rate_limit_headers(wait: float, style: RetryAfterStyle, now: float) -> dict[str, str]:
    """Headers announcing ``wait`` seconds in ``style``; ``now`` is ``time.time()``."""
    if style == "seconds":
        return {"Retry-After": format_seconds(wait)}
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
