"""The session behind a command: settings from the global options, the key store, the
history, or the bundled demo (``--demo``). One place builds it for every command."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.app.session import Session
    from inspector.infra.history import HistoryStore


def keyring_timeout() -> float:
    """Seconds a command waits for the keyring (``INSPECTOR_KEYRING_TIMEOUT``, default 30)."""
    from inspector.cli.key import keyring_timeout as configured

    return configured()


@contextlib.contextmanager
def open_session(
    args: argparse.Namespace, *, record: bool = True, concurrent: bool = False
) -> Iterator[Session]:
    """A :class:`Session` for ``args`` (its global options), closed afterwards.

    Commands use the app's threaded transport: without the import of anyio and httpcore's
    async machinery (tens of milliseconds per run), and with the loop free to end an
    attempt by its deadline wherever it is stuck. ``concurrent`` (many lookups at once:
    a batch) takes httpx's async transport instead, one loop for all of them.
    """
    from inspector.app.session import Session
    from inspector.app.settings import Settings
    from inspector.infra.client import ThreadedTransport

    with contextlib.ExitStack() as stack:
        if getattr(args, "demo", False):
            from inspector.demo import start_demo

            demo = stack.enter_context(start_demo())
            settings = Settings.load(base_url=demo.base_url, timeout=args.timeout)
            keystore = demo.keystore()
            history = demo.history() if record and not args.no_history else None
            policy = demo.retry_policy()
        else:
            from inspector.infra.keystore import KeyStore

            settings = Settings.load(
                base_url=args.base_url, timeout=args.timeout, no_history=args.no_history
            )
            keystore = KeyStore(timeout=keyring_timeout())
            history = _history() if record and settings.history else None
            policy = None
        yield Session(
            settings,
            keystore=keystore,
            history=history,
            policy=policy,
            transport=None if concurrent else ThreadedTransport,
        )


def _history() -> HistoryStore:
    from inspector.infra.history import HistoryStore

    return HistoryStore(enabled=True)
