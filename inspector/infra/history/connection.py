"""Opening the history file: owner-only files, WAL, migrations, a read-only fallback.

The file and SQLite's ``-wal``/``-shm`` beside it hold every id looked up, so they are
owner-only (0600): created so, and tightened when an older version or another tool left
them readable by others. SQLite gives the ``-wal``/``-shm`` it creates the main file's
mode, so the main file is tightened before SQLite opens it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from inspector.infra.history import migrations, schema, sqlcodes
from inspector.infra.history.schema import SchemaVersionError

BUSY_TIMEOUT = 5.0  # seconds a writer waits for another process's transaction
SIDE_FILES = ("-wal", "-shm")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the lock up front (no upgrade deadlock in WAL)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def file_present(path: Path) -> bool:
    """Whether the history file exists; False when it (or its folder) is simply not there yet.

    Raises :class:`OSError` for a place that can hold no history: a folder on the way that
    is a regular file (ENOTDIR), one that cannot be searched (EACCES), the path a folder.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a history file", str(path))
    return True


def side_file(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def tighten(path: Path) -> None:
    """Take group and other permissions off the file and its ``-wal``/``-shm`` (0644 → 0600).

    Best effort: a file this user does not own keeps its mode (reading it still works).
    """
    for target in (path, *(side_file(path, suffix) for suffix in SIDE_FILES)):
        with suppress(OSError):
            mode = os.stat(target).st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                os.chmod(target, stat.S_IMODE(mode) & 0o700)


def create_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) before SQLite opens it."""
    parent = path.parent
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True, mode=0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def open_writable(path: Path) -> sqlite3.Connection:
    """Open for writing, waiting out another process that is setting the file up.

    Switching a new file to WAL takes an exclusive lock, and SQLite reports that one busy
    at once instead of calling the busy handler: so the whole open is retried.
    """
    tighten(path)
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            conn = _open(path, readonly=False)
            break
        except sqlite3.OperationalError as exc:
            if not sqlcodes.is_busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.01)
    tighten(path)  # a -wal/-shm another process created before this one tightened the file
    return conn


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open a history whose folder cannot be written, to show what is there."""
    tighten(path)
    try:
        return _open(path, readonly=True)
    except sqlite3.OperationalError:
        if side_file(path, "-wal").exists():
            raise
        return _open(path, readonly=True, immutable=True)  # no -wal: nothing is pending


def _open(path: Path, *, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
    mode = "ro" if readonly else "rw"
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    if immutable:
        uri += "&immutable=1"
    conn = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    try:
        _prepare(conn, readonly=readonly)
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection, *, readonly: bool) -> None:
    """A first read (which finds a non-database file), pragmas and the migrations.

    The version is checked before anything is changed: a newer app's file stays as is.
    """
    schema.register_functions(conn)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    version = schema.user_version(conn)
    if version > schema.CURRENT_VERSION:
        raise SchemaVersionError(
            f"the file was written by a newer version of the app (schema v{version})"
        )
    if readonly:
        if version < schema.CURRENT_VERSION:
            raise SchemaVersionError(f"the file needs an upgrade from schema v{version}")
        return
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL: a commit survives a crash of the process; only a power cut can lose
    # the last lookups, and it never corrupts the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    # A deleted entry is overwritten on disk, not just unlinked from the tree.
    conn.execute("PRAGMA secure_delete = ON")
    if version < schema.CURRENT_VERSION or schema.fts_needs_build(conn):
        with transaction(conn):
            migrations.migrate(conn)
            if schema.fts_needs_build(conn):
                schema.ensure_fts(conn)
