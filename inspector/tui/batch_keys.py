"""The batch view's keys, each with its id (:mod:`inspector.tui.keymap`): the screen's, the
rows', the filter's. Here, apart from the view, so the help screen lists them without
loading the view (and the models behind it)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from inspector.tui.keymap import bind, list_bindings

__all__ = ["FILTER_BINDINGS", "ROWS_BINDINGS", "SCREEN_BINDINGS", "help_bindings"]

SCREEN_BINDINGS: list[BindingType] = [
    # Footer order: what is needed most comes first.
    bind("batch.stop", "stop", "stop"),
    bind("batch.stop", "done", "close"),
    bind("batch.interrupt", "stop", "stop", show=False),
    bind("batch.filter", "filter", "filter"),
    bind("batch.sort", "sort", "sort"),
    bind("batch.reverse", "reverse", "reverse"),
    bind("app.copy_id", "copy_id", "copy id"),
    bind("batch.retry", "retry", "retry failed"),
    bind("app.api_key", "enter_key", "API key"),
    bind("batch.close", "close", "close"),
    bind("app.help", "help", "help"),
    # The palette works everywhere (a priority key of the app); named here for the footer.
    Binding("ctrl+p", "app.command_palette", "palette", show=False, system=True),
]
ROWS_BINDINGS: list[BindingType] = [
    bind("list.open", "open", "open"),
    *list_bindings(
        {
            "list.up": "move(-1)",
            "list.down": "move(1)",
            "list.page_up": "page(-1)",
            "list.page_down": "page(1)",
            "list.first": "edge(-1)",
            "list.last": "edge(1)",
        }
    ),
]
FILTER_BINDINGS: list[BindingType] = [bind("batch.filter_back", "clear", "clear the filter")]


def help_bindings() -> list[BindingType]:
    """What the help screen lists for the view (the movement keys are listed apart)."""
    return [ROWS_BINDINGS[0], *SCREEN_BINDINGS, *FILTER_BINDINGS]
