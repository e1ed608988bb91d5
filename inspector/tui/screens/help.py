"""The help screen (? / F1): every key, grouped by where it works, built from the bindings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from inspector.tui.keymap import bind, keys_of, list_bindings
from inspector.tui.widgets.key_footer import KeyFooter

HelpSection = tuple[str, Sequence[Binding]]

INTRO = (
    "Paste a generation id anywhere on the main screen: it is looked up at once. Or just "
    "start typing it: a key that is not a command here starts the id field, and so does "
    'the g of gen-… (g then e is the start of an id, never "first"). i goes to the id '
    "field, Esc leaves it. Move with j k h l or the arrows, g G to the ends, [ ] between "
    "sections. Every action is also in the command palette (ctrl+p), with its key."
)
REMAP = (
    "Keys can be remapped by id (the names in brackets) in the [keymap] table of {path}, "
    'e.g. "app.raw_json" = "x"; the file also takes theme, base_url and history = false.'
)


def bindings_of(source: Iterable[BindingType]) -> list[Binding]:
    """One Binding per id (or key), its descriptions joined: ``r`` → "retry now ·
    refresh"."""
    by_id: dict[str, list[Binding]] = {}
    for item in source:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description and not binding.system:
            by_id.setdefault(binding.id or binding.key, []).append(binding)
    merged = []
    for group in by_id.values():
        words = " · ".join(dict.fromkeys(b.description for b in group))
        first = group[0]
        merged.append(Binding(first.key, first.action, words, id=first.id))
    return merged


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys; Esc, q, ? or F1 closes it; the list keys scroll it."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("dialog.close", "close", "close"),
        bind("app.help", "close", "close", show=False),
        *list_bindings(
            {
                "list.down": "scroll(1)",
                "list.up": "scroll(-1)",
                "list.page_down": "page(1)",
                "list.page_up": "page(-1)",
                "list.first": "edge(-1)",
                "list.last": "edge(1)",
            }
        ),
    ]

    def __init__(self, sections: Sequence[HelpSection], *, config_file: str = "") -> None:
        super().__init__()
        self._sections = sections
        self._config_file = config_file or "config.toml"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Keys  ·  esc closes", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(Text(INTRO), id="help-intro")
                for title, bindings in self._sections:
                    yield Static(self._section(title, bindings), classes="help-section")
                yield Static(Text(REMAP.format(path=self._config_file)), id="help-remap")
        yield KeyFooter()

    def _section(self, title: str, bindings: Sequence[Binding]) -> Text:
        text = Text()
        text.append(title, style="bold underline")
        for binding in bindings:
            keys = " / ".join(
                self.app.get_key_display(Binding(key, binding.action))
                for key in keys_of(self.app, binding)
            )
            text.append(f"\n  {keys:<14}", style="bold")
            text.append(binding.description)
            if binding.id:
                text.append(f"  ({binding.id})", style="dim")
        return text

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def _body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    def action_scroll(self, delta: int) -> None:
        self._body.scroll_relative(y=delta, animate=False)

    def action_page(self, delta: int) -> None:
        body = self._body
        body.scroll_relative(y=delta * max(body.size.height - 1, 1), animate=False)

    def action_edge(self, delta: int) -> None:
        body = self._body
        if delta < 0:
            body.scroll_home(animate=False)
        else:
            body.scroll_end(animate=False)
