"""``orinspect check ID… [limits] [--wait S] [--json | --format github]``: assertions for CI.

Looks every id up on the batch machinery (young ids polled for up to ``--wait`` seconds),
evaluates every assertion asked for on every generation (:mod:`inspector.app.checks`, which
names the figure each one reads) and prints a report: text, one JSON object (``--json``:
each assertion's value, limit and result, per generation too), or GitHub Actions
annotations (``--format github``: an ``::error`` line per failure, escaped as GitHub reads
them).

Exit codes: 0 when every assertion holds, :data:`~inspector.cli.exitcodes.CHECK_FAILED` (8)
when any fails, and the usual code of the first failed lookup (in input order) when a lookup
itself fails (:func:`inspector.cli.exitcodes.for_error`): a record that could not be read
cannot be checked.
"""

from __future__ import annotations

import argparse
import copy
import math
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from inspector.app.batch import Batch, InputOrder
from inspector.app.checks import Limits, evaluate
from inspector.app.lookup import Succeeded, Waiting
from inspector.app.totals import Totals
from inspector.cli import check_report, exitcodes
from inspector.cli import exitcodes as codes
from inspector.cli.args import positive_seconds
from inspector.cli.get import add_id_arguments
from inspector.cli.inputs import ids_or_none
from inspector.cli.output import print_error, print_line, print_note, print_wait
from inspector.cli.render import failure_line
from inspector.cli.running import run_with_session
from inspector.core.ids import short_id

if TYPE_CHECKING:
    from decimal import Decimal

    from inspector.app.checks import Limits, Result
    from inspector.app.lookup import Failed, Succeeded
    from inspector.app.session import Session
    from inspector.core.ids import ParsedId
    from inspector.core.retry import RetryPolicy

DEFAULT_WAIT = 30.0  # seconds a young id is polled before its 404 counts


def usd(text: str) -> Decimal:
    """A limit in US dollars: a finite decimal number from 0 up."""

    try:
        value = Decimal(text.strip().removeprefix("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount of US dollars: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"expected an amount from 0 up, got {text!r}")
    return value


def fraction(text: str) -> float:
    """A share from 0 to 1 (``0.5``; ``50%`` is read as 0.5)."""

    cleaned = text.strip()
    try:
        value = float(cleaned.removesuffix("%")) / (100 if cleaned.endswith("%") else 1)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a fraction from 0 to 1, got {text!r}")
    return value


def seconds_or_zero(text: str) -> float:
    """A number of seconds from 0 to a day."""

    try:
        if float(text) == 0:
            return 0.0
    except ValueError:
        pass
    return positive_seconds(text)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``check`` subcommand."""

    parser = sub.add_parser(
        "check",
        parents=[common],
        help="assert limits on generations (cost, latency, fallbacks, cache) for CI",
        description="Look generations up and check every assertion on every one of them. "
        "Cost is the true spend (total_cost, plus the upstream cost for BYOK); latency is the "
        "record's latency (close to the time to the first token); the cache rate is the share "
        "of the billed prompt tokens read from the cache. A figure a record does not report "
        "fails its assertion.",
        epilog=f"exit codes: {codes.OK} every assertion holds, {codes.CHECK_FAILED} an "
        f"assertion failed; when a lookup fails, its code: {codes.USAGE} usage or malformed "
        f"id, {codes.AUTH} no key or key rejected, {codes.NOT_FOUND} not found (or not "
        f"indexed within --wait), {codes.API_ERROR} other API error, {codes.NETWORK} network",
    )
    add_id_arguments(parser)
    limits = parser.add_argument_group("assertions (each checked on every generation)")
    limits.add_argument("--max-cost", type=usd, metavar="USD", help="most one generation costs")
    limits.add_argument(
        "--max-total-cost", type=usd, metavar="USD", help="most all of them cost together"
    )
    limits.add_argument(
        "--max-latency",
        type=positive_seconds,
        metavar="S",
        help="longest latency of one generation, in seconds",
    )
    limits.add_argument(
        "--no-fallback", action="store_true", help="the first provider tried served each one"
    )
    limits.add_argument(
        "--min-cache-rate",
        type=fraction,
        metavar="FRACTION",
        help="least share of each prompt read from the cache (0 to 1)",
    )
    parser.add_argument(
        "--wait",
        type=seconds_or_zero,
        default=DEFAULT_WAIT,
        metavar="S",
        help=f"how long a young id is polled until it appears (default {DEFAULT_WAIT:g})",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object: the report")
    output.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: ::error annotations for GitHub Actions",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    targets = ids_or_none(args.ids)
    if targets is None:
        return exitcodes.USAGE
    limits = Limits(
        max_cost=args.max_cost,
        max_total_cost=args.max_total_cost,
        max_latency=args.max_latency,
        no_fallback=args.no_fallback,
        min_cache_rate=args.min_cache_rate,
    )
    style = "json" if args.json else args.format

    async def work(session: Session) -> int:
        session.policy = _polling_for(session, args.wait)
        return await _check(session, targets, limits, style=style, jobs=args.jobs)

    return run_with_session(args, work, concurrent=len(targets) > 1)


def _polling_for(session: Session, wait: float) -> RetryPolicy:
    """The session's retry policy, polling a young id for at most ``wait`` seconds."""

    policy = copy.copy(session.policy)
    policy.pending_max_wait = min(policy.pending_max_wait, wait)
    return policy


async def _check(
    session: Session, targets: list[ParsedId], limits: Limits, *, style: str, jobs: int
) -> int:

    batch = Batch(session, jobs=jobs)
    batch.add_all(targets)
    batch.finish_input()
    order = InputOrder()
    outcomes: list[Succeeded | Failed] = []
    try:
        async for item in batch.events():
            if isinstance(item.event, Waiting):
                print_wait(item.event.decision, f"{short_id(item.event.gen_id)} ")
            outcomes += order.add(item)
        outcomes += order.rest()
    finally:
        batch.close()
        try:
            for notice in session.recorder.notices():
                print_note(notice)
        finally:
            await session.aclose()
    totals = Totals()
    for outcome in outcomes:
        totals.add(outcome)
    records = [(o.gen_id, o.result.generation) for o in outcomes if isinstance(o, Succeeded)]
    failed = [o for o in outcomes if not isinstance(o, Succeeded)]
    results = evaluate(limits, records, totals)
    if failed:
        code = exitcodes.for_error(failed[0].error)
    elif any(not result.holds for result in results):
        code = exitcodes.CHECK_FAILED
    else:
        code = exitcodes.OK
    _report(session, style, results, records_count=len(records), failed=failed, code=code)
    return code


def _report(
    session: Session,
    style: str,
    results: list[Result],
    *,
    records_count: int,
    failed: list[Failed],
    code: int,
) -> None:

    lines = [failure_line(o, session.explain(o.error, o.parsed, o.attempts)) for o in failed]
    if style == "json":
        print_line(check_report.as_json(results, records_count, failed, code))
        for line in lines:
            print_error(line)
    elif style == "github":
        for text in check_report.github(results, lines, records_count):
            print_line(text)
    else:
        for line in lines:
            print_error(line)
        print_line(check_report.as_text(results, records_count, len(failed)))
