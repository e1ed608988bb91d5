"""The command line's text for batch totals (:class:`inspector.app.totals.Totals`).

Every figure is the application layer's; this module lays them out, and writes the one
JSON line that carries them in ``--json`` mode: ``{"totals": {...}}``, an object whose only
key is ``totals`` (a record is the API's ``data`` object, which always has an ``id``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.app.batch_text import OUTCOME_WORDS, SEP, outcome_counts
from inspector.core import formatting as fmt
from inspector.core.textsafe import clean

if TYPE_CHECKING:
    from decimal import Decimal

    from inspector.app.totals import Share, Totals

__all__ = ["OUTCOME_WORDS", "outcome_counts", "totals_json", "totals_text"]


def _money(value: Decimal) -> str:
    return fmt.money(float(value))


def _cost(totals: Totals) -> str:
    parts = [f"{_money(totals.billed)} billed"]
    if totals.byok:
        parts.append(f"{_money(totals.true_spend)} true spend ({totals.byok:,} BYOK)")
    if totals.without_cost:
        parts.append(f"{totals.without_cost:,} without a cost")
    return SEP.join(parts)


def _tokens(totals: Totals) -> str:
    prompt = f"prompt {fmt.tokens(totals.prompt_tokens)}"
    if totals.cached_tokens:
        prompt += f" ({fmt.tokens(totals.cached_tokens)} cached)"
    completion = f"completion {fmt.tokens(totals.completion_tokens)}"
    if totals.reasoning_tokens:
        completion += f" ({fmt.tokens(totals.reasoning_tokens)} reasoning)"
    return SEP.join((prompt, completion))


def _shares(shares: list[Share]) -> str:
    return SEP.join(
        f"{clean(share.name) or fmt.MISSING} {_money(share.true_spend)} ({share.count:,})"
        for share in shares
    )


def totals_text(totals: Totals) -> str:
    """A few aligned lines under a ``totals of N lookups`` heading."""
    rows = [("outcomes", outcome_counts(totals))]
    if totals.records:
        rows += [("cost", _cost(totals)), ("tokens", _tokens(totals))]
        rows.append(("top models", _shares(totals.top_models())))
        rows.append(("top providers", _shares(totals.top_providers())))
        if totals.slowest is not None:
            slowest = totals.slowest
            took = fmt.duration_ms(slowest.total_time_ms)
            rows.append(("slowest", f"{clean(slowest.gen_id)} {took} (latency + generation)"))
    noun = "lookup" if totals.lookups == 1 else "lookups"
    heading = f"totals of {totals.lookups:,} {noun}"
    return "\n".join([heading, *(f"  {name:<14} {value}" for name, value in rows)])


def totals_json(totals: Totals) -> str:
    """The totals line of ``--json`` output: ``{"totals": {...}}``."""
    from inspector.cli.output import json_line

    return json_line({"totals": totals.as_dict()})
