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

HelpSection = tuple[str, Sequence[Binding]]

INTRO = (
    "Paste or type a generation id and press Enter. Letter keys work outside the id field: "
    "Esc or Tab leaves it, i comes back. Every action is also in the command palette (ctrl+p)."
)


def bindings_of(source: Iterable[BindingType]) -> list[Binding]:
    """One Binding per key, its descriptions joined: ``r`` → "retry now · refresh"."""
    by_key: dict[str, list[Binding]] = {}
    for item in source:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description and not binding.system:
            by_key.setdefault(binding.key, []).append(binding)
    merged = []
    for key, group in by_key.items():
        words = " · ".join(dict.fromkeys(b.description for b in group))
        merged.append(Binding(key, group[0].action, words))
    return merged


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys; Esc, q, ? or F1 closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "close"),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Keys  ·  esc closes", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(Text(INTRO), id="help-intro")
                for title, bindings in self._sections:
                    yield Static(self._section(title, bindings), classes="help-section")

    def _section(self, title: str, bindings: Sequence[Binding]) -> Text:
        text = Text()
        text.append(title, style="bold underline")
        for binding in bindings:
            keys = " / ".join(
                self.app.get_key_display(Binding(key, binding.action))
                for key in binding.key.split(",")
            )
            text.append(f"\n  {keys:<14}", style="bold")
            text.append(binding.description)
        return text

    def action_close(self) -> None:
        self.dismiss(None)
