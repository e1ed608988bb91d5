"""The cyclic garbage collector at start-up: paused by the launcher, frozen after the
first frame.

Start-up allocates what lives as long as the app: modules, classes, styles, the first
frame's widgets. Collecting while they are built only walks them again and again, and
CPython's first full collection (20–40 ms on the machines here) fell between an id typed
at the first frame and its record. So the launcher (one app per process) pauses the
collector before Textual is imported (:func:`pause`), and the app, once its first frame
is painted, freezes what start-up built (``gc.freeze``: later collections skip it) and
resumes collecting (:func:`resume`). ``tests/benchmarks/bench_tui.py`` measures this path.

Tests run many apps in one process and never pause: frozen objects are never collected,
so each app would keep the previous ones' garbage. :func:`resume` without :func:`pause`
does nothing.
"""

from __future__ import annotations

import gc

__all__ = ["pause", "paused", "resume"]

_paused = False


def pause() -> None:
    """Stop collecting until :func:`resume` (nothing if the collector is already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def paused() -> bool:
    return _paused


def resume(*, freeze: bool = True) -> None:
    """Collect again, after freezing what exists now (``freeze=False``: at exit, nothing
    is worth freezing). Only undoes :func:`pause`; later calls do nothing."""
    global _paused
    if not _paused:
        return
    _paused = False
    if freeze:
        gc.freeze()
    gc.enable()
