"""Every lookup kept in SQLite: searchable, exportable, safe with two windows and a crash.

One row per generation id. A successful lookup stores the raw ``data`` object as received
(unknown keys included) so the record reopens offline; a later failure updates the outcome
but keeps that last good record. The API key is never handed to the store, and failure
messages are scrubbed of anything key-shaped and of ``user_id`` values before they are kept.

The store is synchronous (the UI calls it from thread workers) and never raises for I/O
trouble: a read-only folder, a full disk or a lock held too long set ``available = False``
with a reason and the call returns an empty result. A damaged file is moved aside as
``history.sqlite3.corrupt-<time>`` and a fresh history started, with a line in ``notices``.
Nothing touches the disk until the first call; nothing is created before the first write.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TextIO, TypeVar

from inspector.infra import config
from inspector.infra import history_schema as schema
from inspector.infra.history_schema import SchemaVersionError

Outcome = Literal["ok", "pending", "not_found", "error"]
ExportFormat = Literal["jsonl", "csv"]

FILENAME = "history.sqlite3"
BUSY_TIMEOUT = 5.0  # seconds a writer waits for another process's transaction
# Up to this many matches, a page is read by sorting the full-text matches by time; above
# it, walking the time index finds a page of matches sooner (measured at 100,000 entries).
FTS_PAGE_LIMIT = 2000
MESSAGE_LIMIT = 2000  # characters of a failure message that are kept

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_CORRUPT_VTAB = 267
_FAILURE_OUTCOMES = ("pending", "not_found", "error")

_T = TypeVar("_T")

_SUMMARY = (
    "g.gen_id, g.first_seen, g.last_seen, g.lookup_count, g.outcome, g.status, g.message,"
    " g.model, g.provider, g.total_cost, g.tokens_prompt, g.tokens_completion, g.created_at"
)
_COLUMNS = _SUMMARY + ", r.raw"
_COLUMNS_NO_RAW = _SUMMARY + ", r.id IS NOT NULL"
_FROM = "generations g LEFT JOIN records r ON r.id = g.id"

_KEY_SHAPED = re.compile(r"sk-or-[A-Za-z0-9_\-]+|(?i:bearer)\s+\S+")
_USER_ID = re.compile(r"(\"?user_id\"?\s*[:=]\s*\"?)[^\s\",}]+|\buser_[A-Za-z0-9]{16,}\b")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class HistoryEntry:
    """One generation id as the history knows it.

    ``raw`` is the last good record (set when any lookup of the id succeeded), so it may be
    present while ``outcome`` reports a later failure.
    """

    gen_id: str
    first_seen: datetime
    last_seen: datetime
    lookup_count: int
    outcome: str
    status: int | None
    message: str | None
    model: str | None
    provider: str | None
    total_cost: float | None
    tokens_prompt: int | None
    tokens_completion: int | None
    created_at: datetime | None
    raw: dict[str, Any] | None
    # True when a successful lookup's record is stored (it opens offline), also in lists
    # read with ``with_raw=False``, where ``raw`` is None to save parsing it.
    has_record: bool = False

    def __post_init__(self) -> None:
        if self.raw is not None and not self.has_record:
            object.__setattr__(self, "has_record", True)


class HistoryStore:
    """The history file. Thread-safe; every public method swallows I/O failures."""

    def __init__(self, path: Path | None = None, *, enabled: bool | None = None) -> None:
        self.path = Path(path) if path is not None else config.data_dir() / FILENAME
        self.enabled = config.history_enabled() if enabled is None else bool(enabled)
        self.notices: list[str] = []
        self.available = self.enabled
        self.unavailable_reason: str | None = None if self.enabled else "history is turned off"
        self._conn: sqlite3.Connection | None = None
        self._readonly = False
        self._lock = threading.RLock()
        self._writes = 0  # successful writes through this store (see _fts_count)
        self._fts_memo: tuple[str, int, int, int] | None = None

    @property
    def readonly(self) -> bool:
        """True while the file is open for reading only (its folder cannot be written)."""
        return self._readonly

    # ---- writing -------------------------------------------------------------------------

    def record_success(
        self, gen_id: str, raw: dict[str, Any], when: datetime | None = None
    ) -> None:
        """Keep a successful lookup: the raw record and its figures. No-op when disabled."""
        gen_id = _clean_id(gen_id)
        if not self.enabled or not gen_id:
            return
        raw_json = json.dumps(raw, ensure_ascii=True, separators=(",", ":"), default=str)
        figures = schema.record_figures(raw)
        seen = _timestamp(when)
        self._call(
            "save the lookup",
            lambda conn: self._write_success(conn, gen_id, raw_json, figures, seen),
            None,
            write=True,
        )

    def record_failure(
        self,
        gen_id: str,
        outcome: str,
        status: int | None,
        message: str | None,
        when: datetime | None = None,
    ) -> None:
        """Keep a failed lookup (``pending``, ``not_found`` or ``error``; others count as
        ``error``). An earlier good record of the id is kept. No-op when disabled."""
        gen_id = _clean_id(gen_id)
        if not self.enabled or not gen_id:
            return
        outcome = outcome if outcome in _FAILURE_OUTCOMES else "error"
        clean = scrub_message(message)
        seen = _timestamp(when)
        self._call(
            "save the lookup",
            lambda conn: self._write_failure(conn, gen_id, outcome, status, clean, seen),
            None,
            write=True,
        )

    def delete(self, gen_id: str) -> bool:
        """Forget one id; False when it was not there."""
        gen_id = _clean_id(gen_id)
        return self._call(
            "delete the entry",
            lambda conn: self._delete(conn, gen_id),
            False,
            write=True,
            create=False,
        )

    def clear(self) -> int:
        """Forget everything; returns how many entries there were."""
        cleared = self._call("clear the history", self._clear, 0, write=True, create=False)
        if cleared:
            self._call("compact the file", _compact, None, write=True, create=False)
        return cleared

    # ---- reading -------------------------------------------------------------------------

    def get(self, gen_id: str) -> HistoryEntry | None:
        """The entry for one id, or None."""
        gen_id = _clean_id(gen_id)

        def query(conn: sqlite3.Connection) -> HistoryEntry | None:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM {_FROM} WHERE g.gen_id = ?", (gen_id,)
            ).fetchone()
            return _entry(row) if row else None

        return self._call("read the history", query, None)

    def recent(
        self, limit: int = 500, offset: int = 0, *, with_raw: bool = True
    ) -> list[HistoryEntry]:
        """Entries, most recently looked up first.

        ``with_raw=False`` leaves ``raw`` unread (None; ``has_record`` still says whether
        there is one): twice as fast for a list, and :meth:`get` reads one when it is opened.
        """

        def query(conn: sqlite3.Connection) -> list[HistoryEntry]:
            rows = conn.execute(
                f"SELECT {_columns(with_raw)} FROM {_FROM}"
                " ORDER BY g.last_seen DESC LIMIT ? OFFSET ?",
                (_bound(limit), _bound(offset)),
            ).fetchall()
            return [_entry(row, with_raw) for row in rows]

        return self._call("read the history", query, [])

    def search(
        self, text: str, limit: int = 500, offset: int = 0, *, with_raw: bool = True
    ) -> list[HistoryEntry]:
        """Entries whose id, model or provider contains ``text`` (any case), newest first.

        ``with_raw`` as in :meth:`recent`.
        """
        needle = normalize_query(text)
        if not needle:
            return self.recent(limit, offset, with_raw=with_raw)
        return self._call(
            "search the history",
            lambda conn: self._search(conn, needle, _bound(limit), _bound(offset), with_raw),
            [],
        )

    def count(self, text: str | None = None) -> int:
        """How many entries there are, or how many match ``text`` like :meth:`search`."""
        needle = normalize_query(text or "")
        return self._call("count the history", lambda conn: self._count(conn, needle), 0)

    def export(self, fp: TextIO, fmt: ExportFormat) -> int:
        """Write the history to ``fp`` (newest first); returns the number of rows written.

        ``jsonl``: one stored raw record per line (ids never looked up successfully have
        none). ``csv``: one row per id with the main figures. Errors writing ``fp`` are the
        caller's; errors reading the store end the export early and set ``available``.
        """
        from inspector.infra.history_export import make_writer

        write = make_writer(fp, fmt)
        written = 0
        with self._lock:
            for entry in self._iter_all():
                written += write(entry)
        return written

    def close(self) -> None:
        """Close the file; the next call opens it again."""
        with self._lock:
            self._drop_connection()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the guard around every operation --------------------------------------------------

    def _call(
        self,
        action: str,
        operation: Callable[[sqlite3.Connection], _T],
        default: _T,
        *,
        write: bool = False,
        create: bool = True,
    ) -> _T:
        """Run ``operation`` on the open file; turn I/O trouble into ``available = False``.

        A damaged file is moved aside once and the operation tried again on a fresh one.
        """
        with self._lock:
            if not self.enabled:
                return default
            for first_try in (True, False):
                try:
                    conn = self._connection(create=write and create)
                    if conn is None:
                        return default
                    result = operation(conn)
                except sqlite3.Error as exc:
                    if first_try and self._recover(exc):
                        continue
                    self._fail(action, exc)
                    return default
                except (OSError, SchemaVersionError) as exc:
                    self._fail(action, exc)
                    return default
                if write:
                    self._writes += 1
                    self.available, self.unavailable_reason = True, None
                return result
            return default

    def _fail(self, action: str, exc: BaseException) -> None:
        self._drop_connection()
        self.available = False
        self.unavailable_reason = f"could not {action} ({self.path}): {_describe(exc)}"

    def _recover(self, exc: sqlite3.Error) -> bool:
        """Handle a damaged file or index; True when the operation should be tried again."""
        code = getattr(exc, "sqlite_errorcode", None)
        if code == _SQLITE_CORRUPT_VTAB and self._rebuild_fts():
            return True
        if code is None or code & 0xFF not in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return False
        return self._move_aside(str(exc))

    def _rebuild_fts(self) -> bool:
        try:
            conn = self._connection(create=False)
            if conn is None:
                return False
            with _transaction(conn):
                schema.ensure_fts(conn, recreate=True)
        except sqlite3.Error:
            return False
        return True

    def _move_aside(self, why: str) -> bool:
        """Rename the damaged file (and its -wal/-shm) out of the way; never delete it."""
        self._drop_connection()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        suffix = 1
        while target.exists():
            suffix += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{suffix}")
        try:
            os.replace(self.path, target)
        except OSError as exc:
            self.available = False
            self.unavailable_reason = (
                f"the history file {self.path} is damaged ({why}) and could not be moved"
                f" aside: {_describe(exc)}"
            )
            return False
        for extra in ("-wal", "-shm"):
            side = Path(f"{self.path}{extra}")
            if side.exists():
                # Same folder as the rename that just worked: not expected to fail.
                with suppress(OSError):
                    os.replace(side, Path(f"{target}{extra}"))
        self.notices.append(
            f"The history file was damaged ({why}); it was moved aside to {target}"
            " and a new history was started."
        )
        return True

    # ---- opening ---------------------------------------------------------------------------

    def _connection(self, *, create: bool) -> sqlite3.Connection | None:
        """The open connection; opens (and with ``create``, creates) the file when needed."""
        if self._conn is not None:
            return self._conn
        # A file that is not SQLite is moved aside before SQLite opens it, so SQLite never
        # touches it or its -wal.
        damaged = self.path.exists() and not _looks_like_sqlite(self.path)
        if damaged and not self._move_aside("not an SQLite file"):
            raise OSError(f"cannot move aside the damaged file {self.path}")
        if not self.path.exists():
            if not create:
                return None
            self._create_file()
        try:
            self._conn = self._open_writable()
            self._readonly = False
        except sqlite3.OperationalError as exc:
            if create or not _cannot_write(exc):
                raise
            self._conn = self._open_readonly(exc)
        return self._conn

    def _open_writable(self) -> sqlite3.Connection:
        """Open for writing, waiting out another process that is setting the file up.

        Switching a new file to WAL takes an exclusive lock, and SQLite reports that one
        busy at once instead of calling the busy handler: so the whole open is retried.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                return self._open(readonly=False)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(0.01)

    def _create_file(self) -> None:
        """Create the folder (0700) and an empty file (0600) before SQLite opens it."""
        parent = self.path.parent
        if not parent.is_dir():
            try:
                parent.mkdir(parents=True, mode=0o700)
            except FileExistsError:
                pass
            else:
                os.chmod(parent, 0o700)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        os.chmod(self.path, 0o600)

    def _open(self, *, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
        mode = "ro" if readonly else "rw"
        uri = f"{self.path.absolute().as_uri()}?mode={mode}"
        if immutable:
            uri += "&immutable=1"
        conn = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            self._prepare(conn, readonly=readonly)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_readonly(self, cause: sqlite3.Error) -> sqlite3.Connection:
        """Reading a history in a folder that cannot be written: say so, show what is there."""
        try:
            conn = self._open(readonly=True)
        except sqlite3.OperationalError:
            if Path(f"{self.path}-wal").exists():
                raise
            conn = self._open(readonly=True, immutable=True)  # no -wal: nothing is pending
        self._readonly = True
        self.available = False
        self.unavailable_reason = (
            f"the history at {self.path} can be read but not written ({_describe(cause)});"
            " new lookups are not recorded"
        )
        return conn

    def _prepare(self, conn: sqlite3.Connection, *, readonly: bool) -> None:
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
            with _transaction(conn):
                schema.migrate(conn)
                if schema.fts_needs_build(conn):
                    schema.ensure_fts(conn)

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        self._readonly = False
        self._fts_memo = None  # data_version is per connection

    # ---- the operations -----------------------------------------------------------------

    def _write_success(
        self,
        conn: sqlite3.Connection,
        gen_id: str,
        raw_json: str,
        figures: dict[str, Any],
        seen: float,
    ) -> None:
        skey = schema.search_key(gen_id, figures.get("model"), figures.get("provider"))
        with _transaction(conn):
            maintain = _fts_writable(conn)
            row = conn.execute(
                "SELECT id, last_seen, record_seen, skey FROM generations WHERE gen_id = ?",
                (gen_id,),
            ).fetchone()
            if row is None:
                rowid = _insert(conn, gen_id, seen, "ok", 200, None, skey, figures)
                _put_record(conn, rowid, raw_json)
                _fts_insert(conn, maintain, rowid, skey)
                return
            rowid, last_seen, record_seen, old_skey = row
            _touch(conn, rowid, seen)
            if seen >= last_seen:
                _set_outcome(conn, rowid, "ok", 200, None)
            if record_seen is None or seen >= record_seen:
                _set_figures(conn, rowid, figures, seen, skey)
                _put_record(conn, rowid, raw_json)
                if skey != old_skey:
                    _fts_update(conn, maintain, rowid, skey)

    def _write_failure(
        self,
        conn: sqlite3.Connection,
        gen_id: str,
        outcome: str,
        status: int | None,
        message: str | None,
        seen: float,
    ) -> None:
        with _transaction(conn):
            maintain = _fts_writable(conn)
            row = conn.execute(
                "SELECT id, last_seen FROM generations WHERE gen_id = ?", (gen_id,)
            ).fetchone()
            if row is None:
                skey = schema.search_key(gen_id, None, None)
                rowid = _insert(conn, gen_id, seen, outcome, status, message, skey, {})
                _fts_insert(conn, maintain, rowid, skey)
                return
            rowid, last_seen = row
            _touch(conn, rowid, seen)
            if seen >= last_seen:
                _set_outcome(conn, rowid, outcome, status, message)

    def _delete(self, conn: sqlite3.Connection, gen_id: str) -> bool:
        with _transaction(conn):
            maintain = _fts_writable(conn)
            row = conn.execute("SELECT id FROM generations WHERE gen_id = ?", (gen_id,)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM generations WHERE id = ?", row)
            conn.execute("DELETE FROM records WHERE id = ?", row)
            if maintain:
                conn.execute(f"DELETE FROM {schema.FTS_TABLE} WHERE rowid = ?", row)
        return True

    def _clear(self, conn: sqlite3.Connection) -> int:
        with _transaction(conn):
            maintain = _fts_writable(conn)
            count = int(conn.execute("SELECT count(*) FROM generations").fetchone()[0])
            conn.execute("DELETE FROM generations")
            conn.execute("DELETE FROM records")
            if maintain:
                conn.execute(f"DELETE FROM {schema.FTS_TABLE}")
        return count

    def _search(
        self, conn: sqlite3.Connection, needle: str, limit: int, offset: int, with_raw: bool
    ) -> list[HistoryEntry]:
        columns = _columns(with_raw)
        matches = self._fts_count(conn, needle)
        if matches is not None and matches <= FTS_PAGE_LIMIT:
            # Sort the few matches by time on small rows, then read the page's columns.
            sql = (
                f"SELECT {columns} FROM (SELECT g.id AS gid, g.last_seen AS seen"
                f" FROM {schema.FTS_TABLE} f CROSS JOIN generations g ON g.id = f.rowid"
                " WHERE f.skey MATCH ? ORDER BY g.last_seen DESC LIMIT ? OFFSET ?) AS page"
                " CROSS JOIN generations g ON g.id = page.gid"
                " LEFT JOIN records r ON r.id = g.id ORDER BY page.seen DESC"
            )
            rows = conn.execute(sql, (_phrase(needle), limit, offset)).fetchall()
        else:
            sql = (
                f"SELECT {columns} FROM {_FROM} WHERE instr(g.skey, ?) > 0"
                " ORDER BY g.last_seen DESC LIMIT ? OFFSET ?"
            )
            rows = conn.execute(sql, (needle, limit, offset)).fetchall()
        return [_entry(row, with_raw) for row in rows]

    def _count(self, conn: sqlite3.Connection, needle: str) -> int:
        if not needle:
            return int(conn.execute("SELECT count(*) FROM generations").fetchone()[0])
        matches = self._fts_count(conn, needle)
        if matches is not None:
            return matches
        sql = "SELECT count(*) FROM generations WHERE instr(skey, ?) > 0"
        return int(conn.execute(sql, (needle,)).fetchone()[0])

    def _fts_count(self, conn: sqlite3.Connection, needle: str) -> int | None:
        """Exact number of matches from the full-text index; None when it cannot answer
        (a needle under 3 characters, or no usable index: then callers scan).

        As the user types, ``search`` and ``count`` ask for the same needle in a row: the
        answer is reused while no process has written (``PRAGMA data_version``).
        """
        if len(needle) < 3 or not schema.trigram_supported() or schema.fts_state(conn) != "ok":
            return None
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        memo = self._fts_memo
        if memo is not None and memo[:3] == (needle, version, self._writes):
            return memo[3]
        sql = f"SELECT count(*) FROM {schema.FTS_TABLE} WHERE skey MATCH ?"
        found = int(conn.execute(sql, (_phrase(needle),)).fetchone()[0])
        self._fts_memo = (needle, version, self._writes, found)
        return found

    def _iter_all(self) -> Iterator[HistoryEntry]:
        """Every entry, newest first, read in one snapshot; stops early on a store error."""
        conn = self._call("export the history", lambda conn: conn, None)
        if conn is None:
            return
        try:
            cursor = conn.execute(f"SELECT {_COLUMNS} FROM {_FROM} ORDER BY g.last_seen DESC")
            while rows := cursor.fetchmany(500):
                yield from (_entry(row) for row in rows)
        except sqlite3.Error as exc:
            self._fail("export the history", exc)


# ---- SQL helpers ---------------------------------------------------------------------------


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the lock up front (no upgrade deadlock in WAL)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _insert(
    conn: sqlite3.Connection,
    gen_id: str,
    seen: float,
    outcome: str,
    status: int | None,
    message: str | None,
    skey: str,
    figures: dict[str, Any],
) -> int:
    cursor = conn.execute(
        "INSERT INTO generations (gen_id, first_seen, last_seen, lookup_count, outcome, status,"
        " message, model, provider, total_cost, tokens_prompt, tokens_completion, created_at,"
        " record_seen, skey) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            gen_id,
            seen,
            seen,
            outcome,
            status,
            message,
            figures.get("model"),
            figures.get("provider"),
            figures.get("total_cost"),
            figures.get("tokens_prompt"),
            figures.get("tokens_completion"),
            figures.get("created_at"),
            seen if figures else None,
            skey,
        ),
    )
    return int(cursor.lastrowid or 0)


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
        " tokens_completion = ?, created_at = ?, record_seen = ?, skey = ? WHERE id = ?",
        (
            figures.get("model"),
            figures.get("provider"),
            figures.get("total_cost"),
            figures.get("tokens_prompt"),
            figures.get("tokens_completion"),
            figures.get("created_at"),
            seen,
            skey,
            rowid,
        ),
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


def _phrase(needle: str) -> str:
    """An FTS5 phrase matching ``needle`` literally (trigram: any substring of 3+ chars)."""
    return '"' + needle.replace('"', '""') + '"'


def _compact(conn: sqlite3.Connection) -> None:
    """After a clear: give the space back and leave no old pages in the -wal."""
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        pass  # another process is reading; the space is reused later anyway


# ---- values ---------------------------------------------------------------------------------


def _columns(with_raw: bool) -> str:
    return _COLUMNS if with_raw else _COLUMNS_NO_RAW


def _entry(row: tuple[Any, ...], with_raw: bool = True) -> HistoryEntry:
    """An entry from a row of ``_COLUMNS`` (or ``_COLUMNS_NO_RAW``)."""
    raw = _load_raw(row[13]) if with_raw else None
    return HistoryEntry(
        gen_id=row[0],
        first_seen=datetime.fromtimestamp(row[1], UTC),
        last_seen=datetime.fromtimestamp(row[2], UTC),
        lookup_count=int(row[3]),
        outcome=row[4],
        status=row[5],
        message=row[6],
        model=row[7],
        provider=row[8],
        total_cost=row[9],
        tokens_prompt=row[10],
        tokens_completion=row[11],
        created_at=schema.utc_from_ts(row[12]),
        raw=raw,
        has_record=raw is not None if with_raw else bool(row[13]),
    )


def _load_raw(raw_json: str | None) -> dict[str, Any] | None:
    if raw_json is None:
        return None
    try:
        value = json.loads(raw_json)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return time.time()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _bound(value: int) -> int:
    return max(int(value), 0)


def _text(value: str) -> str:
    """Text SQLite can store (a lone surrogate from odd JSON would make it raise)."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _clean_id(gen_id: str) -> str:
    return _text(str(gen_id)).strip().strip("\"'`").strip()


def normalize_query(text: str) -> str:
    """The search needle: trimmed, lower-cased, without control characters or a trailing
    ellipsis (so a short id copied from the UI, "h7KpQ2…", still finds its entry)."""
    return _CONTROL.sub("", _text(text)).strip().rstrip("…").strip().lower()


def scrub_message(message: str | None) -> str | None:
    """A failure message safe to keep: nothing key-shaped, no ``user_id``, bounded length."""
    if message is None:
        return None
    text = _KEY_SHAPED.sub("[redacted]", _text(str(message)))
    text = _USER_ID.sub(lambda m: (m.group(1) or "") + "[redacted]", text)
    return text[:MESSAGE_LIMIT]


def _looks_like_sqlite(path: Path) -> bool:
    """An empty file (SQLite starts it) or one that begins with SQLite's header."""
    try:
        with path.open("rb") as fp:
            head = fp.read(len(_SQLITE_MAGIC))
    except IsADirectoryError:
        return True  # not ours to move: opening it fails and says why
    return head in (b"", _SQLITE_MAGIC)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) or 0
    return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def _cannot_write(exc: sqlite3.Error) -> bool:
    """SQLite's answers for a folder or file that cannot be written."""
    code = getattr(exc, "sqlite_errorcode", 0) or 0
    return code & 0xFF in (3, 8, 14)  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
