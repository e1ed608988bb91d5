"""The SQL of every change: recording outcomes (one or a batch), deleting, clearing.

Rules for one id, whatever the order results arrive in: the first and last lookup times and
the count cover every lookup; the outcome is the newest lookup's; the stored record (and the
figures taken from it) is the newest *successful* lookup's, kept when a later one fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from inspector.infra.history import schema
from inspector.infra.history.connection import transaction
from inspector.infra.history.rows import UNKEPT_RECORD, FailureRow, Row, SuccessRow

# The columns taken from a stored record, in the order the statements below name them.
FIGURE_COLUMNS = (
    "model",
    "provider",
    "total_cost",
    "tokens_prompt",
    "tokens_completion",
    "created_at",
    "session_id",
)


def record(conn: sqlite3.Connection, rows: Sequence[Row]) -> int:
    """Apply ``rows`` in order, all in ONE transaction; returns how many were applied."""
    with transaction(conn):
        maintain = _fts_writable(conn)
        for row in rows:
            if isinstance(row, SuccessRow):
                _apply_success(conn, maintain, row)
            else:
                _apply_failure(conn, maintain, row)
    return len(rows)


def _apply_success(conn: sqlite3.Connection, maintain: bool, row: SuccessRow) -> None:
    figures = row.figures
    skey = schema.search_key(row.gen_id, figures.get("model"), figures.get("provider"))
    kept = row.raw_json is not None
    message = None if kept else UNKEPT_RECORD
    found = conn.execute(
        "SELECT id, last_seen, record_seen, skey FROM generations WHERE gen_id = ?",
        (row.gen_id,),
    ).fetchone()
    if found is None:
        record_seen = row.seen if kept else None
        outcome = ("ok", 200, message)
        rowid = _insert(conn, row.gen_id, row.seen, outcome, skey, figures, record_seen)
        if row.raw_json is not None:
            _put_record(conn, rowid, row.raw_json)
        _fts_insert(conn, maintain, rowid, skey)
        return
    rowid, last_seen, record_seen, old_skey = found
    _touch(conn, rowid, row.seen)
    if row.seen >= last_seen:
        _set_outcome(conn, rowid, "ok", 200, message)
    if row.raw_json is not None and (record_seen is None or row.seen >= record_seen):
        _set_figures(conn, rowid, figures, row.seen, skey)
        _put_record(conn, rowid, row.raw_json)
        if skey != old_skey:
            _fts_update(conn, maintain, rowid, skey)


def _apply_failure(conn: sqlite3.Connection, maintain: bool, row: FailureRow) -> None:
    found = conn.execute(
        "SELECT id, last_seen FROM generations WHERE gen_id = ?", (row.gen_id,)
    ).fetchone()
    if found is None:
        skey = schema.search_key(row.gen_id, None, None)
        outcome = (row.outcome, row.status, row.message)
        rowid = _insert(conn, row.gen_id, row.seen, outcome, skey, {}, None)
        _fts_insert(conn, maintain, rowid, skey)
        return
    rowid, last_seen = found
    _touch(conn, rowid, row.seen)
    if row.seen >= last_seen:
        _set_outcome(conn, rowid, row.outcome, row.status, row.message)


def delete(conn: sqlite3.Connection, gen_id: str) -> bool:
    with transaction(conn):
        maintain = _fts_writable(conn)
        row = conn.execute("SELECT id FROM generations WHERE gen_id = ?", (gen_id,)).fetchone()
        if row is None:
            return False
        conn.execute("DELETE FROM generations WHERE id = ?", row)
        conn.execute("DELETE FROM records WHERE id = ?", row)
        conn.execute("DELETE FROM pricing_snapshots WHERE gen_id = ?", (gen_id,))
        if maintain:
            conn.execute(f"DELETE FROM {schema.FTS_TABLE} WHERE rowid = ?", row)
    return True


def clear(conn: sqlite3.Connection) -> int:
    with transaction(conn):
        maintain = _fts_writable(conn)
        count = int(conn.execute("SELECT count(*) FROM generations").fetchone()[0])
        conn.execute("DELETE FROM generations")
        conn.execute("DELETE FROM records")
        conn.execute("DELETE FROM pricing_snapshots")
        if maintain:
            conn.execute(f"DELETE FROM {schema.FTS_TABLE}")
    return count


def compact(conn: sqlite3.Connection) -> None:
    """After a clear: give the space back and leave no old pages in the -wal."""
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        pass  # another process is reading; the space is reused later anyway


# ---- statements -----------------------------------------------------------------------------


def _insert(
    conn: sqlite3.Connection,
    gen_id: str,
    seen: float,
    outcome: tuple[str, int | None, str | None],
    skey: str,
    figures: dict[str, Any],
    record_seen: float | None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO generations (gen_id, first_seen, last_seen, lookup_count, outcome, status,"
        " message, model, provider, total_cost, tokens_prompt, tokens_completion, created_at,"
        " session_id, record_seen, skey) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (gen_id, seen, seen, *outcome, *_figure_values(figures), record_seen, skey),
    )
    return int(cursor.lastrowid or 0)


def _figure_values(figures: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(figures.get(name) for name in FIGURE_COLUMNS)


def _touch(conn: sqlite3.Connection, rowid: int, seen: float) -> None:
    conn.execute(
        "UPDATE generations SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?),"
        " lookup_count = lookup_count + 1 WHERE id = ?",
        (seen, seen, rowid),
    )


def _set_outcome(
    conn: sqlite3.Connection, rowid: int, outcome: str, status: int | None, message: str | None
) -> None:
    conn.execute(
        "UPDATE generations SET outcome = ?, status = ?, message = ? WHERE id = ?",
        (outcome, status, message, rowid),
    )


def _set_figures(
    conn: sqlite3.Connection, rowid: int, figures: dict[str, Any], seen: float, skey: str
) -> None:
    conn.execute(
        "UPDATE generations SET model = ?, provider = ?, total_cost = ?, tokens_prompt = ?,"
        " tokens_completion = ?, created_at = ?, session_id = ?, record_seen = ?, skey = ?"
        " WHERE id = ?",
        (*_figure_values(figures), seen, skey, rowid),
    )


def _put_record(conn: sqlite3.Connection, rowid: int, raw_json: str) -> None:
    conn.execute(
        "INSERT INTO records (id, raw) VALUES (?, ?)"
        " ON CONFLICT(id) DO UPDATE SET raw = excluded.raw",
        (rowid, raw_json),
    )


def _fts_writable(conn: sqlite3.Connection) -> bool:
    """Whether this write should keep the full-text table in step.

    A SQLite without the trigram tokenizer cannot; it marks the table stale so searches
    fall back to the index scan until a capable process rebuilds it on open.
    """
    if schema.fts_state(conn) != "ok":
        return False
    if schema.trigram_supported():
        return True
    schema.set_fts_state(conn, "stale")
    return False


def _fts_insert(conn: sqlite3.Connection, maintain: bool, rowid: int, skey: str) -> None:
    if maintain:
        conn.execute(f"INSERT INTO {schema.FTS_TABLE} (rowid, skey) VALUES (?, ?)", (rowid, skey))


def _fts_update(conn: sqlite3.Connection, maintain: bool, rowid: int, skey: str) -> None:
    if maintain:
        conn.execute(f"UPDATE {schema.FTS_TABLE} SET skey = ? WHERE rowid = ?", (skey, rowid))
