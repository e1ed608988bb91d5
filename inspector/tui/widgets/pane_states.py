"""The detail pane's states by name, each built the first time it is shown (the one place
where their modules are imported: the record view alone brings the models and the record's
sections along), and the words under the pane's border."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from textual.widget import Widget

from inspector.core import formatting as fmt
from inspector.tui.widgets.empty_state import EmptyState

__all__ = ["PaneState", "make_state", "source_words"]

PaneState = Literal["empty", "loading", "pending", "retrying", "error", "record"]


def make_state(state: PaneState, clock: Callable[[], float]) -> Widget:
    """A new widget for ``state`` (its id is the state's name)."""
    if state == "loading":
        from inspector.tui.widgets.loading_state import LoadingState

        return LoadingState(clock=clock, id=state)
    if state == "pending":
        from inspector.tui.widgets.pending_state import PendingState

        return PendingState(clock=clock, id=state)
    if state == "retrying":
        from inspector.tui.widgets.retrying_state import RetryingState

        return RetryingState(clock=clock, id=state)
    if state == "error":
        from inspector.tui.widgets.error_state import ErrorState

        return ErrorState(id=state)
    if state == "record":
        from inspector.tui.widgets.record_view import RecordView

        return RecordView(id=state)
    return EmptyState(id=state)


def source_words(source: str, looked_up_at: datetime | None) -> str:
    """``from history · looked up 3 min ago`` for the border."""
    if source != "history":
        return ""
    if looked_up_at is None:
        return "from history"
    age = (datetime.now(UTC) - looked_up_at).total_seconds()
    return f"from history · looked up {fmt.relative_age(age)}"
