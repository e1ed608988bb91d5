"""SIGTERM, SIGHUP and SIGQUIT end the app the way Ctrl+Q does: the terminal is restored
(alternate screen left, mouse tracking off, cursor shown) and everything the app opened is
closed, then the process exits with 128 + the signal's number.

When the terminal itself is gone (a closed window, a killed tmux: with a SIGHUP, another
signal, or none at all — the app checks every few seconds), there is nothing to restore:
writing the restoring sequences to a hung-up terminal blocks Textual's shutdown for ever.
The app's standard streams are then pointed at /dev/null first, so the shutdown runs to
its end and cleans up all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from typing import Any

from textual.app import App

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


HANGUP_CHECK = 2.0  # seconds between two checks that the terminal is still there


def exit_on_signals(app: App[Any]) -> None:
    """Have the app's event loop turn each termination signal into a clean exit, and a
    terminal that went away without a signal into the same exit as SIGHUP."""
    loop = asyncio.get_running_loop()
    for signum in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, _stop, app, signum)
    if terminal_alive():  # a real terminal (not a test's headless driver): watch it
        hangup = getattr(signal, "SIGHUP", 1)
        app.set_interval(HANGUP_CHECK, lambda: None if terminal_alive() else _stop(app, hangup))


def _stop(app: App[Any], signum: int) -> None:
    if not terminal_alive():  # a hang-up that is real: nothing left to restore
        detach_from_terminal()
    app.exit(return_code=128 + signum)


def terminal_alive() -> bool:
    """Whether the terminal the app draws on still answers (a hung-up one does not)."""
    import termios

    stream = sys.__stdout__
    if stream is None:
        return False
    try:
        termios.tcgetattr(stream.fileno())
    except (OSError, ValueError, termios.error):
        return False
    return True


def detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null: reads end, writes go nowhere."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(devnull, fd)
        os.close(devnull)
