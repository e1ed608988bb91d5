"""The base of the pending and retrying states: a countdown driven by the clock.

The wait length comes from the core's ``RetryDecision.delay``; the widget ticks on its own
timer and reads the time on every tick, so the countdown is right whatever the worker does.
When the wait is over (or the person asked to check now) it says so until the next state
arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer

from inspector.core import formatting as fmt
from inspector.tui.record.bars import progress_bar
from inspector.tui.widgets.loading_state import spinner_frame
from inspector.tui.widgets.state_base import StateWidget

__all__ = ["TICK_SECONDS", "WaitState"]

TICK_SECONDS = 0.1
BAR_WIDTH = 20


class WaitState(StateWidget):
    """A state with a countdown; subclasses draw it with :meth:`countdown_line`."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, id: str | None = None):
        super().__init__(id=id)
        self.clock = clock
        self.gen_id = ""
        self.delay = 0.0
        self._started = 0.0
        self._checking = False
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self._timer = self.set_interval(TICK_SECONDS, self.tick, pause=True)

    def begin_wait(self, gen_id: str, delay: float) -> None:
        """A wait of ``delay`` seconds starts now."""
        self.gen_id = gen_id
        self.delay = max(delay, 0.0)
        self._started = self.clock()
        self._checking = False
        self.tick()
        if self._timer is not None:
            self._timer.resume()

    def mark_checking(self) -> None:
        """The next attempt is running (the wait ended or was skipped)."""
        self._checking = True
        self.tick()

    @property
    def elapsed(self) -> float:
        """Seconds since the wait began."""
        return max(self.clock() - self._started, 0.0)

    @property
    def remaining(self) -> float:
        """Seconds left to wait (0 when over)."""
        return max(self.delay - self.elapsed, 0.0)

    @property
    def checking(self) -> bool:
        """True once the wait is over or skipped."""
        return self._checking or self.remaining <= 0

    def countdown_line(self, lead: str, suffix: Content) -> Content:
        """``Next check in 4 s  ██████╌╌╌╌  attempt 3 · until 10 min old``."""
        if self.checking:
            head = Content.assemble(
                (spinner_frame(self.elapsed), "bold $text-accent"), " checking now…"
            )
            return Content.assemble(head, "  ", suffix)
        done = 1.0 - (self.remaining / self.delay if self.delay else 0.0)
        return Content.assemble(
            f"{lead} ",
            (fmt.countdown(self.remaining).ljust(6), "bold"),
            progress_bar(done, BAR_WIDTH, "$text-accent"),
            "  ",
            suffix,
        )

    def tick(self) -> None:
        """Redraw what changes with time (subclasses)."""

    def deactivate(self) -> None:
        """Stop ticking."""
        if self._timer is not None:
            self._timer.pause()
