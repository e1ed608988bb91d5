"""Schema of the history file and the migrations between its versions.

The version lives in ``PRAGMA user_version``; each migration takes the file from version
``n`` to ``n + 1`` inside the caller's write transaction, so a fresh file and a migrated
one always end with the same schema (a test compares them).

History of the format:

- **v1** — one ``lookups`` row per id: the time and outcome of the last lookup and, for a
  success, the raw record. A failure after a success overwrote the row and lost the record.
- **v2** — ``generations`` (first/last lookup, count, last outcome with status and message,
  and the main figures of the last good record) plus ``records`` (the raw JSON, kept when a
  later lookup fails), and an index on the last lookup time.
- **v3** — a lower-cased search key (id, model, provider) in an index with the lookup time,
  so "newest matches first" is an index scan, and a ``meta`` table. When SQLite has FTS5
  with the trigram tokenizer, a full-text table over the key serves substring searches
  (see :func:`ensure_fts`); it is not versioned because it depends on the SQLite build.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from inspector.core.coerce import parse_timestamp, to_float, to_int, to_str

CURRENT_VERSION = 3
FTS_TABLE = "generations_fts"
OUTCOMES = ("ok", "pending", "not_found", "error")

# v1, frozen as it was: tests build v1 files from this text.
V1_SCHEMA = """
CREATE TABLE lookups (
    gen_id TEXT PRIMARY KEY,
    looked_up_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    raw_json TEXT
);
"""

V2_SCHEMA = """
CREATE TABLE generations (
    id INTEGER PRIMARY KEY,
    gen_id TEXT NOT NULL UNIQUE,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    lookup_count INTEGER NOT NULL DEFAULT 1,
    outcome TEXT NOT NULL,
    status INTEGER,
    message TEXT,
    model TEXT,
    provider TEXT,
    total_cost REAL,
    tokens_prompt INTEGER,
    tokens_completion INTEGER,
    created_at REAL,
    record_seen REAL
);
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    raw TEXT NOT NULL
);
CREATE INDEX generations_last_seen ON generations(last_seen);
"""

V3_SCHEMA = """
ALTER TABLE generations ADD COLUMN skey TEXT NOT NULL DEFAULT '';
UPDATE generations SET skey = inspector_skey(gen_id, model, provider);
DROP INDEX generations_last_seen;
CREATE INDEX generations_recent ON generations(last_seen, skey);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class SchemaVersionError(Exception):
    """The file has a schema this process cannot use (newer, or older on a read-only file).

    The file is left untouched.
    """


@cache
def trigram_supported() -> bool:
    """True when this SQLite build has FTS5 with the trigram tokenizer (3.34+)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return True


def search_key(gen_id: str | None, model: str | None, provider: str | None) -> str:
    """The lower-cased text searches run against: id, model and provider, one per line."""
    return "\n".join(part or "" for part in (gen_id, model, provider)).lower()


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the migrations use."""
    conn.create_function("inspector_skey", 3, search_key, deterministic=True)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the file (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _set_version(conn: sqlite3.Connection, version: int) -> None:
    conn.execute(f"PRAGMA user_version = {int(version)}")


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements one by one (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    _run_script(conn, V1_SCHEMA)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Move each v1 row into v2's tables, deriving the figures from the raw record."""
    _run_script(conn, V2_SCHEMA)
    rows = conn.execute("SELECT gen_id, looked_up_at, outcome, raw_json FROM lookups").fetchall()
    for gen_id, looked_up_at, outcome, raw_json in rows:
        _copy_v1_row(conn, gen_id, looked_up_at, outcome, raw_json)
    conn.execute("DROP TABLE lookups")


def _copy_v1_row(
    conn: sqlite3.Connection, gen_id: str, looked_up_at: str, outcome: str, raw_json: str | None
) -> None:
    seen = _v1_time(looked_up_at)
    outcome = outcome if outcome in OUTCOMES else "error"
    figures = record_figures(_load_dict(raw_json)) if raw_json else {}
    cursor = conn.execute(
        "INSERT INTO generations (gen_id, first_seen, last_seen, lookup_count, outcome, status,"
        " model, provider, total_cost, tokens_prompt, tokens_completion, created_at,"
        " record_seen) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            gen_id,
            seen,
            seen,
            outcome,
            200 if outcome == "ok" else None,
            figures.get("model"),
            figures.get("provider"),
            figures.get("total_cost"),
            figures.get("tokens_prompt"),
            figures.get("tokens_completion"),
            figures.get("created_at"),
            seen if raw_json else None,
        ),
    )
    if raw_json:  # kept even when it does not parse: never drop what the user had
        conn.execute("INSERT INTO records (id, raw) VALUES (?, ?)", (cursor.lastrowid, raw_json))


def _v1_time(text: str | None) -> float:
    """v1 stored ISO 8601 text; an unreadable time sorts as the oldest entry."""
    parsed = parse_timestamp(text)
    return parsed.timestamp() if parsed else 0.0


def _load_dict(raw_json: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw_json)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    register_functions(conn)
    _run_script(conn, V3_SCHEMA)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
}


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to :data:`CURRENT_VERSION`; the caller holds a write transaction.

    Returns the version found. Raises :class:`SchemaVersionError` for a newer file.
    """
    found = user_version(conn)
    if found > CURRENT_VERSION:
        raise SchemaVersionError(f"the file was written by a newer version (schema v{found})")
    for version in range(found, CURRENT_VERSION):
        MIGRATIONS[version](conn)
        _set_version(conn, version + 1)
    return found


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
    pydantic would cost ``get`` ~100 ms of import on every lookup it records.
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
        "created_at": created.timestamp() if created else None,
    }


# ---- full-text index (depends on the SQLite build, so not a versioned migration) ----------


def fts_table_exists(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).fetchone()
    return row is not None


def fts_state(conn: sqlite3.Connection) -> str | None:
    """``"ok"`` when the full-text table holds every row, ``"stale"`` when it may not."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()
    return str(row[0]) if row else None


def set_fts_state(conn: sqlite3.Connection, state: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('fts', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (state,),
    )


def fts_needs_build(conn: sqlite3.Connection) -> bool:
    """True when this SQLite can keep the full-text table and it is missing or stale."""
    return trigram_supported() and fts_state(conn) != "ok"


def ensure_fts(conn: sqlite3.Connection, *, recreate: bool = False) -> None:
    """(Re)build the full-text table from ``generations``; caller holds a write transaction.

    ``recreate`` drops the table first (a damaged index), instead of emptying it.
    """
    if not trigram_supported():
        return
    if recreate:
        conn.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    if fts_table_exists(conn):
        conn.execute(f"DELETE FROM {FTS_TABLE}")
    else:
        conn.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(skey, tokenize='trigram')")
    conn.execute(f"INSERT INTO {FTS_TABLE} (rowid, skey) SELECT id, skey FROM generations")
    set_fts_state(conn, "ok")


def utc_from_ts(value: float | None) -> datetime | None:
    """A stored unix time as an aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, UTC)
