"""SIGTERM, SIGHUP and SIGQUIT end the app the way Ctrl+Q does: the terminal is restored
(alternate screen left, mouse tracking off, cursor shown) and everything the app opened is
closed, then the process exits with 128 + the signal's number."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from functools import partial
from typing import Any

from textual.app import App

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def exit_on_signals(app: App[Any]) -> None:
    """Have the app's event loop turn each termination signal into a clean exit."""
    loop = asyncio.get_running_loop()
    for signum in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, partial(app.exit, return_code=128 + signum))
