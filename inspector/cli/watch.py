"""``orinspect watch [FILE|-] [--from-start]``: follow a log, look up every generation in it.

The file is followed the way ``tail -F`` does (:class:`inspector.app.follow.FileFollower`:
appends, truncation and rotation survive; by default only what is appended from now on,
``--from-start`` reads what it already holds), or stdin until its end (``-``, the default).
Every new generation id in it (:func:`inspector.core.ids.extract_ids`) is looked up on the
batch machinery (:mod:`inspector.app.batch`: ``--jobs`` at once, one rate-limit gate,
repeats once, young ids polled until they appear, history in transactions), and one line is
printed per generation as it resolves (:mod:`inspector.app.brief`)::

    21 Sep 2026 14:13:27  gen-…  openai/gpt-4.1-mini  OpenAI  $0.0005584  812 → 146  538 ms

with badges (``fell back``, ``cache missed``, ``BYOK``) at the end; ``--json`` prints the
records as received instead, one per line. A failed lookup is one error line on stderr.
On a terminal a status line on stderr keeps the running totals. Ctrl+C prints the totals
(:mod:`inspector.cli.totals`; with ``--json`` the line ``{"totals": {...}}``) and exits 130
(SIGTERM and SIGHUP print them too, and exit 128 + the signal);
at the end of stdin the same totals follow, and the exit code is the first failure's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inspector.app.batch import Batch
from inspector.app.brief import brief
from inspector.app.follow import DEFAULT_INTERVAL, FileFollower, StreamFollower
from inspector.app.lookup import Succeeded
from inspector.app.totals import Totals
from inspector.cli import exitcodes, progress
from inspector.cli.args import positive_seconds
from inspector.cli.get import jobs_count
from inspector.cli.output import json_line, print_error, print_line, print_note, safe
from inspector.cli.render import failure_line
from inspector.cli.running import run_with_session
from inspector.cli.totals import outcome_counts, totals_json, totals_text
from inspector.core import formatting as fmt

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from inspector.app.batch import Batch
    from inspector.app.lookup import Failed, Succeeded
    from inspector.app.session import Session
    from inspector.app.totals import Totals


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``watch`` subcommand."""

    parser = sub.add_parser(
        "watch",
        parents=[common],
        help="follow a log (like tail -F) and look up every generation id in it",
        description="Follow FILE as `tail -F` does (appends, truncation, rotation) or read "
        "stdin, look up every new generation id in it, and print one line per generation as "
        "it resolves: time, id, model, provider, cost, tokens, latency and badges. Ctrl+C "
        "prints the totals.",
        epilog="exit codes: 130 after Ctrl+C; at the end of stdin 0, or the first failed "
        "lookup's code (3 no key or key rejected, which stops every lookup)",
    )
    parser.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="the log to follow ('-': stdin)"
    )
    parser.add_argument(
        "--from-start", action="store_true", help="also read what FILE already holds"
    )
    parser.add_argument(
        "--jobs", type=jobs_count, default=8, metavar="N", help="lookups at once (default 8)"
    )
    parser.add_argument(
        "--interval",
        type=positive_seconds,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"how often FILE is looked at (default {DEFAULT_INTERVAL:g})",
    )
    parser.add_argument(
        "--json", action="store_true", help="print each record as received (JSON Lines)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``watch``; Ctrl+C prints the totals, then ``main`` reports it (exit 130)."""

    totals = Totals()
    try:
        return run_with_session(
            args, lambda session: _watch(session, args, totals), concurrent=True
        )
    # Ctrl+C, or kill / timeout (signals.Terminated is a KeyboardInterrupt): the totals so far
    except KeyboardInterrupt:
        _print_totals(totals, as_json=args.json)
        raise


def _lines(args: argparse.Namespace) -> AsyncIterator[str]:
    """The lines of the followed file, or of stdin."""

    if args.file == "-":
        return StreamFollower(sys.stdin.buffer).lines()
    follower = FileFollower(
        Path(args.file), from_start=args.from_start, interval=args.interval, notice=print_note
    )
    return follower.lines()


async def _watch(session: Session, args: argparse.Namespace, totals: Totals) -> int:

    batch = Batch(session, jobs=args.jobs, keep_outcomes=False)  # it may run for days
    batch.feed(_lines(args))
    code = exitcodes.OK
    try:
        with progress.status_line(enabled=progress.wanted()) as status:
            status(_status_text(args.file, totals, batch))
            async for item in batch.events():
                outcome = item.outcome
                if outcome is not None:
                    totals.add(outcome)
                    failed = _print_outcome(session, outcome, as_json=args.json)
                    code = code or failed
                status(_status_text(args.file, totals, batch))
        _print_totals(totals, as_json=args.json)
    finally:
        batch.close()
        try:
            for notice in session.recorder.notices():
                print_note(notice)
        finally:
            await session.aclose()
    return code


def _print_outcome(session: Session, outcome: Succeeded | Failed, *, as_json: bool) -> int:
    """One line for a resolved generation (stdout) or a failure (stderr); its exit code."""

    if isinstance(outcome, Succeeded):
        if as_json:
            print_line(json_line(outcome.result.raw))
        else:
            line = brief(session.facts(outcome.result), outcome.result.generation)
            fields = [line.time, line.gen_id, line.model, line.provider, line.cost]
            fields += [line.tokens, line.latency]
            badges = f"  [{', '.join(line.badges)}]" if line.badges else ""
            print_line("  ".join(fields) + badges)
        return exitcodes.OK
    explanation = session.explain(outcome.error, outcome.parsed, outcome.attempts)
    print_error(failure_line(outcome, explanation))
    return exitcodes.for_error(outcome.error)


def _status_text(source: str, totals: Totals, batch: Batch) -> str:
    """``watching app.log · 10 ok · 1 not found · $0.0123 spent · 5,210 tokens · 2 pending``."""

    where = "stdin" if source == "-" else safe(source)
    figures = [f"watching {where}", outcome_counts(totals)]
    if totals.records:
        figures.append(f"{fmt.money(float(totals.true_spend))} spent")
        figures.append(f"{fmt.tokens(totals.prompt_tokens + totals.completion_tokens)} tokens")
    now = batch.progress()
    if now.pending:
        figures.append(f"{now.pending:,} pending")
    if now.paused_for > 0:
        figures.append(f"rate limited, paused {fmt.countdown(now.paused_for)}")
    return " · ".join(figures)


def _print_totals(totals: Totals, *, as_json: bool) -> None:

    if as_json:
        print_line(totals_json(totals))
    else:
        print_line(totals_text(totals))
