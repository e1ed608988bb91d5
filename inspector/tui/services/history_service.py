"""The history service: every read and write of the history store, off the UI thread.

Owned by the app, not by a widget: the sidebar draws pages and asks (open, delete, clear,
query) with messages; this service does the work in thread workers and posts the answers
back to the app (:class:`HistoryLoaded`, :class:`HistoryChanged`,
:class:`StoredRecordLoaded`), which routes them. Lookups are recorded through the session's
one recording policy (:mod:`inspector.app.recording`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from inspector.core.ids import short_id
from inspector.tui.messages import HistoryChanged, HistoryLoaded, HistoryPage, StoredRecordLoaded

if TYPE_CHECKING:
    from textual.app import App

    from inspector.app.lookup import Failed, Succeeded
    from inspector.app.session import Session
    from inspector.infra.history import HistoryStore

WINDOW = 200  # entries a page holds; a line under the list says how many more match


def load_page(store: HistoryStore, query: str, limit: int = WINDOW) -> HistoryPage:
    """One window of entries for ``query`` (blank: the most recent) and the total count.

    The list shows the entries' figures only: their raw records are left unread here
    (``with_raw=False``); :meth:`HistoryService.open` reads the one opened.
    """
    text = query.strip()
    if text:
        entries, total = store.search(text, limit=limit, with_raw=False), store.count(text)
    else:
        entries, total = store.recent(limit=limit, with_raw=False), store.count()
    notices = list(store.notices)
    if store.enabled and not store.available and store.unavailable_reason:
        notices.append(f"History unavailable: {store.unavailable_reason}")
    return HistoryPage(
        query=text, entries=entries, total=total, notices=tuple(notices), enabled=store.enabled
    )


class HistoryService:
    """Reads and writes the session's history store in thread workers."""

    def __init__(self, app: App[Any], session: Session) -> None:
        self.app = app
        self.session = session

    @property
    def store(self) -> HistoryStore:
        return self.session.history

    def _run(self, work: Callable[[], None], group: str, *, exclusive: bool = False) -> None:
        self.app.run_worker(
            work, thread=True, group=group, exclusive=exclusive, exit_on_error=False
        )

    def record(self, outcome: Succeeded | Failed) -> None:
        """Keep ``outcome`` under the session's recording policy."""

        def write() -> None:
            if self.session.record(outcome):
                self.app.post_message(HistoryChanged())

        self._run(write, "history-write")

    def query(self, text: str, seq: int) -> None:
        """Read a page for ``text``; the newest query wins."""

        def read() -> None:
            self.app.post_message(HistoryLoaded(load_page(self.store, text), seq))

        self._run(read, "history-query", exclusive=True)

    def open(self, gen_id: str) -> None:
        """Read one entry back (with its record) for display."""

        def read() -> None:
            from inspector.core.models import Generation

            entry = self.store.get(gen_id)
            raw = entry.raw if entry is not None else None
            generation = Generation.from_api(raw) if raw else None
            self.app.post_message(StoredRecordLoaded(gen_id, entry, generation, raw))

        self._run(read, "history-open", exclusive=True)

    def delete(self, gen_id: str) -> None:
        def remove() -> None:
            deleted = self.store.delete(gen_id)
            self.app.post_message(
                HistoryChanged(f"Deleted {short_id(gen_id)}" if deleted else None)
            )

        self._run(remove, "history-write")

    def clear(self) -> None:
        def remove_all() -> None:
            count = self.store.clear()
            self.app.post_message(HistoryChanged(f"Cleared {count:,} history entries"))

        self._run(remove_all, "history-write")
