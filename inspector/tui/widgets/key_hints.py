"""KeyHints: ``r check now   esc stop`` — the keys a state offers, each also clickable."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.style import Style
from textual.widgets import Static

__all__ = ["Hint", "KeyHints", "clickable", "key_hints"]

Hint = tuple[str, str, str]  # (key, words, action)


def clickable(action: str) -> Style:
    """A style that runs ``action`` (e.g. ``app.retry_now``) when its text is clicked."""
    return Style.from_meta({"@click": action})


def key_hints(hints: Sequence[Hint]) -> Content:
    """The hints as one line; each ``(key, words, action)`` runs its action when clicked."""
    parts = [
        Content.assemble((key, "bold $text-accent"), f" {words}").stylize(clickable(action))
        for key, words, action in hints
    ]
    return Content("   ").join(parts)


class KeyHints(Static):
    """A line of key hints. Its own colours stay (no link colouring over them)."""

    DEFAULT_CSS = """
    KeyHints {
        color: $text-muted;
        height: auto;
    }
    """

    def __init__(self, hints: Sequence[Hint] = (), *, id: str | None = None) -> None:
        super().__init__(key_hints(hints), id=id)
        self.auto_links = False

    def show(self, hints: Sequence[Hint]) -> None:
        """Offer other keys."""
        self.update(key_hints(hints))
