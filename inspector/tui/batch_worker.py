"""The batch view's lookups: one :class:`~inspector.app.batch.Batch` on the app's session,
run in the view's one worker, its events turned into few typed messages.

A batch of a thousand ids makes thousands of events; repainting the table for each would
keep the UI busy for nothing. :class:`BatchRunner` collects the indexes of the items that
moved and posts one :class:`~inspector.tui.messages.BatchChanged` for all of them at most
every :data:`INTERVAL` seconds (the first change of a quiet spell goes out after that
interval too, so a burst becomes one message); the end of the batch is
:class:`~inspector.tui.messages.BatchEnded`, after the last change. Notices of the followed
file (rotated, truncated, not there yet) come as
:class:`~inspector.tui.messages.BatchNotice`.

The rules are the batch's own (:mod:`inspector.app.batch`): bounded concurrency, one
rate-limit gate, the key tried first, repeats once, history in transactions; stopping or
cancelling the worker records what finished.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import TYPE_CHECKING

from textual.message import Message

from inspector.tui.messages import BatchChanged, BatchEnded, BatchNotice

if TYPE_CHECKING:
    from pathlib import Path

    from inspector.app.batch import Batch

__all__ = ["INTERVAL", "BatchRunner", "follow_lines"]

INTERVAL = 0.1  # seconds: at most this many messages per second… and at most this late

Post = Callable[[Message], object]


class BatchRunner:
    """Runs ``batch`` to its end, posting coalesced messages with ``post``."""

    def __init__(self, batch: Batch, post: Post, *, interval: float = INTERVAL) -> None:
        self.batch = batch
        self.post = post
        self.interval = interval
        self._changed: set[int] = set()
        self._timer: asyncio.TimerHandle | None = None

    async def run(self, lines: AsyncIterable[str] | None = None) -> None:
        """Feed ``lines`` (a followed file) if given, and run the batch; what finished is
        recorded however this ends (the batch's own rule)."""
        batch = self.batch
        if lines is not None:
            batch.feed(lines)
        try:
            async for item in batch.events():
                self._changed.add(item.index)
                if self._timer is None:
                    loop = asyncio.get_running_loop()
                    self._timer = loop.call_later(self.interval, self.flush)
        finally:
            batch.close()
            self.flush()
            self.post(BatchEnded(batch))

    def flush(self) -> None:
        """Post what changed since the last message (nothing when nothing did)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._changed:
            changed, self._changed = frozenset(self._changed), set()
            self.post(BatchChanged(self.batch, changed))


def follow_lines(path: Path, post: Post, *, from_start: bool = False) -> AsyncIterator[str]:
    """The lines appended to ``path`` as ``tail -F`` follows them, from this call on (the
    file is looked at now: what it holds already is skipped unless ``from_start``); the
    follower's notices are posted as :class:`BatchNotice`."""
    from inspector.app.follow import FileFollower

    def notice(text: str) -> None:
        post(BatchNotice(text))

    follower = FileFollower(path, from_start=from_start, notice=notice)
    first = follower.poll()

    async def lines() -> AsyncIterator[str]:
        try:
            for line in first:
                yield line
            async for line in follower.lines():
                yield line
        finally:
            follower.close()

    return lines()
