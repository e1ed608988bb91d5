"""``HistoryStore``: the public operations and the guard that keeps I/O trouble inside.

The store is synchronous (the UI calls it from thread workers) and thread-safe. It never
raises for I/O trouble: a read-only folder, a full disk or a lock held too long set
``available = False`` with a reason and the call returns an empty result. A damaged file
is moved aside (see :mod:`.recovery`) and the operation tried again on a fresh file, with a
line in ``notices``. Nothing touches the disk until the first call; nothing is created
before the first write.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

from inspector.infra import config
from inspector.infra.history import (
    connection,
    queries,
    recovery,
    search,
    snapshots,
    sqlcodes,
    writes,
)
from inspector.infra.history.entry import ExportFormat, HistoryEntry, HistoryItem
from inspector.infra.history.rows import Row, failure_row, item_row, success_row
from inspector.infra.history.schema import SchemaVersionError
from inspector.infra.history.snapshots import PricingSnapshot
from inspector.infra.history.values import bound, clean_id

FILENAME = "history.sqlite3"

_T = TypeVar("_T")


class HistoryStore:
    """The history file. Thread-safe; every public method swallows I/O failures.

    The default path is ``config.data_dir() / FILENAME``; computing it raises
    :class:`inspector.core.errors.ConfigError` when ``INSPECTOR_DATA_DIR`` is unusable.
    """

    def __init__(self, path: Path | None = None, *, enabled: bool | None = None) -> None:
        self.path = Path(path) if path is not None else config.data_dir() / FILENAME
        self.enabled = config.history_enabled() if enabled is None else bool(enabled)
        self.notices: list[str] = []
        self.available = self.enabled
        self.unavailable_reason: str | None = None if self.enabled else "history is turned off"
        self._conn: sqlite3.Connection | None = None
        self._readonly = False
        self._lock = threading.RLock()
        self._writes = 0  # successful writes through this store (see search.MatchCounter)
        self._matches = search.MatchCounter()

    @property
    def readonly(self) -> bool:
        """True while the file is open for reading only (its folder cannot be written)."""
        return self._readonly

    # ---- writing -------------------------------------------------------------------------

    def record_success(
        self, gen_id: str, raw: dict[str, Any], when: datetime | None = None
    ) -> None:
        """Keep a successful lookup: the raw record and its figures. No-op when disabled."""
        if self.enabled:
            self._record([success_row(gen_id, raw, when)])

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
        if self.enabled:
            self._record([failure_row(gen_id, outcome, status, message, when)])

    def record_many(self, items: Iterable[HistoryItem]) -> int:
        """Keep a batch of outcomes in ONE transaction, each as ``record_success`` or
        ``record_failure`` would, in order (a repeated id counts each lookup).

        Returns how many were recorded: all of them or, when the store cannot write, 0 —
        never part of a batch. The write lock is held for the whole batch, so callers send
        batches of a bounded size (a thousand outcomes take a few milliseconds).
        """
        if not self.enabled:
            return 0
        return self._record([item_row(item) for item in items])

    def _record(self, prepared: list[Row | None]) -> int:
        rows = [row for row in prepared if row is not None]  # None: an empty id
        if not rows:
            return 0
        return self._call("save the lookup", lambda conn: writes.record(conn, rows), 0, write=True)

    def delete(self, gen_id: str) -> bool:
        """Forget one id; False when it was not there."""
        cleaned = clean_id(gen_id)
        return self._call(
            "delete the entry",
            lambda conn: writes.delete(conn, cleaned),
            False,
            write=True,
            create=False,
        )

    def clear(self) -> int:
        """Forget everything; returns how many entries there were."""
        cleared = self._call("clear the history", writes.clear, 0, write=True, create=False)
        if cleared:
            self._call("compact the file", writes.compact, None, write=True, create=False)
        return cleared

    def save_snapshot(self, snapshot: PricingSnapshot, *, replace: bool = False) -> bool:
        """Keep the prices a record was explained with beside it (the first one is kept
        unless ``replace``); False when not kept (history off, I/O, one kept already)."""
        if not self.enabled:
            return False
        snapshot = PricingSnapshot(
            clean_id(snapshot.gen_id),
            snapshot.fetched_at,
            snapshot.model,
            snapshot.provider,
            snapshot.body,
        )
        return self._call(
            "save the prices",
            lambda conn: snapshots.save(conn, snapshot, replace),
            False,
            write=True,
        )

    # ---- reading -------------------------------------------------------------------------

    def snapshot(self, gen_id: str) -> PricingSnapshot | None:
        """The prices kept beside a record, or None."""
        cleaned = clean_id(gen_id)
        return self._call("read the prices", lambda conn: snapshots.load(conn, cleaned), None)

    def records_like(
        self, model: str, provider: str, *, limit: int = 200, exclude: str | None = None
    ) -> list[dict[str, Any]]:
        """The stored records of ``model`` at ``provider`` (as the columns hold them), newest
        generation first, at most ``limit`` (and ``snapshots.MAX_SIMILAR``); ``exclude``
        leaves one id out."""
        count = bound(limit)
        return self._call(
            "read the history",
            lambda conn: snapshots.records_like(conn, model, provider, count, exclude),
            [],
        )

    def session_records(self, session_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
        """The stored records of one ``session_id``, newest generation first (bounded)."""
        count = bound(limit)
        return self._call(
            "read the history",
            lambda conn: snapshots.session_records(conn, session_id, count),
            [],
        )

    def get(self, gen_id: str) -> HistoryEntry | None:
        """The entry for one id, or None."""
        cleaned = clean_id(gen_id)
        return self._call("read the history", lambda conn: queries.get(conn, cleaned), None)

    def recent(
        self, limit: int = 500, offset: int = 0, *, with_raw: bool = True
    ) -> list[HistoryEntry]:
        """Entries, most recently looked up first.

        ``with_raw=False`` leaves ``raw`` unread (None; ``has_record`` still says whether
        there is one): twice as fast for a list, and :meth:`get` reads one when it is opened.
        """
        page = (bound(limit), bound(offset))
        return self._call(
            "read the history", lambda conn: queries.recent(conn, *page, with_raw), []
        )

    def search(
        self, text: str, limit: int = 500, offset: int = 0, *, with_raw: bool = True
    ) -> list[HistoryEntry]:
        """Entries whose id, model or provider contains ``text`` (any case), newest first.

        ``with_raw`` as in :meth:`recent`.
        """
        needle = search.normalize_query(text)
        if not needle:
            return self.recent(limit, offset, with_raw=with_raw)
        page = (bound(limit), bound(offset))

        def find(conn: sqlite3.Connection) -> list[HistoryEntry]:
            matches = self._matches.count(conn, needle, self._writes)
            return search.find(conn, needle, *page, with_raw, matches)

        return self._call("search the history", find, [])

    def count(self, text: str | None = None) -> int:
        """How many entries there are, or how many match ``text`` like :meth:`search`."""
        needle = search.normalize_query(text or "")

        def count(conn: sqlite3.Connection) -> int:
            matches = self._matches.count(conn, needle, self._writes) if needle else None
            return search.count(conn, needle, matches)

        return self._call("count the history", count, 0)

    def export(self, fp: TextIO, fmt: ExportFormat) -> int:
        """Write the history to ``fp`` (newest first); returns the number of rows written.

        ``jsonl``: one stored raw record per line (ids never looked up successfully have
        none). ``csv``: one row per id with the main figures. Errors writing ``fp`` are the
        caller's; errors reading the store end the export early and set ``available``.
        """
        from inspector.infra.history.export import make_writer  # csv: only when exporting

        write = make_writer(fp, fmt)
        written = 0
        with self._lock:
            for entry in self._every_entry():
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

    def _every_entry(self) -> Iterator[HistoryEntry]:
        """Every entry, newest first, in one snapshot; stops early on a store error."""
        conn = self._call("export the history", lambda conn: conn, None)
        if conn is None:
            return
        try:
            yield from queries.every_entry(conn)
        except sqlite3.Error as exc:
            self._fail("export the history", exc)

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
        self.unavailable_reason = f"could not {action} ({self.path}): {sqlcodes.describe(exc)}"

    def _recover(self, exc: sqlite3.Error) -> bool:
        """Handle a damaged file or index; True when the operation should be tried again."""
        conn = self._conn
        if sqlcodes.is_damaged_index(exc) and conn is not None and recovery.rebuild_fts(conn):
            return True
        if not sqlcodes.is_damaged_file(exc):
            return False
        return self._move_aside(str(exc))

    def _move_aside(self, why: str) -> bool:
        """Rename the damaged file (and its -wal/-shm) out of the way; never delete it."""
        self._drop_connection()
        try:
            target = recovery.move_aside(self.path)
        except OSError as exc:
            self.available = False
            self.unavailable_reason = (
                f"the history file {self.path} is damaged ({why}) and could not be moved"
                f" aside: {sqlcodes.describe(exc)}"
            )
            return False
        self.notices.append(recovery.moved_notice(why, target))
        return True

    # ---- opening ---------------------------------------------------------------------------

    def _connection(self, *, create: bool) -> sqlite3.Connection | None:
        """The open connection; opens (and with ``create``, creates) the file when needed.

        None when there is no file yet and ``create`` is False. Raises :class:`OSError` for
        a data folder that cannot hold a history (see :func:`connection.file_present`).
        """
        if self._conn is not None:
            return self._conn
        present = connection.file_present(self.path)
        # A file that is not SQLite is moved aside before SQLite opens it, so SQLite never
        # touches it or its -wal.
        if present and not recovery.looks_like_sqlite(self.path):
            if not self._move_aside("not an SQLite file"):
                raise OSError(f"cannot move aside the damaged file {self.path}")
            present = False
        if not present:
            if not create:
                return None
            connection.create_file(self.path)
        try:
            self._conn = connection.open_writable(self.path)
            self._readonly = False
        except sqlite3.OperationalError as exc:
            if create or not sqlcodes.cannot_write(exc):
                raise
            self._conn = connection.open_readonly(self.path)
            self._readonly = True
            self.available = False
            self.unavailable_reason = (
                f"the history at {self.path} can be read but not written"
                f" ({sqlcodes.describe(exc)}); new lookups are not recorded"
            )
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        self._readonly = False
        self._matches.reset()  # data_version is per connection
