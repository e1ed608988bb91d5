"""What the help screen lists: every binding of the app, the id field, the sidebar and the
detail pane's states, read from the widgets' own BINDINGS (so help cannot drift)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingType

    from inspector.tui.screens.help import HelpSection


def help_sections(app: App[Any]) -> list[HelpSection]:
    from inspector.tui import batch_keys
    from inspector.tui.screens.confirm import ConfirmScreen
    from inspector.tui.screens.help import bindings_of
    from inspector.tui.widgets.field_list import FieldList
    from inspector.tui.widgets.history_sidebar import HistorySidebar
    from inspector.tui.widgets.id_input import IdField

    return [
        ("Main screen", bindings_of(app.BINDINGS)),
        (
            "Moving: the record, the history, the raw JSON, this help",
            bindings_of(FieldList.BINDINGS),
        ),
        ("Id field", bindings_of(IdField.BINDINGS)),
        ("History sidebar", bindings_of(HistorySidebar.BINDINGS)),
        ("Lookup states", bindings_of(state_bindings())),
        ("Batch view (several ids, --follow FILE)", bindings_of(batch_keys.help_bindings())),
        ("Dialogs", bindings_of(ConfirmScreen.BINDINGS)),
    ]


def state_bindings() -> list[BindingType]:
    """The keys of the detail pane's states (loading, pending, retrying, error)."""
    from inspector.tui.widgets.error_state import ErrorState
    from inspector.tui.widgets.loading_state import LoadingState
    from inspector.tui.widgets.pending_state import PendingState
    from inspector.tui.widgets.retrying_state import RetryingState

    widgets = (LoadingState, PendingState, RetryingState, ErrorState)
    return [binding for widget in widgets for binding in widget.BINDINGS]
