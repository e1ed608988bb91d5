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

APP_HELP = """\
Without a COMMAND the terminal app starts:
  ID ...            generation ids (or text holding them) to look up at start
  --demo            try it on a bundled local stand-in for OpenRouter: no key, no network
  --base-url URL    API base URL (default: $OPENROUTER_BASE_URL or OpenRouter's)
  --no-history      neither read nor write the lookup history

environment:
  OPENROUTER_API_KEY   the API key (wins over the OS keyring)
  OPENROUTER_BASE_URL  API base URL (default https://openrouter.ai/api/v1)
  INSPECTOR_DATA_DIR   where history lives (default: the platform's user data dir)
  INSPECTOR_HISTORY    'off' records nothing

exit codes: 0 ok, 2 usage or malformed id, 3 no key or key rejected, 4 not found,
  5 other API error after retries, 6 network error, 7 keyring unavailable
"""


def build_parser() -> argparse.ArgumentParser:
    from inspector.cli import get, history, key

    parser = _Parser(
        prog="openrouter-inspector",
        description="Inspect OpenRouter generations: cost, tokens, timing, providers.",
        usage="%(prog)s [ID ...] [--demo] [--base-url URL] [--no-history]\n"
        "       %(prog)s COMMAND ...",
        epilog=APP_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(
        dest="command", parser_class=_Parser, metavar="COMMAND", prog=parser.prog
    )
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
