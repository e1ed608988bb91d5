"""``orinspect get ID… [--json] [--jobs N] [--totals]``: look generations up, print them.

Ids come from the arguments, text on stdin (``-``) or files (``@FILE``), mined out of any
text (a URL with ``id=``, a log line, JSON) by :mod:`inspector.cli.inputs`. Lookups run
on the batch machinery (:mod:`inspector.app.batch`): ``--jobs`` at once (default 8), one
shared rate-limit gate, repeats sent once, history written in transactions. Output keeps
the input order: a summary of each record's facts, or with ``--json`` the ``data`` object
as received, one compact JSON object per line. Each wait is announced as one line on
stderr; a progress bar is drawn on stderr when it is a terminal and there are several ids.

Totals (:mod:`inspector.app.totals`) follow the last record: on by default for several ids
in the text form (``--no-totals``); with ``--json`` only when ``--totals`` is given, as a
last line ``{"totals": {...}}`` (an object whose only key is ``totals``).

Exit codes (:mod:`inspector.cli.exitcodes`): the first failure's in input order; a
missing or rejected key stops every lookup at once.

Start-up time matters here: this module imports only ``argparse`` at load; the session,
asyncio and the history store are imported when the command runs, the models only when a
summary, the totals or an error needs it, the progress bar only when it is drawn.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from inspector.app.batch import MAX_JOBS, Batch, InputOrder
from inspector.app.lookup import Succeeded, Waiting
from inspector.app.totals import Totals
from inspector.cli import exitcodes, progress
from inspector.cli import exitcodes as codes
from inspector.cli.inputs import ids_or_none
from inspector.cli.output import json_line, print_error, print_line, print_note, print_wait
from inspector.cli.render import failure_line, summary_text
from inspector.cli.running import run_with_session
from inspector.cli.totals import totals_json, totals_text
from inspector.core.ids import short_id

if TYPE_CHECKING:
    from inspector.app.lookup import Failed, Succeeded
    from inspector.app.session import Session
    from inspector.app.totals import Totals
    from inspector.core.ids import ParsedId


def jobs_count(text: str) -> int:
    """``--jobs``: a whole number from 1 to :data:`inspector.app.batch.MAX_JOBS`."""

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_JOBS}, got {value}")
    return value


def add_id_arguments(parser: argparse.ArgumentParser) -> None:
    """The ids and ``--jobs``, shared by ``get`` and ``check``."""
    parser.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="a generation id, or text holding ids (URL, log line, JSON); "
        "'-' reads stdin, @FILE reads a file",
    )
    parser.add_argument(
        "--jobs",
        type=jobs_count,
        default=8,
        metavar="N",
        help="lookups at once (default 8; a 429 pauses them all)",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``get`` subcommand."""

    parser = sub.add_parser(
        "get",
        parents=[common],
        help="look up generations: a summary, or their JSON",
        description="Look up OpenRouter generations by id and print a summary "
        "(model, provider, cost, tokens, timing, finish reason, fallbacks) or, with --json, "
        "the data object exactly as received, one JSON object per line, in input order. "
        "Several ids are looked up concurrently (--jobs) and followed by totals.",
        epilog=f"exit codes: {codes.OK} ok, {codes.USAGE} usage or malformed id, "
        f"{codes.AUTH} no key or key rejected, {codes.NOT_FOUND} not found (or never "
        f"indexed), {codes.API_ERROR} other API error, {codes.NETWORK} network error; "
        "with several ids, the first failure's (in input order)",
    )
    add_id_arguments(parser)
    parser.add_argument(
        "--json", action="store_true", help="print the data object as received (JSON Lines)"
    )
    parser.add_argument(
        "--totals",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="totals after the last record (default: on for several ids without --json; "
        'with --json a last line {"totals": {...}})',
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``get``: returns an exit code, never raises for an expected failure."""

    targets = ids_or_none(args.ids)
    if targets is None:
        return exitcodes.USAGE
    several = len(targets) > 1
    totals = args.totals if args.totals is not None else several and not args.json
    return run_with_session(
        args,
        lambda session: _look_up_all(
            session, targets, as_json=args.json, jobs=args.jobs, totals=totals
        ),
        concurrent=several,
    )


async def _look_up_all(
    session: Session, targets: list[ParsedId], *, as_json: bool, jobs: int, totals: bool
) -> int:
    """Look every id up on a batch; print in input order; the first failure's code."""

    several = len(targets) > 1
    batch = Batch(session, jobs=jobs)
    batch.add_all(targets)
    batch.finish_input()
    order = InputOrder()
    tally: Totals | None = None
    if totals:
        tally = Totals()
    code = exitcodes.OK
    shown = 0

    def show(outcome: Succeeded | Failed) -> None:
        nonlocal code, shown
        if tally is not None:
            tally.add(outcome)
        if isinstance(outcome, Succeeded):
            _print_success(session, outcome, as_json=as_json, first=shown == 0)
            shown += 1
        else:
            _print_failure(session, outcome)
            code = code or exitcodes.for_error(outcome.error)

    try:
        bar_on = several and progress.wanted()
        with progress.progress_bar(len(targets), enabled=bar_on) as draw:
            async for item in batch.events():
                if isinstance(item.event, Waiting):
                    prefix = f"{short_id(item.event.gen_id)} " if several else ""
                    print_wait(item.event.decision, prefix)
                for outcome in order.add(item):
                    show(outcome)
                draw(batch.progress())
        for outcome in order.rest():  # the batch stopped (key): what finished after a gap
            show(outcome)
        if tally is not None and tally.lookups:
            _print_totals(tally, as_json=as_json)
    finally:
        batch.close()  # records what finished, even when interrupted
        try:
            for notice in session.recorder.notices():
                print_note(notice)
        finally:
            await session.aclose()
    return code


def _print_totals(tally: Totals, *, as_json: bool) -> None:

    if as_json:
        print_line(totals_json(tally))
    else:
        print_line("")
        print_line(totals_text(tally))


def _print_success(session: Session, outcome: Succeeded, *, as_json: bool, first: bool) -> None:

    if as_json:
        print_line(json_line(outcome.result.raw))
        return
    if not first:
        print_line("")
    print_line(summary_text(session.facts(outcome.result)))


def _print_failure(session: Session, outcome: Failed) -> None:

    explanation = session.explain(outcome.error, outcome.parsed, outcome.attempts)
    print_error(failure_line(outcome, explanation))
