"""SQLite's result codes the store acts on, and one-line reasons for the user."""

from __future__ import annotations

import sqlite3

SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
SQLITE_CORRUPT_VTAB = 267  # extended code: a damaged virtual table (the full-text index)


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0)


def is_busy(exc: sqlite3.Error) -> bool:
    return _code(exc) & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def cannot_write(exc: sqlite3.Error) -> bool:
    """SQLite's answers for a folder or file that cannot be written."""
    return _code(exc) & 0xFF in (SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN)


def is_damaged_index(exc: sqlite3.Error) -> bool:
    return _code(exc) == SQLITE_CORRUPT_VTAB


def is_damaged_file(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
