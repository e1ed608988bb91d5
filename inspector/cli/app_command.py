"""``orinspect [global options] [ID …]``: the terminal app, the default command."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "app",
        help="the terminal app (the default when no command is given)",
        description="Start the terminal app; ids (or text holding them) are looked up at start.",
        parents=[common],
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="generation ids, or text holding them")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Deferred import (a named seam): Textual is loaded for the app only.
    from inspector.tui.launch import run_tui

    return run_tui(args)
