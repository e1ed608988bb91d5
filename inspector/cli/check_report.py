"""The report of ``orinspect check``: text, one JSON object, or GitHub Actions annotations.

The results (:class:`inspector.app.checks.Result`) carry every value, limit and text; this
module only lays them out.

GitHub reads a line ``::error title=T::MESSAGE`` from a job's output as an annotation. In
the message ``%``, CR and LF are written ``%25``, ``%0D`` and ``%0A``; in a property (the
title) ``:`` and ``,`` are also escaped (``%3A``, ``%2C``), as GitHub's own toolkit does.
Text from the API is made terminal-safe first (:func:`inspector.cli.output.safe`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.cli.output import json_line, safe

if TYPE_CHECKING:
    from inspector.app.checks import Result
    from inspector.app.lookup import Failed

__all__ = ["as_json", "as_text", "escape_data", "escape_property", "github"]

_SIGN = {"max-cost": "≤", "max-total-cost": "≤", "max-latency": "≤", "min-cache-rate": "≥"}
_WHAT = {
    "max-cost": "cost",
    "max-total-cost": "total cost",
    "max-latency": "latency",
    "no-fallback": "routing",
    "min-cache-rate": "cache rate",
}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``title=…``), escaped as GitHub reads it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _limit(result: Result) -> str:
    sign = _SIGN.get(result.name)
    return f"{sign} {result.limit_text}" if sign else result.limit_text


def _summary(results: list[Result], records: int, lookups_failed: int) -> str:
    failing = sum(not r.holds for r in results)
    noun = "generation" if records == 1 else "generations"
    parts = [f"{records:,} {noun} checked"]
    if lookups_failed:
        parts.append(f"{lookups_failed:,} could not be looked up")
    if not results:
        parts.append("no assertion given")
    elif failing:
        parts.append(f"{failing} of {len(results)} assertions failed")
    else:
        parts.append(f"all {len(results)} assertions hold")
    return ", ".join(parts)


def as_text(results: list[Result], records: int, lookups_failed: int) -> str:
    """``pass  max-cost  ≤ $0.01  worst $0.004`` per assertion, each failing generation
    under its assertion, and a result line."""
    lines = []
    for result in results:
        word = "pass" if result.holds else "FAIL"
        label = "total" if result.name == "max-total-cost" else "worst"
        lines.append(f"{word}  {result.name:<15} {_limit(result):<14} {label} {result.value_text}")
        lines.extend(f"        {safe(v.gen_id)}  {v.text}" for v in result.failures)
    failed = lookups_failed or any(not r.holds for r in results)
    lines.append(
        f"result: {'FAIL' if failed else 'pass'} ({_summary(results, records, lookups_failed)})"
    )
    return "\n".join(lines)


def as_json(results: list[Result], records: int, failed: list[Failed], code: int) -> str:
    """One object: ``result`` (pass, fail or error: a lookup failed), ``exit_code``,
    ``generations`` (records checked), ``assertions`` (name, limit, unit, value, result,
    and each generation's value and result) and ``failed_lookups``."""
    if failed:
        verdict = "error"
    elif any(not r.holds for r in results):
        verdict = "fail"
    else:
        verdict = "pass"
    return json_line(
        {
            "result": verdict,
            "exit_code": code,
            "generations": records,
            "assertions": [result.as_dict() for result in results],
            "failed_lookups": [
                {"id": o.gen_id, "error": o.error.summary, "status": o.error.status} for o in failed
            ],
        }
    )


def github(results: list[Result], lookup_failures: list[str], records: int) -> list[str]:
    """``::error`` per failing generation (or total), per failed lookup; a ``::notice``
    with the summary."""
    lines = [
        f"::error title={escape_property('orinspect check: lookup failed')}::"
        f"{escape_data(safe(text))}"
        for text in lookup_failures
    ]
    for result in results:
        if result.holds:
            continue
        title = escape_property(f"orinspect check: {result.name}")
        what = _WHAT[result.name]
        if result.name == "max-total-cost":
            message = f"{what} {result.value_text}, limit {_limit(result)}"
            lines.append(f"::error title={title}::{escape_data(safe(message))}")
            continue
        for verdict in result.failures:
            message = f"{verdict.gen_id}: {what} {verdict.text}, limit {_limit(result)}"
            lines.append(f"::error title={title}::{escape_data(safe(message))}")
    summary = _summary(results, records, len(lookup_failures))
    lines.append(f"::notice title={escape_property('orinspect check')}::{escape_data(summary)}")
    return lines
