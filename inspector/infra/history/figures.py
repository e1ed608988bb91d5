"""The columns derived from a raw record (model, provider, cost, tokens, creation time)."""

from __future__ import annotations

from typing import Any

from inspector.core.coerce import parse_timestamp, to_float, to_int, to_str
from inspector.infra.history.values import finite_float, optional_text, sqlite_int


def _first_int(raw: dict[str, Any], *keys: str) -> int | None:
    """The first of ``keys`` that holds a number."""
    for key in keys:
        value = to_int(raw.get(key))
        if value is not None:
            return value
    return None


def record_figures(raw: dict[str, Any] | None) -> dict[str, Any]:
    """The columns derived from a raw record, read as leniently as the models read it.

    The same readers as :class:`inspector.core.models.Generation`, without building one:
    ``get`` records every lookup, and most never need the model.
    """
    if not raw or not isinstance(raw, dict):
        return {}
    created = parse_timestamp(raw.get("created_at"))
    return {
        "model": to_str(raw.get("model")),
        "provider": to_str(raw.get("provider_name")),
        "total_cost": to_float(raw.get("total_cost")),
        # the native (billed) counts, as `get` shows them; the normalized ones when missing
        "tokens_prompt": _first_int(raw, "native_tokens_prompt", "tokens_prompt"),
        "tokens_completion": _first_int(raw, "native_tokens_completion", "tokens_completion"),
        "created_at": _unix(created),
    }


def stored_figures(raw: dict[str, Any] | None) -> dict[str, Any]:
    """:func:`record_figures` as SQLite can hold them: a count past 64 bits or text with a
    lone surrogate is kept exactly in the raw record, and as None or repaired text here."""
    figures = record_figures(raw)
    if not figures:
        return {}
    return {
        "model": optional_text(figures["model"]),
        "provider": optional_text(figures["provider"]),
        "total_cost": finite_float(figures["total_cost"]),
        "tokens_prompt": sqlite_int(figures["tokens_prompt"]),
        "tokens_completion": sqlite_int(figures["tokens_completion"]),
        "created_at": finite_float(figures["created_at"]),
        "session_id": session_of(raw),
    }


def session_of(raw: dict[str, Any] | None) -> str | None:
    """The record's ``session_id`` as stored (None when it has none, or a blank one)."""
    if not raw or not isinstance(raw, dict):
        return None
    session = to_str(raw.get("session_id"))
    return optional_text(session) if session and session.strip() else None


def _unix(created: Any) -> float | None:
    if created is None:
        return None
    try:
        return float(created.timestamp())
    except (OverflowError, ValueError, OSError):
        return None
