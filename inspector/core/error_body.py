"""An API error's body, read in any of its shapes: OpenRouter's JSON envelope, the Zod
shape, HTML or plain text from a proxy (:func:`parse_error_body`), as :class:`ErrorInfo`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector.core.coerce import to_int
from inspector.core.jsonsafe import load_json

__all__ = ["ErrorInfo", "parse_error_body"]


@dataclass(frozen=True)
class ErrorInfo:
    """An API error, from OpenRouter's JSON envelope or from a body that was not JSON.

    ``user_id`` of error bodies is personal: it is never read into this model.
    """

    status: int
    message: str = ""
    code: int | None = None
    metadata: dict[str, Any] | None = None
    content_type: str = ""
    body_start: str = ""  # first 2 KB of a body that was not OpenRouter's JSON
    is_json: bool = True


def parse_error_body(status: int, content_type: str, body: bytes) -> ErrorInfo:
    """Read an error answer in any of its shapes: envelope, Zod shape, HTML, plain text.

    Never raises: a body that is not JSON, or JSON nested too deeply to be read safely
    (:mod:`inspector.core.jsonsafe`), is kept as text (``is_json`` False, ``body_start``),
    and the answer's status still says what kind of error it is.
    """
    text = body[:65536].decode("utf-8", errors="replace")
    try:
        payload = load_json(text) if text.strip() else None
    except ValueError:  # not JSON, or nested too deeply (JsonTooDeep)
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        err = payload["error"]
        message = err.get("message")
        name = str(err["name"]) if err.get("name") else ""
        if not isinstance(message, str):
            message = name if message is None else str(message)
        if name and name not in message:
            message = f"{name}: {message}" if message else name
        code = to_int(err.get("code"))
        metadata = err.get("metadata") if isinstance(err.get("metadata"), dict) else None
        return ErrorInfo(
            status=status,
            message=message,
            code=code,
            metadata=metadata,
            content_type=content_type,
            is_json=True,
        )
    return ErrorInfo(
        status=status,
        message="",
        content_type=content_type,
        body_start=text[:2048],
        is_json=False,
    )
