"""What the command line prints: one-line errors and notes, wait announcements, summaries.

Everything that comes from the API goes through :func:`safe` (control characters and
escape sequences shown as visible text, never sent raw to the terminal). JSON output keeps
the data exactly, but escapes the characters a terminal could act on.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

from inspector.cli import exitcodes
from inspector.core.textsafe import clean

if TYPE_CHECKING:
    from datetime import datetime

    from inspector.core.errors import InspectorError
    from inspector.core.models import Generation
    from inspector.core.retry import RetryDecision
    from inspector.infra.client import FetchResult

PROG = "orinspect"
# Characters json.dumps(ensure_ascii=False) lets through that a terminal may act on or that
# cannot be encoded: DEL, C1 controls, bidi controls, line separators, lone surrogates.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def safe(value: object) -> str:
    """A value on one line, with every control character shown as visible escape text."""
    return clean(value)


def _emit(stream: TextIO, line: str) -> None:
    try:
        stream.write(line + "\n")
        stream.flush()
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        raise SystemExit(exitcodes.OK) from None


def print_error(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr: ``orinspect: error: …``."""
    _emit(stream or sys.stderr, f"{PROG}: error: {safe(message)}")


def print_note(message: str, stream: TextIO | None = None) -> None:
    """One informational line on stderr (warnings about odd ids, history notices)."""
    _emit(stream or sys.stderr, f"{PROG}: note: {safe(message)}")


def print_wait(decision: RetryDecision, prefix: str = "", stream: TextIO | None = None) -> None:
    """One line on stderr announcing a wait, before it starts."""
    _emit(stream or sys.stderr, f"{prefix}{wait_line(decision)}")


def print_line(text: str, stream: TextIO | None = None) -> None:
    """A line of normal output (stdout by default)."""
    _emit(stream or sys.stdout, text)


# ---- JSON ------------------------------------------------------------------------------


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_line(raw: dict[str, Any]) -> str:
    """The ``data`` object as received, compact, on one line, terminal-safe.

    Key order, unknown keys and value types are kept; characters a terminal could act on
    (they can only occur inside JSON strings) are written as ``\\uXXXX`` escapes.
    """
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(_escape_unsafe, text)


# ---- waits and failures ------------------------------------------------------------------


def wait_line(decision: RetryDecision) -> str:
    """``retrying in 2.0 s (attempt 2 of 5): Rate limited (429): Rate limit exceeded``."""
    return safe(decision.describe())


def exit_code_for(error: InspectorError) -> int:
    """The documented exit code for a final failure."""
    from inspector.core import errors

    if isinstance(error, errors.MalformedIdError | errors.ConfigError):
        return exitcodes.USAGE
    if isinstance(error, errors.AuthError):
        return exitcodes.AUTH
    if isinstance(error, errors.NotFoundError | errors.PendingError):
        return exitcodes.NOT_FOUND
    if isinstance(error, errors.NetworkError):
        return exitcodes.NETWORK
    return exitcodes.API_ERROR


def failure_line(
    gen_id: str,
    error: InspectorError,
    attempts: int,
    *,
    id_age: float | None = None,
    key_source: str | None = None,
) -> str:
    """The one line printed for a final failure: status, meaning, and what to do."""
    from inspector.core import errors
    from inspector.core import formatting as fmt

    text = error.summary
    if isinstance(error, errors.NetworkError):
        text = f"network error ({error.kind}): {text}"
    hint = ""
    if isinstance(error, errors.AuthError):
        where = f" (key from {key_source})" if key_source else ""
        hint = f" — OpenRouter did not accept the key{where}: it may be revoked or mistyped"
    elif isinstance(error, errors.NotFoundError):
        age = f"created {fmt.relative_age(id_age)}; " if id_age is not None else ""
        hint = (
            f" — {age}no record for this key: it may belong to another account, come from a "
            "request that failed, or have a mistyped character"
        )
    elif isinstance(error, errors.PendingError):
        hint = (
            f" — still not indexed after {attempts} checks; "
            "it may appear later: try again in a few minutes"
        )
    elif isinstance(error, errors.ForbiddenError):
        hint = " — this generation belongs to another account"
    elif isinstance(error, errors.PaymentError):
        hint = " — the account's balance is negative: add credits"
    if attempts > 1 and not isinstance(error, errors.PendingError):
        hint += f" (gave up after {attempts} attempts)"
    return safe(f"{gen_id}: {text}{hint}")


# ---- the readable summary ----------------------------------------------------------------


def _provider(gen: Generation) -> str:
    served = gen.served_by
    name = gen.provider_name or (served.provider_name if served else None)
    parts = [safe(name) if name else "—"]
    responses = gen.provider_responses
    if responses and served is None:
        parts.append(f"no provider answered ({len(responses)} attempted)")
    elif gen.fallback_count:
        failed = [
            f"{safe(r.provider_name or '?')} {r.status if r.status is not None else '—'}"
            for r in responses[: min(gen.fallback_count, 5)]
        ]
        more = f", … {gen.fallback_count - 5} more" if gen.fallback_count > 5 else ""
        noun = "fallback" if gen.fallback_count == 1 else "fallbacks"
        parts.append(f"after {gen.fallback_count} {noun}: {', '.join(failed)}{more}")
    return " · ".join(parts)


def _outcome(gen: Generation) -> str:
    finish = safe(gen.finish_reason) if gen.finish_reason else "—"
    if gen.native_finish_reason and gen.native_finish_reason != gen.finish_reason:
        finish += f" (native: {safe(gen.native_finish_reason)})"
    flags = [
        label
        for label, on in (
            ("streamed", gen.streamed),
            ("cancelled", gen.cancelled),
            ("BYOK", gen.is_byok),
            ("response cache hit", gen.response_cache_hit),
        )
        if on
    ]
    return " · ".join([finish, *flags])


def _timing(gen: Generation) -> str:
    from inspector.core import formatting as fmt

    parts = [
        f"latency {fmt.duration_ms(gen.latency)}",
        f"generation {fmt.duration_ms(gen.generation_time)}",
    ]
    if gen.throughput is not None:
        parts.append(fmt.throughput(gen.throughput))
    return " · ".join(parts)


def _created(gen: Generation, now: datetime | None) -> str:
    from inspector.core import formatting as fmt

    if gen.created_at is None:
        return "—"
    return f"{fmt.local_time(gen.created_at)} ({fmt.relative_age(gen.age_seconds(now))})"


def summary_text(result: FetchResult, now: datetime | None = None) -> str:
    """A few aligned lines: model, provider, created, outcome, cost, tokens, timing."""
    from inspector.app import summary  # the cost and token lines are the shared summary's

    gen = result.generation
    model = safe(gen.model) if gen.model else "—"
    if gen.api_type:
        model += f" · {safe(gen.api_type)}"
    rows = [
        ("model", model),
        ("provider", _provider(gen)),
        ("created", _created(gen, now)),
        ("finish", _outcome(gen)),
        ("cost", summary.cost_line(gen)),
        ("tokens", summary.token_line(gen)),
        ("timing", _timing(gen)),
    ]
    if gen.response_cache_source_id:
        rows.append(("cached from", safe(gen.response_cache_source_id)))
    other = sorted(gen.other_fields)
    if other:
        rows.append(("other fields", ", ".join(safe(k) for k in other)))
    title = safe(gen.id or result.raw.get("id") or "?")
    return "\n".join([title, *(f"  {name:<12} {value}" for name, value in rows)])
