"""How figures read: money, token counts, durations, ages, local times. Pure functions.

Every function accepts ``None`` for a value the record does not have and returns
:data:`MISSING` ("—") for it, so callers never special-case absent fields.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

__all__ = [
    "MINUS",
    "MISSING",
    "age",
    "align_on_point",
    "countdown",
    "duration_ms",
    "local_time",
    "money",
    "number",
    "per_million",
    "percent",
    "relative_age",
    "throughput",
    "tokens",
]

MISSING = "—"
MINUS = "−"  # U+2212, the typographic minus: lines up with "$" better than "-"


def _trim(text: str, keep: int = 2) -> str:
    """Drop trailing zeros of a fixed-point number, keeping at least ``keep`` decimals."""
    if "." not in text:
        return text
    head, tail = text.split(".")
    tail = tail.rstrip("0")
    tail = tail + "0" * (keep - len(tail)) if len(tail) < keep else tail
    return f"{head}.{tail}" if tail else head


def money(value: float | None, *, precise: bool = True) -> str:
    """US dollars: ``$0.0097364`` (precise, every digit the API sent up to 10 decimals) or
    ``$0.0097`` (compact, for lists). Negative amounts read ``−$0.0147``."""
    if value is None or not math.isfinite(value):
        return MISSING
    sign = MINUS if value < 0 else ""
    amount = abs(value)
    if precise:
        body = _trim(f"{amount:.10f}")
    elif amount == 0 or amount >= 1:
        body = f"{amount:,.2f}"
    else:
        decimals = max(4, -math.floor(math.log10(amount)) + 1)
        body = _trim(f"{amount:.{decimals}f}")
    return f"{sign}${body}"


def per_million(value: float | None) -> str:
    """A price per million tokens: ``$0.53 / M tok`` (more digits when it is tiny)."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{money(value, precise=False)} / M tok"


def tokens(value: int | None) -> str:
    """A token count with thousands separators: ``18,432``."""
    if value is None:
        return MISSING
    return f"{value:,}"


def number(value: float | None, digits: int = 6) -> str:
    """A derived number as plain text for copying: ``73.4698`` (``digits`` significant)."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.{digits}g}"


def percent(ratio: float | None) -> str:
    """A share as a whole percentage, ``89 %``; below 1 % but above 0 reads ``<1 %``."""
    if ratio is None or not math.isfinite(ratio):
        return MISSING
    pct = ratio * 100
    if 0 < pct < 1:
        return "<1 %"
    return f"{round(pct)} %"


def duration_ms(value: float | None) -> str:
    """Milliseconds as people read them: ``538 ms``, ``1.87 s``, ``14.2 s``, ``2 min 05 s``."""
    if value is None or not math.isfinite(value):
        return MISSING
    sign = MINUS if value < 0 else ""
    ms = abs(value)
    if ms < 999.5:
        return f"{sign}{ms:.0f} ms"
    seconds = ms / 1000
    if seconds < 59.995:
        return f"{sign}{seconds:.2f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{sign}{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours} h {minutes:02d} min"


def countdown(seconds: float | None) -> str:
    """A wait still to come, rounded up: ``4 s``, ``1 min 30 s``; ``now`` when it is over."""
    if seconds is None or not math.isfinite(seconds):
        return MISSING
    whole = math.ceil(seconds - 1e-9)
    if whole <= 0:
        return "now"
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"


def age(seconds: float | None) -> str:
    """How old something is, without "ago": ``12 s``, ``3 min``, ``2 h``, ``36 days``."""
    if seconds is None or not math.isfinite(seconds):
        return MISSING
    secs = max(seconds, 0.0)
    if secs < 60:
        return f"{int(secs)} s"
    if secs < 3600:
        return f"{int(secs // 60)} min"
    if secs < 86400:
        return f"{int(secs // 3600)} h"
    days = int(secs // 86400)
    if days < 365:
        return f"{days} day" if days == 1 else f"{days} days"
    years = secs / (365.25 * 86400)
    return f"{years:.1f} years"


def relative_age(seconds: float | None) -> str:
    """Time since something happened: ``just now``, ``3 min ago``, ``yesterday``,
    ``36 days ago``; a time in the future (clock skew) reads ``in 3 min``."""
    if seconds is None or not math.isfinite(seconds):
        return MISSING
    if seconds < -5:
        return f"in {age(-seconds)}"
    if seconds < 5:
        return "just now"
    if 86400 <= seconds < 2 * 86400:
        return "yesterday"
    return f"{age(seconds)} ago"


def local_time(when: datetime | None, *, seconds: bool = False, zone: bool = False) -> str:
    """A moment in the local time zone: ``20 Oct 2026 16:07`` (``16:07:42`` with seconds;
    ``16:07 CEST`` with the zone's name, or its UTC offset when it has none)."""
    if when is None:
        return MISSING
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    local = aware.astimezone()
    pattern = "%d %b %Y %H:%M:%S" if seconds else "%d %b %Y %H:%M"
    text = local.strftime(pattern)
    if zone:
        name = local.strftime("%Z") or local.strftime("UTC%z")
        text = f"{text} {name}"
    return text


def throughput(tokens_per_second: float | None) -> str:
    """Generation speed: ``85 tok/s``, ``1,204 tok/s``, ``8.5 tok/s`` below ten."""
    if tokens_per_second is None or not math.isfinite(tokens_per_second):
        return MISSING
    if tokens_per_second < 10:
        return f"{tokens_per_second:.1f} tok/s"
    return f"{round(tokens_per_second):,} tok/s"


def align_on_point(amounts: list[str]) -> list[str]:
    """Amounts padded to one width, lined up on the decimal point (``$0.0004936`` over
    ``  $1.5``), so a column of them reads like a sum on paper."""
    heads = [text.partition(".")[0] for text in amounts]
    tails = [text.partition(".")[2] for text in amounts]
    head_width = max((len(h) for h in heads), default=0)
    tail_width = max((len(t) for t in tails), default=0)
    lines = []
    for head, tail, text in zip(heads, tails, amounts, strict=True):
        point = "." if "." in text else " " if tail_width else ""
        lines.append(f"{head:>{head_width}}{point}{tail:<{tail_width}}")
    return lines
