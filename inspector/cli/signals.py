"""SIGTERM, SIGHUP and SIGQUIT end a command the way Ctrl+C does: cleanly.

Each raises :class:`Terminated` (a kind of KeyboardInterrupt) where the program is, so
every ``finally`` and context manager runs (the history keeps what was recorded, the demo's
temporary folder is removed, the terminal is left as it was); ``main`` then exits with
128 + the signal's number.
"""

from __future__ import annotations

import contextlib
import signal
from types import FrameType

__all__ = ["SIGNALS", "Terminated", "install"]

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


class Terminated(BaseException):
    """A termination signal arrived; ``signum`` says which."""

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
