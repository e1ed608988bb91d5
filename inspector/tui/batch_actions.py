"""The batch view in the app: opening it (several ids, ``--follow FILE``), a row's record in
the main screen's detail pane, and the way back.

The view (:class:`~inspector.tui.screens.batch.BatchScreen`) is installed while it is open,
so it keeps running — and keeps its rows, order, filter and cursor — while the main screen
shows a record opened from it; Esc there (``back_to_batch``) brings it back. A new batch
replaces the old one (which stops; what finished is kept). Closing it (q, or Esc once it
is done) uninstalls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from inspector.tui.app_base import AppBase
from inspector.tui.messages import HistoryChanged

if TYPE_CHECKING:
    from pathlib import Path

    from inspector.app.lookup import Failed, Succeeded
    from inspector.core.ids import ParsedId
    from inspector.tui.screens.batch import BatchScreen

__all__ = ["BATCH_SCREEN", "BatchActions"]

BATCH_SCREEN = "batch"  # the installed screen's name


class BatchActions(AppBase):
    """Opens, shows and closes the batch view."""

    follow_path: Path | None = None
    """``orinspect --follow FILE``: the file the batch view follows from the start."""
    batch_screen: BatchScreen | None = None

    def open_batch(self, ids: Sequence[ParsedId] = (), *, follow: Path | None = None) -> None:
        """The batch view for ``ids`` (and, with ``follow``, every id appended to that file)."""
        # Deferred import (a named seam): the view is loaded when a batch first opens.
        from inspector.tui.screens.batch import BatchScreen

        self.paint_hold.release()  # ids sent at start-up: the batch view paints at once
        self.close_batch()
        screen = BatchScreen(ids, follow=follow)
        self.batch_screen = screen
        self.install_screen(screen, BATCH_SCREEN)
        self.push_screen(BATCH_SCREEN)

    def open_follow(self) -> None:
        """Start following ``--follow``'s file (once the panes are there)."""
        if self.follow_path is not None:
            path, self.follow_path = self.follow_path, None
            self.open_batch(follow=path)

    def close_batch(self) -> None:
        """Stop the batch (what finished is kept) and remove its view."""
        screen = self.batch_screen
        if screen is None:
            return
        if screen in self.screen_stack and self.screen is not screen:
            return  # a dialog is open over it: it closes first
        self.batch_screen = None
        screen.stop_batch()
        on_top = self.screen is screen
        if on_top:
            self.pop_screen()  # still installed: kept until it is uninstalled just below
        self.uninstall_screen(screen)
        if not on_top:
            screen.remove()
        self.post_message(HistoryChanged())

    @property
    def batch_hidden(self) -> bool:
        """A batch is open behind the main screen (a record opened from it is shown)."""
        screen = self.batch_screen
        return screen is not None and screen not in self.screen_stack

    def action_back_to_batch(self) -> None:
        if self.batch_hidden:
            self.push_screen(BATCH_SCREEN)

    async def show_batch_outcome(self, outcome: Succeeded | Failed) -> None:
        """A row opened: its record (or its error, explained) in the main screen's detail
        pane, its id in the id field, with every key that works there."""
        from inspector.app.lookup import Succeeded

        if self.batch_screen is not None and self.screen is self.batch_screen:
            self.pop_screen()
        parsed = outcome.parsed
        self.workers.cancel_group(self, "lookup")  # a lookup in flight can no longer paint
        self.id_input.show_id(parsed.id)
        if isinstance(outcome, Succeeded):
            await self.detail.prepare("record")
            self.state = self.state.opened(parsed, self.shown(outcome.result, "network"))
        else:
            self.state = self.state.started(parsed)
            self.fail(outcome)
        self.post_message(HistoryChanged())
        self.call_after_refresh(self.action_leave_input)
