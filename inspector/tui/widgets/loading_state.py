"""The loading state: a spinner, the id being looked up, how long it has taken, Esc."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from inspector.core.textsafe import clean
from inspector.tui.keymap import bind
from inspector.tui.widgets.key_hints import Hint, KeyHints
from inspector.tui.widgets.state_base import StateWidget
from inspector.tui.widgets.stylesheet import tcss_beside

__all__ = ["SPINNER", "LoadingState"]

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
FRAME_SECONDS = 0.08


def spinner_frame(elapsed: float) -> str:
    """The spinner character for a moment ``elapsed`` seconds into a wait."""
    return SPINNER[int(elapsed / FRAME_SECONDS) % len(SPINNER)]


class LoadingState(StateWidget):
    """``⠹ Looking up gen-…   0.4 s`` with ``esc cancel``."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("app.cancel", "app.cancel_lookup", "cancel"),
    ]
    pane_title = "Looking up"

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, id: str | None = None):
        super().__init__(id=id)
        self.clock = clock
        self.gen_id = ""
        self._started = 0.0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="loading-line")
        yield KeyHints([Hint("app.cancel", "cancel", "app.cancel_lookup")], id="loading-keys")

    def on_mount(self) -> None:
        self._timer = self.set_interval(FRAME_SECONDS, self.tick, pause=True)

    def show(self, gen_id: str) -> None:
        """Start showing the lookup of ``gen_id``."""
        self.gen_id = gen_id
        self._started = self.clock()
        self.tick()
        if self._timer is not None:
            self._timer.resume()

    def tick(self) -> None:
        """Redraw the spinner and the elapsed time."""
        elapsed = max(self.clock() - self._started, 0.0)
        line = Content.assemble(
            (spinner_frame(elapsed), "bold $text-accent"),
            "  Looking up ",
            (clean(self.gen_id), "bold"),
            (f"   {elapsed:.1f} s", "$foreground-muted"),
        )
        self.query_one("#loading-line", Static).update(line)

    def deactivate(self) -> None:
        """Stop the spinner."""
        if self._timer is not None:
            self._timer.pause()
