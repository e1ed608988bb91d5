"""Entry point of ``openrouter-inspector``: subcommands, or the TUI when none is given."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from inspector import __version__
from inspector.cli import exitcodes


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and one clean line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(exitcodes.USAGE, f"{self.prog}: error: {message}\n")


SUBCOMMANDS = ("get", "history", "key")


def build_parser() -> argparse.ArgumentParser:
    from inspector.cli import get, history, key

    parser = _Parser(
        prog="openrouter-inspector",
        description="Inspect OpenRouter generations: cost, tokens, timing, providers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    get.register(sub)
    history.register(sub)
    key.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    wants_cli = first in SUBCOMMANDS or any(a in ("-h", "--help", "--version") for a in args_list)
    if not wants_cli:
        # No subcommand: the TUI (ids and --demo/--base-url/--no-history are its options).
        from inspector.tui.launch import run_tui

        return run_tui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return exitcodes.USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return exitcodes.INTERRUPTED
