"""What the app builds on first use, after its first frame: its HTTP transport and its
history store (their modules bring httpx and sqlite3, which the first frame does without).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from inspector.infra.history import HistoryStore

__all__ = ["default_history", "threaded_transport"]


def threaded_transport() -> httpx.AsyncBaseTransport:
    """The app's HTTP transport: httpx's sync one in worker threads (the UI never waits on
    a socket, and the first record is ~25 ms sooner than on the async one's set-up). Built
    with the first client, after the first frame (its module brings httpx)."""
    from inspector.infra.client import ThreadedTransport

    return ThreadedTransport()


def default_history() -> HistoryStore:
    """The history store at the configured path; built on first use (after the first
    frame: its module brings sqlite3). A data folder setting that is no usable path turns
    history off for this run, and the sidebar's notice says why."""
    from pathlib import Path

    from inspector.core.errors import ConfigError
    from inspector.infra.history import HistoryStore

    try:
        return HistoryStore()
    except ConfigError as error:
        store = HistoryStore(Path(os.devnull), enabled=False)
        store.notices.append(f"History is off for this run: {error.summary}")
        return store
