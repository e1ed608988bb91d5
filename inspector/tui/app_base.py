"""What every part of the app shares: the one state reactive, the session, and the widgets
the parts talk to. :class:`~inspector.tui.app.InspectorApp` is built from this base and
the sets of actions beside it (the API key, copying, history, the bill, the batch view,
the app's own failures), each in its own module.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from textual.app import App
from textual.reactive import var

from inspector.tui.state import LookupState, ShownFailure, ShownRecord
from inspector.tui.widgets.id_input import IdInput

if TYPE_CHECKING:
    from inspector.app.lookup import Failed
    from inspector.app.session import Session
    from inspector.core.ids import ParsedId
    from inspector.infra.client import FetchResult
    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore, ResolvedKey
    from inspector.tui.paint_hold import PaintHold
    from inspector.tui.services.clipboard_service import ClipboardService
    from inspector.tui.widgets.detail_pane import DetailPane
    from inspector.tui.widgets.history_sidebar import HistorySidebar

__all__ = ["AppBase"]


class AppBase(App[int], inherit_bindings=False):
    """The shared parts; the app proper fills them in."""

    state: var[LookupState] = var(LookupState(), bindings=True)
    """What the app shows and does now: the one reactive the widgets watch."""

    session: Session
    clipboard_service: ClipboardService
    paint_hold: PaintHold
    base_url: str
    demo: bool
    _panes_mounted = False
    initial_ids: str | None = None
    """Ids to look up once the key is known (the command line's, or typed very early)."""

    def lookup(self, parsed: ParsedId) -> None:
        """Look ``parsed`` up (the app's lookup worker)."""
        raise NotImplementedError

    def refresh_bindings(self) -> None:
        """The footer and the palette follow the state; once the screens are gone (an
        answer that comes in while the app quits) there is nothing to refresh."""
        if self._screen_stacks.get(self._current_mode):
            super().refresh_bindings()

    # -- what the parts read ---------------------------------------------------------------

    @property
    def panes_mounted(self) -> bool:
        """The history sidebar and the detail pane are there to ask: mounted, and the app
        not closing (answers from threads still come in once its widgets are gone)."""
        return self._panes_mounted and self.is_running

    @property
    def phase(self) -> str:
        return self.state.phase

    @property
    def current_id(self) -> str | None:
        return self.state.gen_id

    @property
    def resolved_key(self) -> ResolvedKey | None:
        return self.session.key

    @property
    def history(self) -> HistoryStore:
        return self.session.history

    @property
    def keystore(self) -> KeyStore:
        return self.session.keystore

    @property
    def id_input(self) -> IdInput:
        return self.query_one(IdInput)

    @property
    def detail(self) -> DetailPane:
        return cast("DetailPane", self.query_one("#detail"))

    @property
    def sidebar(self) -> HistorySidebar:
        return cast("HistorySidebar", self.query_one("#history"))

    @property
    def narrow(self) -> bool:
        return self.screen.has_class("-narrow")

    def action_leave_input(self) -> None:
        """Out of a text field: into the detail pane's content (or nowhere)."""
        if not self.detail.focus_content():
            self.set_focus(None)

    # -- outcomes into the state -----------------------------------------------------------

    def fail(self, outcome: Failed) -> None:
        """Show ``outcome`` explained by the session."""
        error = outcome.error
        explanation = self.session.explain(error, outcome.parsed, outcome.attempts)
        self.state = self.state.failed(ShownFailure(error, explanation, outcome.attempts))

    def shown(
        self, result: FetchResult, source: str, looked_up_at: datetime | None = None
    ) -> ShownRecord:
        """A record as the state holds it, with its facts."""
        return ShownRecord(
            generation=result.generation,
            raw=result.raw,
            facts=self.session.facts(result),
            source="history" if source == "history" else "network",
            looked_up_at=looked_up_at or datetime.now(UTC),
        )
