"""The main screen's keys (the app's own bindings), in footer order, each with its id.

The design of the whole keymap is in :mod:`inspector.tui.keymap`; the keys of the record's
lists, the history and the states are declared beside their widgets, with the same ids.
Several bindings share a key and an id when only one of them works at a time (``c`` copies
a field, the raw JSON or an error): :meth:`InspectorApp.check_action` picks, so the
footer says what the key does now, and one keymap entry moves them all.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from inspector.tui.keymap import bind

__all__ = ["APP_BINDINGS", "NEEDS_PANES", "NEEDS_RECORD"]

APP_BINDINGS: list[BindingType] = [
    # Footer order: what is needed most comes first (80 columns show about six keys).
    bind("app.cancel", "cancel_lookup", "cancel"),
    bind("app.cancel", "leave_input", "leave field", show=False),
    bind("batch.back", "back_to_batch", "back to batch"),  # inspector.tui.batch_actions
    bind("field.down", "focus_demo_list", "demo list", show=False),
    bind("app.copy", "copy_field", "copy field"),
    bind("app.copy", "copy_raw", "copy JSON"),
    bind("app.copy", "copy_error", "copy error"),
    bind("app.copy_id", "copy_id", "copy id"),
    bind("app.retry", "retry_now", "retry now"),
    bind("app.retry", "refresh", "refresh"),
    bind("app.raw_json", "toggle_raw", "raw JSON"),
    bind("app.raw_json", "toggle_fields", "fields"),
    bind("app.history", "toggle_history", "history"),
    bind("app.help", "help", "help"),
    bind("app.api_key", "enter_key", "API key"),
    bind("app.copy_json", "copy_json", "copy JSON"),
    bind("app.copy_summary", "copy_summary", "copy summary"),
    bind("app.filter", "filter_history", "filter history", show=False),
    bind("app.id_field", "focus_input", "id field", show=False),
    bind("app.quit", "quit", "quit"),
    bind("app.quit_now", "quit", "quit", priority=True),
    Binding("ctrl+c", "help_quit", show=False, system=True),
]

# Actions that need the sidebar or the detail pane, which are mounted after the first frame.
NEEDS_PANES = frozenset(
    {
        "toggle_history",
        "filter_history",
        "delete_history_entry",
        "clear_history",
        "lookup",
        "copy_error",
        "copy_field",
        "copy_raw",
        "copy_json",
        "copy_summary",
        "toggle_raw",
        "toggle_fields",
    }
)
# Actions that need a record on screen.
NEEDS_RECORD = frozenset(
    {"copy_field", "copy_raw", "copy_json", "copy_summary", "toggle_raw", "toggle_fields"}
)
