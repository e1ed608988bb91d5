"""``openrouter-inspector [ID…] [--demo] [--base-url URL] [--no-history]``: run the TUI.

Returns an exit code and never shows a traceback: failures print one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from inspector.infra.history import HistoryStore
    from inspector.tui.app import InspectorApp

PROG = "openrouter-inspector"
USAGE_ERROR = 2
FAILURE = 1


class UsageError(Exception):
    """Bad command-line arguments (argparse's message, one line)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Inspect OpenRouter generations in the terminal.",
        epilog="Subcommands (get, history, key) run without the UI; see --help.",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="generation ids to look up")
    parser.add_argument("--demo", action="store_true", help="try it on a local fake server")
    parser.add_argument("--base-url", metavar="URL", help="API base URL (OPENROUTER_BASE_URL)")
    parser.add_argument("--no-history", action="store_true", help="do not read or write history")
    return parser


def build_app(args: argparse.Namespace, stack: ExitStack) -> InspectorApp:
    """The app for these arguments; a demo environment is closed by ``stack``."""
    from inspector.tui.app import InspectorApp

    history = _disabled_history() if args.no_history else None
    if not args.demo:
        return InspectorApp(ids=args.ids, base_url=args.base_url, history=history)
    from inspector.demo import start_demo

    demo = start_demo()
    stack.callback(demo.close)
    return InspectorApp(
        ids=args.ids,
        base_url=demo.base_url,
        history=history if history is not None else demo.history(),
        keystore=demo.keystore(),
        demo=True,
        demo_ids=demo.demo_ids,
        retry_policy=demo.retry_policy(),
    )


def _disabled_history() -> HistoryStore:
    """``--no-history``. Only then is the store imported here: by default the app builds
    its store after the first frame."""
    from inspector.infra.history import HistoryStore

    return HistoryStore(enabled=False)


def run_tui(argv: list[str]) -> int:
    """Parse ``argv``, run the app, return its exit code (0 after a normal quit)."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        print(f"{PROG}: error: {error} (see --help)", file=sys.stderr)
        return USAGE_ERROR
    try:
        with ExitStack() as stack:
            app = build_app(args, stack)
            app.run()
            return app.return_code or 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        print(f"{PROG}: {one_line(error)}", file=sys.stderr)
        if os.environ.get("INSPECTOR_DEBUG"):
            raise
        return FAILURE


def one_line(error: Any) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"
