"""A damaged history: the file moved aside (never deleted), a broken search index rebuilt."""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from inspector.infra.history import schema
from inspector.infra.history.connection import SIDE_FILES, side_file, transaction

SQLITE_MAGIC = b"SQLite format 3\x00"


def looks_like_sqlite(path: Path) -> bool:
    """An empty file (SQLite starts it) or one that begins with SQLite's header."""
    try:
        with path.open("rb") as fp:
            head = fp.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        return True  # not ours to move: opening it fails and says why
    return head in (b"", SQLITE_MAGIC)


def move_aside(path: Path) -> Path:
    """Rename the damaged file (and its -wal/-shm) to ``<name>.corrupt-<UTC time>``.

    Returns the new name; raises :class:`OSError` when the file could not be moved.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    suffix = 1
    while target.exists():
        suffix += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{suffix}")
    os.replace(path, target)
    for extra in SIDE_FILES:
        side = side_file(path, extra)
        if side.exists():
            # Same folder as the rename that just worked: not expected to fail.
            with suppress(OSError):
                os.replace(side, side_file(target, extra))
    return target


def moved_notice(why: str, target: Path) -> str:
    return (
        f"The history file was damaged ({why}); it was moved aside to {target}"
        " and a new history was started."
    )


def rebuild_fts(conn: sqlite3.Connection) -> bool:
    """Build the full-text index again from the rows; False when that fails too."""
    try:
        with transaction(conn):
            schema.ensure_fts(conn, recreate=True)
    except sqlite3.Error:
        return False
    return True
