"""``orinspect [global options] [ID…]``: run the terminal app.

The one command line (:mod:`inspector.cli.main`) parses the arguments; this module builds
the app for them (the bundled demo with ``--demo``) and runs it. Returns an exit code and
never shows a traceback: failures print one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from inspector.tui import collector

if TYPE_CHECKING:
    from inspector.infra.history import HistoryStore
    from inspector.tui.app import InspectorApp

PROG = "orinspect"
FAILURE = 1


def build_app(args: argparse.Namespace, stack: ExitStack) -> InspectorApp:
    """The app for these arguments; a demo environment is closed by ``stack``."""
    from inspector.app.settings import Settings
    from inspector.app.user_config import load_user_config
    from inspector.tui.app import InspectorApp

    ids = list(getattr(args, "ids", []) or [])
    follow = getattr(args, "follow", None)  # --follow FILE: the batch view, following it
    user = load_user_config()  # the config file: theme, keymap, base URL, history on/off
    if not args.demo:
        settings = Settings.load(
            base_url=args.base_url, timeout=args.timeout, no_history=args.no_history, user=user
        )
        history = _disabled_history() if not settings.history else None
        return InspectorApp(
            ids=ids, settings=settings, history=history, user_config=user, follow=follow
        )
    from inspector.demo import start_demo

    demo = stack.enter_context(start_demo())
    settings = Settings.load(base_url=demo.base_url, timeout=args.timeout)
    return InspectorApp(
        ids=ids,
        settings=settings,
        history=_disabled_history() if args.no_history else demo.history(),
        keystore=demo.keystore(),
        demo=True,
        demo_ids=demo.demo_ids,
        retry_policy=demo.retry_policy(),
        user_config=user,  # the demo keeps its own server and history; the keys are yours
        follow=follow,
    )


def _disabled_history() -> HistoryStore:
    """``--no-history``. Only then is the store imported here: by default the app builds
    its store after the first frame."""
    from inspector.infra.history import HistoryStore

    return HistoryStore(enabled=False)


def skip_unused_work() -> None:
    """Work the app never needs, left undone (it sits between the first frame and the
    first record otherwise; ``tests/benchmarks/bench_tui.py`` measures that path):

    * httpx imports its command-line client (click, rich's progress bars and syntax
      highlighting, ~30 ms) whenever click is installed; it falls back to a stub when that
      import fails, which a ``None`` in ``sys.modules`` makes it do at once.
    """
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def run_tui(args: argparse.Namespace) -> int:
    """Run the app for ``args``, return its exit code (0 after a normal quit)."""
    skip_unused_work()
    collector.pause()  # until the first frame is painted (InspectorApp._mount_panes)
    try:
        with ExitStack() as stack:
            app = build_app(args, stack)
            app.run()
            return app.return_code or 0
    except Exception as error:  # Ctrl+C and termination signals go on to main, which says so
        print(f"{PROG}: {one_line(error)}", file=sys.stderr)
        if os.environ.get("INSPECTOR_DEBUG"):
            raise
        return FAILURE
    finally:
        collector.resume(freeze=False)  # the app ended before its first frame


def one_line(error: Any) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"
