"""``orinspect get ID [ID…] [--json]``: look generations up, print a summary or their JSON.

Each id is looked up (retrying as the domain's retry policy decides, each wait announced as
one line on stderr) and printed as a summary of its facts, or with ``--json`` the ``data``
object as received, one compact JSON object per line. ``-`` reads ids from stdin; an
argument may be any text holding ids (a URL with ``id=``, a log line, JSON).

Exit codes (:mod:`inspector.cli.exitcodes`): with several ids, the first failure's code;
a missing or rejected key stops at once.

Start-up time matters here: this module imports only ``argparse`` at load; the session,
asyncio and the history store are imported when the command runs, and pydantic only when
a summary or an error needs it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from inspector.app.lookup import Failed, Succeeded
    from inspector.app.session import Session
    from inspector.core.ids import ParsedId


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``get`` subcommand."""
    from inspector.cli import exitcodes as codes

    parser = sub.add_parser(
        "get",
        parents=[common],
        help="look up generations: a summary, or their JSON",
        description="Look up OpenRouter generations by id and print a summary "
        "(model, provider, cost, tokens, timing, finish reason, fallbacks) or, with --json, "
        "the data object exactly as received, one JSON object per line.",
        epilog=f"exit codes: {codes.OK} ok, {codes.USAGE} usage or malformed id, "
        f"{codes.AUTH} no key or key rejected, {codes.NOT_FOUND} not found (or never "
        f"indexed), {codes.API_ERROR} other API error, {codes.NETWORK} network error",
    )
    parser.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="a generation id, or text holding ids (URL, log line, JSON); '-' reads stdin",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the data object as received (JSON Lines)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``get``: returns an exit code, never raises for an expected failure."""
    from inspector.cli import exitcodes
    from inspector.cli.output import print_error, print_note
    from inspector.cli.session import open_session
    from inspector.core.errors import InspectorError, MalformedIdError

    try:
        targets = collect_ids(args.ids)
    except MalformedIdError as error:
        print_error(error.summary)
        return exitcodes.USAGE
    for parsed in targets:
        if parsed.warning:
            print_note(f"{parsed.id}: {parsed.warning}")
    try:
        with open_session(args) as session:
            return run_in_loop(_look_up_all(session, targets, as_json=args.json))
    except InspectorError as error:  # e.g. an unusable data folder (ConfigError)
        print_error(error.summary)
        return exitcodes.for_error(error)


def run_in_loop(coro: Coroutine[Any, Any, int]) -> int:
    """Run ``coro`` on a fresh event loop, leaving Ctrl-C to Python's default handler.

    ``asyncio.run`` turns the first Ctrl-C into a task cancellation, which cannot interrupt
    the blocking transport's socket read; here KeyboardInterrupt is raised at once, wherever
    the program is, and ``main`` reports it (exit 130).
    """
    import asyncio

    loop = asyncio.new_event_loop()
    main = loop.create_task(coro)
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            if pending:  # interrupted: let every wait and close run its cleanup
                for task in pending:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


def collect_ids(arguments: list[str]) -> list[ParsedId]:
    """Every id the arguments name, de-duplicated, in order; ``-`` reads stdin.

    Raises :class:`MalformedIdError` (or its request-id subclass) for an argument that
    holds no generation id: nothing is sent unless every argument is understood.
    """
    import sys

    from inspector.core.errors import MalformedIdError
    from inspector.core.ids import RequestIdError, extract_ids, parse_id

    found: dict[str, ParsedId] = {}
    for argument in arguments:
        if argument == "-":
            mined = extract_ids(sys.stdin.read())
            if not mined.ids:
                raise MalformedIdError("no generation id found on stdin")
            parsed_ids = mined.ids
        else:
            try:
                parsed_ids = [parse_id(argument)]
            except RequestIdError:
                raise
            except MalformedIdError:
                parsed_ids = extract_ids(argument).ids
                if not parsed_ids:
                    raise
        for parsed in parsed_ids:
            found.setdefault(parsed.id, parsed)
    return list(found.values())


async def _look_up_all(session: Session, targets: list[ParsedId], *, as_json: bool) -> int:
    """Look every id up in turn; the exit code is the first failure's."""
    from inspector.app.lookup import Failed, Succeeded, Waiting
    from inspector.cli import exitcodes
    from inspector.cli.output import print_note, print_wait
    from inspector.core.errors import AuthError, MissingKeyError
    from inspector.core.ids import short_id

    code = exitcodes.OK
    several = len(targets) > 1
    try:
        for index, parsed in enumerate(targets):
            outcome: Succeeded | Failed | None = None
            async for event in session.lookup(parsed):
                if isinstance(event, Waiting):
                    print_wait(event.decision, f"{short_id(parsed.id)} " if several else "")
                elif isinstance(event, Succeeded | Failed):
                    outcome = event
            assert outcome is not None
            session.record(outcome)
            if isinstance(outcome, Succeeded):
                _print_success(session, outcome, as_json=as_json, first=index == 0)
                continue
            _print_failure(session, outcome)
            code = code or exitcodes.for_error(outcome.error)
            if isinstance(outcome.error, AuthError | MissingKeyError):
                break  # the same key would fail every other id
        for notice in session.recorder.notices():
            print_note(notice)
    finally:
        await session.aclose()
    return code


def _print_success(session: Session, outcome: Succeeded, *, as_json: bool, first: bool) -> None:
    from inspector.cli.output import json_line, print_line
    from inspector.cli.render import summary_text

    if as_json:
        print_line(json_line(outcome.result.raw))
        return
    if not first:
        print_line("")
    print_line(summary_text(session.facts(outcome.result)))


def _print_failure(session: Session, outcome: Failed) -> None:
    from inspector.cli.output import print_error
    from inspector.cli.render import failure_line

    explanation = session.explain(outcome.error, outcome.parsed, outcome.attempts)
    print_error(failure_line(outcome, explanation))
