"""Entry point of ``orinspect``: one argparse tree, the terminal app as the default command.

``orinspect [global options] [ID …]`` starts the app; ``orinspect [global options] COMMAND
…`` runs a command without it. Global options work before or after the command (``gh``,
``uv`` and ``git`` behave this way): each subcommand parser inherits them from one parent
parser whose defaults are suppressed, so a value given before the command survives.

Deferred imports (a named seam): each command's module is imported only when that command
runs, and the app (Textual) only for the app, so ``get`` never loads the UI toolkit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from inspector import __version__
from inspector.cli import exitcodes
from inspector.cli.args import positive_seconds

PROG = "orinspect"
APP_COMMAND = "app"  # the default command, inserted when no other is named
# Global options that take a value: the token after them is not the command.
_VALUE_OPTIONS = ("--base-url", "--timeout")

EPILOG = f"""\
Without a COMMAND the terminal app starts (ids given are looked up at start).

environment:
  OPENROUTER_API_KEY   the API key (wins over the OS keyring)
  OPENROUTER_BASE_URL  API base URL (default https://openrouter.ai/api/v1)
  INSPECTOR_DATA_DIR   where history lives (default: the platform's user data dir)
  INSPECTOR_HISTORY    'off' records nothing

exit codes: {exitcodes.OK} ok, {exitcodes.HISTORY} history unreadable or unwritable, \
{exitcodes.USAGE} usage or malformed id,
  {exitcodes.AUTH} no key or key rejected, {exitcodes.NOT_FOUND} not found, \
{exitcodes.API_ERROR} other API error after retries,
  {exitcodes.NETWORK} network error, {exitcodes.KEYRING} keyring unavailable, \
{exitcodes.CHECK_FAILED} a check's assertion failed,
  {exitcodes.INTERRUPTED} interrupted
"""


class Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and one clean line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(exitcodes.USAGE, f"{PROG}: error: {message}\n")


def global_options(*, suppress: bool) -> argparse.ArgumentParser:
    """The options every command takes. ``suppress``: no defaults (for the subcommands, so
    a value given before the command is not overwritten)."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=default(None),
        help="API base URL (default: $OPENROUTER_BASE_URL or https://openrouter.ai/api/v1)",
    )
    group.add_argument(
        "--no-history",
        action="store_true",
        default=default(False),
        help="neither read nor write the lookup history (app); do not record (commands)",
    )
    group.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="SECONDS",
        default=default(None),
        help="deadline of each attempt, connect to last byte (default 30)",
    )
    group.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use the bundled local stand-in for OpenRouter: no key, no network",
    )
    return parent


Registrar = Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]

# Subcommand dispatch, the command line's one deferred-import seam: each command lives in
# its own module, imported only when that command runs (all of them for --help), so a
# module imports what it needs at its top and ``get`` never loads what ``watch`` needs.
COMMANDS = {
    "app": "inspector.cli.app_command",
    "get": "inspector.cli.get",
    "explain": "inspector.cli.explain",
    "watch": "inspector.cli.watch",
    "check": "inspector.cli.check",
    "history": "inspector.cli.history",
    "key": "inspector.cli.key",
}


def _registrar(command: str) -> Registrar:
    import importlib

    register: Registrar = importlib.import_module(COMMANDS[command]).register
    return register


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``only``) the program and that one command."""
    parser = Parser(
        prog=PROG,
        description="Inspect OpenRouter generations: cost, tokens, timing, providers.",
        usage=f"{PROG} [global options] [ID ...]\n       {PROG} [global options] COMMAND ...",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND", prog=PROG)
    common = global_options(suppress=True)
    for command in COMMANDS if only is None else (only,):
        _registrar(command)(sub, common)
    return parser


def _locate(argv: list[str], known: set[str]) -> tuple[int | None, str | None]:
    """Where ``argv``'s command is: ``(index, name)`` of a known command; ``(index, None)``
    where the app command belongs (the first token that is neither an option nor an
    option's value, or an option only the app has, ``--follow FILE``); ``(None, None)``
    when ``-h``/``--version`` come first (the program's own)."""
    from inspector.cli.app_command import APP_OPTIONS

    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--" or token.split("=", 1)[0] in APP_OPTIONS:
            break
        if token in ("-h", "--help", "--version"):
            return None, None
        if token in _VALUE_OPTIONS:
            index += 2
            continue
        if token.startswith("-") and token != "-":
            index += 1
            continue
        return (index, token) if token in known else (index, None)
    return index, None


def with_command(argv: list[str], known: set[str]) -> list[str]:
    """``argv`` with the app command inserted where no command is named (see
    :func:`_locate`): an id or a URL is the app's argument."""
    index, command = _locate(argv, known)
    if index is None or command is not None:
        return argv
    return [*argv[:index], APP_COMMAND, *argv[index:]]


def main(argv: Sequence[str] | None = None) -> int:
    from inspector.cli import signals
    from inspector.cli.output import OutputError, silence

    args_list = with_command(list(sys.argv[1:] if argv is None else argv), set(COMMANDS))
    # Only the named command's module is built (all of them for --help / --version).
    args = build_parser(_locate(args_list, set(COMMANDS))[1]).parse_args(args_list)
    signals.install()
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except signals.Terminated as stop:  # before KeyboardInterrupt: it is one
        _last_words(f"terminated by {stop.name}")
        return 128 + stop.signum
    except KeyboardInterrupt:
        _last_words("interrupted")
        return exitcodes.INTERRUPTED
    except OutputError as error:
        silence(sys.stdout)
        _last_words(f"{PROG}: error: cannot write the output: {error.reason}")
        return exitcodes.OUTPUT
    except BrokenPipeError:
        silence(sys.stdout)
        return exitcodes.OK
    except Exception as error:  # a bug: one line, never a traceback (unless asked for)
        import os

        if os.environ.get("INSPECTOR_DEBUG"):
            raise
        text = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        _last_words(f"{PROG}: internal error: {text} (INSPECTOR_DEBUG=1 shows the traceback)")
        return exitcodes.INTERNAL


def _last_words(line: str) -> None:
    """One line on stderr that may not fail (stderr itself may be gone)."""
    import contextlib

    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)
