"""The start-up paint hold: an id sent before the panes are up is painted with its answer.

An id pasted (or given on the command line) the moment the first frame shows would
otherwise be followed by three frames nobody reads, each replaced within milliseconds:
the panes with the empty state, the loading state, the blank record view. Each costs a
layout and a paint of the whole screen (20–40 ms here), on the same interpreter that is
fetching the record. While the hold is on, Textual lays out and paints nothing
(:meth:`textual.app.App.batch_update`); the next frame shows the record, the error or the
countdown, whichever the answer is (``tests/benchmarks/bench_tui.py`` measures this path).

The hold is taken once per run and never lasts longer than :data:`LIMIT`: a slow network
shows the panes and the loading state after that, as usual.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from textual.app import App

__all__ = ["LIMIT", "PaintHold"]

LIMIT = 0.25  # seconds: after that the panes and the loading state are painted anyway


class PaintHold:
    """Holds the app's paints from :meth:`take` to :meth:`release` (or :data:`LIMIT`)."""

    def __init__(self, app: App[Any], limit: float = LIMIT) -> None:
        self._app = app
        self._limit = limit
        self._batch: AbstractContextManager[None] | None = None
        self._taken = False

    @property
    def active(self) -> bool:
        return self._batch is not None

    def take(self) -> None:
        """Hold the paints (once per run: later calls do nothing)."""
        if self._taken:
            return
        self._taken = True
        self._batch = self._app.batch_update()
        self._batch.__enter__()
        self._app.set_timer(self._limit, self.release, name="paint-hold")

    def release(self) -> None:
        """Paint again (the held changes in one frame); harmless when not held."""
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.__exit__(None, None, None)
