"""``orinspect [global options] [--follow FILE] [ID …]``: the terminal app, the default
command. ``--follow FILE`` opens the batch view following FILE as ``tail -F`` does (every
generation id appended to it is looked up)."""

from __future__ import annotations

import argparse
from pathlib import Path

APP_OPTIONS = ("--follow",)  # options of the app alone: they start its arguments


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "app",
        help="the terminal app (the default when no command is given)",
        description="Start the terminal app; ids (or text holding them) are looked up at start.",
        parents=[common],
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="generation ids, or text holding them")
    parser.add_argument(
        "--follow",
        type=Path,
        metavar="FILE",
        help="open the batch view on FILE, followed like tail -F: every generation id "
        "appended to it is looked up (appends, truncation and rotation survive)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Deferred import (a named seam): Textual is loaded for the app only.
    from inspector.tui.launch import run_tui

    return run_tui(args)
