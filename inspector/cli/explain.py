"""``orinspect explain ID [ID…] [--json]``: why a generation cost what it cost, line by line.

Each id is looked up (waits announced on stderr, as ``get`` does), kept in history, and its
bill explained by the application layer (:func:`inspector.app.bill.explain_bill`): the line
items at the serving provider's list price, the totals, the verdict, the reasons and how it
compares. The text form is a small table per id; ``--json`` prints one object per id per
line (the keys are the README's). Exit codes as for ``get``: the first failure's; no price
to compare with is no failure (exit 0, reason ``pricing_unavailable``).

Its module is imported only when the command runs (the dispatch seam of ``cli.main``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from inspector.app.bill import explain_bill
from inspector.app.bill_report import align_on_point
from inspector.app.lookup import Failed, Succeeded, Waiting
from inspector.cli import exitcodes
from inspector.cli import exitcodes as codes
from inspector.cli.inputs import ids_or_none
from inspector.cli.output import json_line, print_error, print_line, print_note, print_wait
from inspector.cli.render import failure_line
from inspector.cli.running import run_with_session
from inspector.core.errors import AuthError, MissingKeyError
from inspector.core.ids import short_id

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport
    from inspector.app.lookup import Failed, Succeeded
    from inspector.app.session import Session
    from inspector.core.ids import ParsedId

__all__ = ["bill_text", "register", "run"]

INDENT = "  "
RULE = "─"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``explain`` subcommand."""

    parser = sub.add_parser(
        "explain",
        parents=[common],
        help="explain a generation's bill: line items at list price, verdict, reasons",
        description="Look generations up and explain each charge: the line items at the "
        "serving provider's list price (from /models/{author}/{slug}/endpoints, kept beside "
        "the record in history), what was billed, the difference with each known reason, "
        "a verdict, and how it compares with your own history.",
        epilog=f"exit codes: {codes.OK} ok (also when no price is listed: reason "
        f"pricing_unavailable), {codes.USAGE} usage or malformed id, {codes.AUTH} no key or "
        f"key rejected, {codes.NOT_FOUND} not found, {codes.API_ERROR} other API error, "
        f"{codes.NETWORK} network error; with several ids, the first failure's",
    )
    parser.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="a generation id, or text holding ids (URL, log line, JSON); "
        "'-' reads stdin, @FILE reads a file",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per id per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``explain``: returns an exit code, never raises for an expected failure."""
    targets = ids_or_none(args.ids)
    if targets is None:
        return exitcodes.USAGE
    return run_with_session(
        args, lambda session: _explain_all(session, targets, as_json=args.json), concurrent=False
    )


async def _explain_all(session: Session, targets: list[ParsedId], *, as_json: bool) -> int:
    """Explain every id in turn; the exit code is the first failure's."""

    code = exitcodes.OK
    shown = 0
    try:
        for parsed in targets:
            outcome = await _look_up(session, parsed, several=len(targets) > 1)
            session.record(outcome)
            if not isinstance(outcome, Succeeded):
                _print_failure(session, outcome)
                code = code or exitcodes.for_error(outcome.error)
                if isinstance(outcome.error, AuthError | MissingKeyError):
                    break  # the same key would fail every other id
                continue
            report = await explain_bill(session, outcome.result)
            if as_json:
                print_line(json_line(report.to_json()))
            else:
                print_line(("\n" if shown else "") + bill_text(report))
            shown += 1
        for notice in session.recorder.notices():
            print_note(notice)
    finally:
        await session.aclose()
    return code


async def _look_up(session: Session, parsed: ParsedId, *, several: bool) -> Succeeded | Failed:

    outcome: Succeeded | Failed | None = None
    async for event in session.lookup(parsed):
        if isinstance(event, Waiting):
            print_wait(event.decision, f"{short_id(parsed.id)} " if several else "")
        elif isinstance(event, Succeeded | Failed):
            outcome = event
    assert outcome is not None
    return outcome


def _print_failure(session: Session, outcome: Failed) -> None:

    explanation = session.explain(outcome.error, outcome.parsed, outcome.attempts)
    print_error(failure_line(outcome, explanation))


# ---- the text form ----------------------------------------------------------------------


def _table(report: BillReport) -> list[str]:
    """The items and the totals, their amounts in one column lined up on the point."""

    items, totals = report.items, report.totals
    amounts = align_on_point([i.amount_text for i in items] + [t.text for t in totals])
    name_width = max([len("item"), *(len(i.name) for i in items), *(len(t.label) for t in totals)])
    qty_width = max([len("quantity"), *(len(i.quantity_text) for i in items)])
    price_width = max([len("unit price"), *(len(i.unit_price_text) for i in items)])
    amount_width = max((len(a) for a in amounts), default=len("amount"))
    lead = name_width + qty_width + price_width + 6
    lines = []
    if items:
        head = f"{'item':<{name_width}}  {'quantity':>{qty_width}}  {'unit price':>{price_width}}"
        lines.append(f"{head}  {'amount':>{amount_width}}")
        for item, amount in zip(items, amounts, strict=False):
            row = f"{item.name:<{name_width}}  {item.quantity_text:>{qty_width}}  "
            lines.append(f"{row}{item.unit_price_text:>{price_width}}  {amount}".rstrip())
            if item.note:
                lines.append(f"{'':<{name_width}}  {item.note}")
        lines.append(f"{'':<{lead}}{RULE * amount_width}")
    for total, amount in zip(totals, amounts[len(items) :], strict=True):
        note = f"  {total.note}" if total.note else ""
        lines.append(f"{total.label:<{lead}}{amount}{note}".rstrip())
    return lines


def bill_text(report: BillReport) -> str:
    """One bill as text: the id, the verdict, the table, the reasons, how it compares."""
    provider = f" via {report.provider}" if report.provider else ""
    lines = [f"{report.gen_id}{provider}", f"{INDENT}{report.verdict_text}", ""]
    lines += [f"{INDENT}{line}" for line in _table(report)]
    if report.reasons:
        lines += ["", f"{INDENT}reasons"]
        lines += [f"{INDENT}- {reason.text}" for reason in report.reasons]
    if report.badges or report.notes:
        lines += ["", f"{INDENT}how it compares"]
        lines += [f"{INDENT}- {badge.text}" for badge in report.badges]
        lines += [f"{INDENT}- {note}" for note in report.notes]
    estimate = " · some figures are estimates" if report.estimate else ""
    lines += ["", f"{INDENT}prices: {report.pricing.text}{estimate}"]
    return "\n".join(lines)
