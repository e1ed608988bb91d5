"""SIGTERM, SIGHUP and SIGQUIT end a command the way Ctrl+C does: cleanly.

Each raises :class:`Terminated` (a kind of KeyboardInterrupt) where the program is, so
every ``finally`` and context manager runs (the history keeps what was recorded, the demo's
temporary folder is removed, the terminal is left as it was); ``main`` then exits with
128 + the signal's number.

It has to be a KeyboardInterrupt, not only a BaseException: asyncio lets KeyboardInterrupt
(and SystemExit) out of the event loop wherever it is raised, and logs anything else that
escapes a callback and carries on. A signal landing in the loop's own code between two
steps of a task was printed as "Exception in callback" and the command hung on its request.
"""

from __future__ import annotations

import contextlib
import signal
from types import FrameType

__all__ = ["SIGNALS", "Terminated", "install"]

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


class Terminated(KeyboardInterrupt):
    """A termination signal arrived; ``signum`` says which. Catch it before
    KeyboardInterrupt, which it is (see the module's docstring)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def install() -> None:
    """Turn the termination signals into :class:`Terminated` (main thread only)."""
    for signum in SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread, or not allowed
            signal.signal(signum, _raise)
