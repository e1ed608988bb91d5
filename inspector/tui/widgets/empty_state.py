"""The empty state: what the inspector is for, what to paste, and how to try the demo.

In demo mode it lists the demo generations; Enter (or a click) on one looks it up through
the app's ``lookup`` action.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from inspector.core.textsafe import clean
from inspector.tui.widgets.key_hints import Hint, KeyHints
from inspector.tui.widgets.nav_list import NavList
from inspector.tui.widgets.state_base import DisplayedFocus, StateWidget
from inspector.tui.widgets.stylesheet import tcss_beside

__all__ = ["DemoList", "EmptyState"]

EXAMPLE_ID = "gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe"
LABEL_WIDTH = 30


class DemoList(DisplayedFocus, NavList):
    """The demo generations: ``label   gen-…``; the option id is the generation id."""


def _intro() -> Content:
    return Content.assemble(
        "Paste a generation id above and press ",
        ("Enter", "bold"),
        ". A URL, a JSON response or a log line works too: the ids in it are picked out.",
    )


def _where() -> Content:
    return Content.assemble(
        ("Where ids come from: ", "bold"),
        "the ",
        ("id", "$text-accent"),
        " of every completion response (",
        (EXAMPLE_ID, "$text-accent"),
        "), the Activity page on openrouter.ai, your logs. You get what OpenRouter recorded: "
        "cost, tokens, timing, the providers tried, who made the call.",
    )


def _demo_note(demo: bool, has_ids: bool) -> Content:
    if demo and has_ids:
        return Content.assemble(
            ("Demo mode: ", "bold $text-warning"),
            "sample generations from a local stand-in for OpenRouter. Pick one:",
        )
    if demo:
        return Content.assemble(("Demo mode: ", "bold $text-warning"), "paste any demo id.")
    return Content.assemble(
        ("No id at hand? ", "bold"),
        "Try the demo, with sample data and no key: ",
        ("orinspect --demo", "$text-accent"),
    )


def _hints(*, demo: bool) -> list[Hint]:
    """Keys that work from the id field, where the focus starts (letters type text there)."""
    hints = [
        Hint("app.help", "help", "app.help", in_text_field=True),
        Hint("app.history", "history", "app.toggle_history", in_text_field=True),
    ]
    if demo:
        hints.append(Hint("field.down", "the demo list", "app.focus_demo_list"))
    else:  # no key in demo mode: the demo has its own
        hints.append(Hint("app.cancel app.api_key", "API key", "app.enter_key"))
    return hints


def _option(label: str, gen_id: str) -> Option:
    text = Content.assemble(
        (clean(label).ljust(LABEL_WIDTH), "bold"), (clean(gen_id), "$foreground-muted")
    )
    return Option(text, id=gen_id)


class EmptyState(StateWidget, can_focus=False):
    """First launch: what to do, how to try the demo, the demo ids when there are some."""

    DEFAULT_CSS = tcss_beside(__file__)
    pane_title = "orinspect"

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Inspect an OpenRouter generation", "bold"), id="empty-title")
        yield Static(_intro(), id="empty-intro")
        yield Static(id="empty-demo")
        yield DemoList(id="empty-demo-ids")
        yield Static(_where(), id="empty-where")
        yield KeyHints(_hints(demo=False), id="empty-keys")

    def show(self, demo_ids: Sequence[tuple[str, str]] = (), demo: bool = False) -> None:
        """Offer ``demo_ids`` (``(label, generation id)`` pairs) when there are some."""
        note = self.query_one("#empty-demo", Static)
        note.update(_demo_note(demo, bool(demo_ids)))
        note.set_class(not demo_ids, "-alone")  # no list below it: a blank line instead
        self.query_one(KeyHints).show(_hints(demo=demo))
        options = self.query_one(DemoList)
        options.clear_options()
        options.add_options([_option(label, gen_id) for label, gen_id in demo_ids])
        options.display = bool(demo_ids)
        if demo_ids:
            options.highlighted = 0

    @property
    def demo_ids(self) -> list[str]:
        """The generation ids offered, in order."""
        options = self.query_one(DemoList)
        return [opt.id for opt in options.options if opt.id is not None]

    @on(OptionList.OptionSelected, "#empty-demo-ids")
    async def _pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.run_action(f"app.lookup({event.option.id!r})")
