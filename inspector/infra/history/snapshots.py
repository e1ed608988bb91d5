"""Pricing snapshots kept beside records, and the records "how it compares" looks at.

A snapshot is what a bill was explained with: the ``/endpoints`` answer (or the part of it
for the serving provider) as JSON, with the time it was fetched, the ``/models`` id it was
fetched for and the provider. One per generation id: the first one is kept (it is the price
closest to when the generation ran), unless the caller asks to replace it. It may be kept
before the record itself (the app writes the record and explains its bill at the same
time); deleting the id, or clearing the history, forgets it.

The comparison queries are bounded (``limit``, at most :data:`MAX_SIMILAR`) and use the v4
indexes: the newest records of one model at one provider, and of one session.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inspector.infra.history.connection import transaction
from inspector.infra.history.values import (
    dump_raw,
    load_raw,
    optional_text,
    seen_time,
    timestamp,
)

__all__ = ["MAX_SIMILAR", "PricingSnapshot", "load", "records_like", "save", "session_records"]

MAX_SIMILAR = 1000  # the most records one comparison query returns


@dataclass(frozen=True)
class PricingSnapshot:
    """Prices as fetched for one record: ``body`` is the ``/endpoints`` ``data`` kept."""

    gen_id: str
    fetched_at: datetime
    model: str | None
    provider: str | None
    body: dict[str, Any]


def save(conn: sqlite3.Connection, snapshot: PricingSnapshot, replace: bool) -> bool:
    """Keep ``snapshot`` for its id; False when the body cannot be written or (without
    ``replace``) one is kept already."""
    body = dump_raw(snapshot.body)
    if body is None or not snapshot.gen_id:
        return False
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    with transaction(conn):
        cursor = conn.execute(
            f"{verb} INTO pricing_snapshots (gen_id, fetched_at, model, provider, body)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                snapshot.gen_id,
                timestamp(snapshot.fetched_at),
                optional_text(snapshot.model),
                optional_text(snapshot.provider),
                body,
            ),
        )
    return cursor.rowcount > 0


def load(conn: sqlite3.Connection, gen_id: str) -> PricingSnapshot | None:
    row = conn.execute(
        "SELECT fetched_at, model, provider, body FROM pricing_snapshots WHERE gen_id = ?",
        (gen_id,),
    ).fetchone()
    if row is None:
        return None
    body = load_raw(row[3])
    if body is None:
        return None
    return PricingSnapshot(gen_id, seen_time(row[0]), row[1], row[2], body)


def _raws(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [raw for raw in (load_raw(row[0]) for row in rows) if raw is not None]


def records_like(
    conn: sqlite3.Connection, model: str, provider: str, limit: int, exclude: str | None
) -> list[dict[str, Any]]:
    """The stored records of ``model`` at ``provider``, newest generation first."""
    rows = conn.execute(
        "SELECT r.raw FROM generations g JOIN records r ON r.id = g.id"
        " WHERE g.model = ? AND g.provider = ? AND g.gen_id IS NOT ?"
        " ORDER BY g.created_at DESC LIMIT ?",
        (model, provider, exclude, min(limit, MAX_SIMILAR)),
    ).fetchall()
    return _raws(rows)


def session_records(conn: sqlite3.Connection, session_id: str, limit: int) -> list[dict[str, Any]]:
    """The stored records of one session, newest generation first."""
    rows = conn.execute(
        "SELECT r.raw FROM generations g JOIN records r ON r.id = g.id"
        " WHERE g.session_id = ? ORDER BY g.created_at DESC LIMIT ?",
        (session_id, min(limit, MAX_SIMILAR)),
    ).fetchall()
    return _raws(rows)
