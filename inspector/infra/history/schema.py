"""The history file's schema version, its search key and its full-text index.

The version lives in ``PRAGMA user_version`` (see :mod:`.migrations` for each version).
When SQLite has FTS5 with the trigram tokenizer, a full-text table over the search key
serves substring searches; it is not versioned because it depends on the SQLite build, and
``meta.fts`` says whether it holds every row (``ok``) or may not (``stale``).
"""

from __future__ import annotations

import sqlite3
from functools import cache

from inspector.infra.history.figures import session_of
from inspector.infra.history.values import load_raw

CURRENT_VERSION = 4
FTS_TABLE = "generations_fts"
OUTCOMES = ("ok", "pending", "not_found", "error")


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


def session_id_of(raw_json: str | None) -> str | None:
    """The ``session_id`` of a stored record (None when it has none or does not parse)."""
    return session_of(load_raw(raw_json))


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the migrations use."""
    conn.create_function("inspector_skey", 3, search_key, deterministic=True)
    conn.create_function("inspector_session_id", 1, session_id_of, deterministic=True)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the file (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def set_version(conn: sqlite3.Connection, version: int) -> None:
    conn.execute(f"PRAGMA user_version = {int(version)}")


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
