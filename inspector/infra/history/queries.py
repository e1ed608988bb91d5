"""The SQL of reading: one entry, the newest entries, every entry, how many there are."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from inspector.infra.history.entry import HistoryEntry
from inspector.infra.history.values import load_raw, seen_time, utc_from_ts

SUMMARY = (
    "g.gen_id, g.first_seen, g.last_seen, g.lookup_count, g.outcome, g.status, g.message,"
    " g.model, g.provider, g.total_cost, g.tokens_prompt, g.tokens_completion, g.created_at"
)
COLUMNS = SUMMARY + ", r.raw"
COLUMNS_NO_RAW = SUMMARY + ", r.id IS NOT NULL"
FROM = "generations g LEFT JOIN records r ON r.id = g.id"


def columns(with_raw: bool) -> str:
    return COLUMNS if with_raw else COLUMNS_NO_RAW


def entry(row: tuple[Any, ...], with_raw: bool = True) -> HistoryEntry:
    """An entry from a row of ``COLUMNS`` (or ``COLUMNS_NO_RAW``)."""
    raw = load_raw(row[13]) if with_raw else None
    return HistoryEntry(
        gen_id=row[0],
        first_seen=seen_time(row[1]),
        last_seen=seen_time(row[2]),
        lookup_count=int(row[3]),
        outcome=row[4],
        status=row[5],
        message=row[6],
        model=row[7],
        provider=row[8],
        total_cost=row[9],
        tokens_prompt=row[10],
        tokens_completion=row[11],
        created_at=utc_from_ts(row[12]),
        raw=raw,
        has_record=raw is not None if with_raw else bool(row[13]),
    )


def get(conn: sqlite3.Connection, gen_id: str) -> HistoryEntry | None:
    row = conn.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE g.gen_id = ?", (gen_id,)).fetchone()
    return entry(row) if row else None


def recent(conn: sqlite3.Connection, limit: int, offset: int, with_raw: bool) -> list[HistoryEntry]:
    rows = conn.execute(
        f"SELECT {columns(with_raw)} FROM {FROM} ORDER BY g.last_seen DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [entry(row, with_raw) for row in rows]


def count_all(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM generations").fetchone()[0])


def every_entry(conn: sqlite3.Connection) -> Iterator[HistoryEntry]:
    """Every entry, newest first, read in one statement (one snapshot) 500 rows at a time."""
    cursor = conn.execute(f"SELECT {COLUMNS} FROM {FROM} ORDER BY g.last_seen DESC")
    while rows := cursor.fetchmany(500):
        yield from (entry(row) for row in rows)
