"""The history in the app: the sidebar asks (messages), the history service does it in a
thread and answers (messages), and opening an entry shows its stored record with no
network, its id in the id field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from inspector.core.errors import InspectorError
from inspector.tui.app_base import AppBase
from inspector.tui.messages import HistoryChanged, HistoryLoaded, StoredRecordLoaded
from inspector.tui.widgets.state_base import displayed

if TYPE_CHECKING:
    from inspector.core.ids import ParsedId
    from inspector.tui.services.history_service import HistoryService
    from inspector.tui.state import LookupState
    from inspector.tui.widgets.history_sidebar import HistorySidebar

__all__ = ["HistoryActions"]

HOLD_HISTORY = 2.0  # seconds the first page may wait for a lookup typed at start-up


class HistoryActions(AppBase):
    """History messages, and the history's actions."""

    _history_service: HistoryService | None = None
    _held_query: tuple[str, int] | None = None  # the first page, asked for while a lookup ran

    def on_mount(self) -> None:
        self.watch(self, "state", self._lookup_settled, init=False)

    def _lookup_settled(self, old: LookupState, new: LookupState) -> None:
        """The first attempt came back (a record, an error, a wait): the page held back
        can be read now."""
        if new.phase != "loading":
            self._release_query()

    def _release_query(self) -> None:
        held, self._held_query = self._held_query, None
        if held is not None:
            self.call_after_refresh(self.history_service.query, *held)

    @property
    def history_service(self) -> HistoryService:
        if self._history_service is None:
            from inspector.tui.services.history_service import HistoryService

            self._history_service = HistoryService(self, self.session)
        return self._history_service

    @on(HistoryLoaded)
    def _history_loaded(self, event: HistoryLoaded) -> None:
        if self.panes_mounted:
            self.sidebar.show_page(event.page, event.seq)

    @on(HistoryChanged)
    def _history_changed(self, event: HistoryChanged) -> None:
        if event.note:
            self.notify(event.note, timeout=3, markup=False)
        if self.panes_mounted:
            self.sidebar.reload()

    @on(StoredRecordLoaded)
    async def _stored_record(self, event: StoredRecordLoaded) -> None:
        from inspector.infra.client import FetchResult

        self.sidebar.close_overlay()
        parsed = _parse_stored(event.gen_id)
        if parsed is None:
            return
        self.id_input.show_id(parsed.id)
        if event.entry is None or event.generation is None or event.raw is None:
            self.lookup(parsed)  # nothing stored but the outcome: ask again
            return
        self.workers.cancel_group(self, "lookup")
        await self.detail.prepare("record")
        result = FetchResult(event.generation, event.raw)
        shown = self.shown(result, "history", event.entry.last_seen)
        self.state = self.state.opened(parsed, shown)

    def on_history_sidebar_query_changed(self, event: HistorySidebar.QueryChanged) -> None:
        if self._held_query is not None or self._lookup_pending():
            # An id typed at start-up goes first: the list is read once its record (or
            # its error) is painted, not while the two compete for the interpreter.
            self._held_query = (event.text, event.seq)
            self.set_timer(HOLD_HISTORY, self._release_query)  # never longer than that
            return
        self.history_service.query(event.text, event.seq)

    def _lookup_pending(self) -> bool:
        return self.state.phase == "loading" or self.initial_ids is not None

    def on_history_sidebar_opened(self, event: HistorySidebar.Opened) -> None:
        self.history_service.open(event.gen_id)

    def on_history_sidebar_closed(self) -> None:
        self.action_leave_input()

    def on_history_sidebar_hidden(self) -> None:
        """Focus out of the sidebar folded away (it would swallow the next paste)."""
        focused = self.focused
        if focused is None or not displayed(focused):
            self.action_leave_input()

    def on_history_sidebar_delete_requested(self, event: HistorySidebar.DeleteRequested) -> None:
        from inspector.tui.screens.confirm import ConfirmScreen

        gen_id = event.gen_id
        self.push_screen(
            ConfirmScreen("Delete from history?", f"{gen_id} will be removed from history."),
            lambda confirmed: self.history_service.delete(gen_id) if confirmed else None,
        )

    def on_history_sidebar_clear_requested(self) -> None:
        from inspector.tui.screens.confirm import ConfirmScreen

        self.push_screen(
            ConfirmScreen(
                "Clear all history?",
                "Every entry in the history file will be deleted. This cannot be undone.",
                confirm_label="Clear all",
            ),
            lambda confirmed: self.history_service.clear() if confirmed else None,
        )

    def action_toggle_history(self) -> None:
        if not self.sidebar.toggle(narrow=self.narrow):
            self.action_leave_input()

    def action_filter_history(self) -> None:
        self.sidebar.reveal(narrow=self.narrow)
        self.sidebar.action_focus_filter()

    def action_delete_history_entry(self) -> None:
        self.sidebar.action_delete_entry()

    def action_clear_history(self) -> None:
        self.sidebar.action_clear_all()


def _parse_stored(gen_id: str) -> ParsedId | None:
    """A stored id, parsed (ids in history were parsed before they were looked up)."""
    from inspector.core.ids import parse_id

    try:
        return parse_id(gen_id)
    except InspectorError:
        return None
