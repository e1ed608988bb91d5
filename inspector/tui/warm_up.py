"""The idle-time warm-up: the first lookup finds its modules imported and its view built.

A lookup's first record costs more than the ones after it: the HTTP stack is imported with
the first client (~40 ms here), the record view's modules and widgets with the first record
(~30 ms), the bill's modules once that record is painted (~30 ms). Launched and left idle,
the app has time for all of it before a person pastes an id, so :data:`DELAY` after the
panes are painted and once the key is known (the keyring is read in a thread that imports
modules of its own), with no lookup asked for by then, it does that work ahead:

1. the modules are imported in a thread, so keys are still answered in the meantime (the
   event loop is idle then; the GIL passes back and forth every few ms);
2. the record view is built, hidden, on the event loop
   (:meth:`~inspector.tui.widgets.detail_pane.DetailPane.prepare`).

A lookup asked for while the imports run takes over (:meth:`WarmUp.take_over`): the
warm-up stops after the module it is importing, the lookup waits for that one (rather than
importing it beside the thread) and imports the rest as it needs them, the bill's after its
record is painted, as without a warm-up. An id sent at start-up (typed at the first frame,
or on the command line) skips the warm-up: its lookup imports what it needs itself, and the
app builds the record view while its request is in flight.
``tests/benchmarks/bench_tui.py`` measures both paths.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Awaitable, Callable

__all__ = ["DELAY", "MODULES", "WarmUp"]

DELAY = 0.3
"""Seconds from the panes painted to the warm-up. A person takes longer than that to paste
after the screen shows; keys that come sooner were typed ahead (at the first frame, say),
and their lookup does the work itself rather than share the interpreter with a warm-up."""

MODULES = (
    "inspector.infra.client",  # httpx, httpcore, h11: the first client
    "encodings.idna",  # the codec the first host name resolution loads
    "inspector.tui.widgets.loading_state",  # shown while an answer takes over 0.12 s
    "inspector.tui.widgets.record_view",  # the models, the facts, the record's sections
    "inspector.app.bill",  # the bill, explained once the record is painted
)


def _import(name: str) -> None:
    importlib.import_module(name)


class WarmUp:
    """The warm-up of one app; ``build_view`` builds the record view (hidden). The app runs
    :meth:`run` in a worker (cancelled with the app)."""

    def __init__(self, build_view: Callable[[], Awaitable[None]]) -> None:
        self._build_view = build_view
        self._imports: asyncio.Future[bool] | None = None
        self._stop = threading.Event()

    @property
    def started(self) -> bool:
        return self._imports is not None

    async def run(self) -> None:
        """Import :data:`MODULES` in a thread, then build the view; once per app (later
        calls return at once). A failure is left for the lookup that meets it."""
        if self._imports is not None:
            return
        self._imports = asyncio.ensure_future(asyncio.to_thread(self._import_all))
        try:
            if await self._imports:
                await self._build_view()
        except Exception:  # ahead of need: the lookup meets the same failure, and says so
            return

    def _import_all(self) -> bool:
        """In the thread: each module in turn; False when stopped before the end."""
        for name in MODULES:
            if self._stop.is_set():
                return False
            _import(name)
        return True

    async def take_over(self) -> None:
        """A lookup starts: the warm-up stops after the module it is importing (if it is
        running), and this returns once that one is in."""
        self._stop.set()
        imports = self._imports
        if imports is not None and not imports.done():
            await asyncio.wait([imports])
