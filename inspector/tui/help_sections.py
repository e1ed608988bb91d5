"""What the help screen lists: every binding of the app, the id field, the sidebar and the
detail pane's states, read from the widgets' own BINDINGS (so help cannot drift)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingType

    from inspector.tui.screens.help import HelpSection


def help_sections(app: App[Any]) -> list[HelpSection]:
    from inspector.tui.screens.help import bindings_of
    from inspector.tui.widgets.history_sidebar import HistorySidebar
    from inspector.tui.widgets.id_input import IdField

    return [
        ("Everywhere", bindings_of(app.BINDINGS)),
        ("Id field", bindings_of(IdField.BINDINGS)),
        ("History sidebar", bindings_of(HistorySidebar.BINDINGS)),
        ("Detail pane", bindings_of(detail_bindings())),
    ]


def detail_bindings() -> list[BindingType]:
    """The keys of the detail pane's states and record view."""
    from inspector.tui.widgets.error_state import ErrorState
    from inspector.tui.widgets.field_list import FieldList
    from inspector.tui.widgets.loading_state import LoadingState
    from inspector.tui.widgets.pending_state import PendingState
    from inspector.tui.widgets.record_view import RecordView
    from inspector.tui.widgets.retrying_state import RetryingState

    widgets = (RecordView, FieldList, LoadingState, PendingState, RetryingState, ErrorState)
    return [binding for widget in widgets for binding in widget.BINDINGS]
