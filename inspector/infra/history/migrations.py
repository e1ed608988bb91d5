"""The migrations between the history file's versions.

Each migration takes the file from version ``n`` to ``n + 1`` inside the caller's write
transaction, so a fresh file and a migrated one always end with the same schema (a test
compares them).

History of the format:

- **v1** — one ``lookups`` row per id: the time and outcome of the last lookup and, for a
  success, the raw record. A failure after a success overwrote the row and lost the record.
- **v2** — ``generations`` (first/last lookup, count, last outcome with status and message,
  and the main figures of the last good record) plus ``records`` (the raw JSON, kept when a
  later lookup fails), and an index on the last lookup time.
- **v3** — a lower-cased search key (id, model, provider) in an index with the lookup time,
  so "newest matches first" is an index scan, and a ``meta`` table (see :mod:`.schema` for
  the full-text table over the key).
- **v4** — ``pricing_snapshots``: the prices a record was explained with and when they were
  fetched, one per generation id, so a bill reopens offline and a later
  price change shows; a ``session_id`` column (filled from the stored records) and indexes on
  (model, provider, created_at) and on the session, for the "how it compares" queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from inspector.core.coerce import parse_timestamp
from inspector.infra.history import schema
from inspector.infra.history.figures import stored_figures
from inspector.infra.history.schema import CURRENT_VERSION, OUTCOMES, SchemaVersionError
from inspector.infra.history.values import load_raw

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


V4_SCHEMA = """
ALTER TABLE generations ADD COLUMN session_id TEXT;
UPDATE generations SET session_id =
    (SELECT inspector_session_id(r.raw) FROM records r WHERE r.id = generations.id);
CREATE INDEX generations_model_provider ON generations(model, provider, created_at);
CREATE INDEX generations_session ON generations(session_id, created_at)
    WHERE session_id IS NOT NULL;
CREATE TABLE pricing_snapshots (
    gen_id TEXT PRIMARY KEY,
    fetched_at REAL NOT NULL,
    model TEXT,
    provider TEXT,
    body TEXT NOT NULL
);
"""


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
    figures = stored_figures(load_raw(raw_json)) if raw_json else {}
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


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    schema.register_functions(conn)
    _run_script(conn, V3_SCHEMA)


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    schema.register_functions(conn)
    _run_script(conn, V4_SCHEMA)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to :data:`CURRENT_VERSION`; the caller holds a write transaction.

    Returns the version found. Raises :class:`SchemaVersionError` for a newer file.
    """
    found = schema.user_version(conn)
    if found > CURRENT_VERSION:
        raise SchemaVersionError(f"the file was written by a newer version (schema v{found})")
    for version in range(found, CURRENT_VERSION):
        MIGRATIONS[version](conn)
        schema.set_version(conn, version + 1)
    return found
