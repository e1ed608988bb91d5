"""The words of a batch, for both front-ends: how far it is, and how its lookups ended.

The command line's progress bar and status line and the TUI's batch view say the same
things in the same words, from the same figures (:class:`~inspector.app.batch.Progress`,
:class:`~inspector.app.totals.Totals`); only the layout around them differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.core import formatting as fmt

if TYPE_CHECKING:
    from inspector.app.batch import Progress
    from inspector.app.totals import Totals

__all__ = ["OUTCOME_WORDS", "SEP", "outcome_counts", "outcome_word", "progress_text"]

SEP = " · "
OUTCOME_WORDS = {"ok": "ok", "pending": "pending", "not_found": "not found", "error": "failed"}
"""The history's outcome names (:func:`inspector.app.recording.outcome_name`) in words."""


def outcome_word(outcome: str) -> str:
    """``not_found`` -> ``not found`` (an unknown name is shown as it is)."""
    return OUTCOME_WORDS.get(outcome, outcome)


def outcome_counts(totals: Totals) -> str:
    """``10 ok · 1 pending · 1 not found`` (the outcomes that occurred), ``none`` before any."""
    counts = [
        f"{totals.counts[name]:,} {word}"
        for name, word in OUTCOME_WORDS.items()
        if totals.counts[name]
    ]
    return SEP.join(counts) or "none"


def progress_text(progress: Progress) -> str:
    """``ok 12 · pending 1 · failed 0 · 35.2/s · ETA 4 s`` (``paused 2 s`` on a 429)."""
    parts = [f"ok {progress.ok:,}", f"pending {progress.pending:,}", f"failed {progress.failed:,}"]
    if progress.rate is not None:
        parts.append(f"{progress.rate:,.1f}/s")
    if progress.paused_for > 0:
        parts.append(f"rate limited, paused {fmt.countdown(progress.paused_for)}")
    elif progress.eta is not None and progress.done < progress.total:
        parts.append(f"ETA {fmt.countdown(progress.eta)}")
    return SEP.join(parts)
