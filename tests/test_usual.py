"""How a generation compares: usual figures from history, live provider figures, badges."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from bill_support import KIMI, sample
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.models import Generation
from inspector.core.usual import (
    BADGE_CODES,
    MIN_HISTORY,
    Attempt,
    Current,
    Sample,
    compare,
    current_from,
    quantile,
    sample_from,
    stats,
    usual,
)

FIREWORKS = next(e for e in KIMI.endpoints if e.provider_name == "Fireworks")
FALLBACK = Generation.from_api(sample("generation-fallback")["data"])
CACHED = Generation.from_api(sample("generation-streamed-reasoning-cached")["data"])


def _past(
    n: int,
    *,
    latency_ms: float | None = None,
    throughput: float | None = None,
    price_per_million: float | None = None,
) -> list[Sample]:
    """``n`` past samples with the given figures, spread by ±2 % so percentiles are real."""

    def spread(value: float | None, i: int) -> float | None:
        return None if value is None else value * (0.98 + 0.04 * i / max(n - 1, 1))

    return [
        Sample(
            id=f"gen-{i}",
            latency_ms=spread(latency_ms, i),
            throughput=spread(throughput, i),
            price_per_million=spread(price_per_million, i),
        )
        for i in range(n)
    ]


def _current(
    *,
    latency_ms: float | None = None,
    throughput: float | None = None,
    price_per_million: float | None = None,
) -> Current:
    return Current(
        Sample("gen-now", latency_ms, throughput, price_per_million),
        model="moonshotai/kimi-k2-0905",
        provider_name="Fireworks",
    )


# ---- percentiles --------------------------------------------------------------------------


def test_quantile_interpolates_between_ranks() -> None:
    values = [float(v) for v in range(10, 0, -1)]
    assert quantile(values, 0.5) == 5.5
    assert quantile(values, 0.9) == pytest.approx(9.1)
    assert quantile(values, 0.1) == pytest.approx(1.9)
    assert quantile([4.0], 0.9) == 4.0
    assert quantile([], 0.5) is None
    assert quantile([1.0, math.nan, math.inf, 3.0], 0.5) == 2.0


def test_stats_and_usual_leave_out_missing_figures_and_the_current_record() -> None:
    found = stats([1.0, None, 3.0, math.nan])
    assert (found.count, found.median) == (2, 2.0)
    history = [*_past(5, latency_ms=1000), Sample(id="gen-now", latency_ms=50_000)]
    summary = usual(history, exclude_id="gen-now")
    assert summary.samples == 5 and summary.latency.count == 5
    assert summary.latency.median == pytest.approx(1000)
    assert summary.throughput.count == 0 and summary.throughput.median is None


def test_samples_read_the_generations_own_derived_figures() -> None:
    now = sample_from(CACHED)
    assert now.id == CACHED.id and now.latency_ms == 1874
    assert now.throughput == CACHED.throughput
    assert now.price_per_million == CACHED.cost_per_million_tokens
    assert (now.prompt_tokens, now.cached_tokens) == (18432, 16384)
    current = current_from(FALLBACK)
    assert current.fallbacks == 2 and current.provider_name == "Fireworks"
    assert [a.provider_name for a in current.attempts] == ["Chutes", "Together", "Fireworks"]
    assert current.session_id is None
    assert sample_from(object()) == Sample()


# ---- badges -------------------------------------------------------------------------------


def test_slow_against_usual_latency() -> None:
    result = compare(_current(latency_ms=3000), _past(6, latency_ms=1000))
    assert result.codes == ("slow",)
    badge = result.badges[0]
    assert badge.samples == 6
    assert badge.compared_with == "your 6 past generations of moonshotai/kimi-k2-0905 at Fireworks"
    assert badge.text.startswith("slow against usual: 3.00 s to first token; usual 1.00 s (median)")
    assert badge.text.endswith(
        "over your 6 past generations of moonshotai/kimi-k2-0905 at Fireworks"
    )


def test_slow_against_usual_throughput_and_not_when_usual() -> None:
    slow = compare(_current(throughput=20.0), _past(5, throughput=70.0))
    assert (
        slow.codes == ("slow",) and "20 tok/s; usual 70 tok/s (median), p10" in slow.badges[0].text
    )
    fine = compare(
        _current(latency_ms=1000, throughput=70.0), _past(8, latency_ms=1000, throughput=70)
    )
    assert fine.badges == () and fine.notes == ()


def test_costly_against_usual() -> None:
    result = compare(_current(price_per_million=2.5), _past(5, price_per_million=1.0))
    assert result.codes == ("costly",)
    assert (
        "costly against usual: $2.50 / M tok; usual $1.00 / M tok (median)" in result.badges[0].text
    )


def test_no_history_badge_without_enough_history_and_it_says_how_much() -> None:
    result = compare(
        _current(latency_ms=9000, price_per_million=9.0),
        _past(MIN_HISTORY - 1, latency_ms=1000, price_per_million=1.0),
    )
    assert result.badges == ()
    assert [n.code for n in result.notes] == ["needs_more_history"]
    assert "need 5 past generations" in result.notes[0].text
    assert "so far: latency 4, price 4" in result.notes[0].text
    # the current record never counts as its own history
    again = compare(_current(latency_ms=9000), [*_past(4, latency_ms=1000), Sample(id="gen-now")])
    assert again.badges == () and "latency 4" in again.notes[0].text


def test_slow_now_against_the_providers_last_30_minutes() -> None:
    latency = compare(_current(latency_ms=2614), live=FIREWORKS)  # Fireworks p90: 1178 ms
    assert latency.codes == ("slow_now",)
    badge = latency.badges[0]
    assert badge.samples is None
    assert "2.61 s to first token against 1.18 s at p90" in badge.text
    assert badge.compared_with == "Fireworks over the last 30 minutes (OpenRouter's p90)"
    speed = compare(_current(throughput=40.0), live=FIREWORKS)  # slow tail p90: 52.3 tok/s
    assert speed.codes == ("slow_now",) and "40 tok/s against 52 tok/s" in speed.badges[0].text
    assert compare(_current(latency_ms=600, throughput=80.0), live=FIREWORKS).badges == ()
    no_figures = replace(FIREWORKS, latency_last_30m=None, throughput_last_30m=None)
    assert compare(_current(latency_ms=99_999), live=no_figures).badges == ()


def test_fell_back() -> None:
    result = compare(current_from(FALLBACK))
    assert "fell_back" in result.codes
    badge = next(b for b in result.badges if b.code == "fell_back")
    assert (
        badge.text
        == "fell back: 2 providers failed before Fireworks served (Chutes 429, Together 502)"
    )
    assert badge.samples == 3 and badge.compared_with == "this record's provider attempts"
    assert compare(current_from(CACHED)).badges == ()


def _session(*cached: int) -> list[Sample]:
    return [
        Sample(id=f"gen-s{i}", prompt_tokens=4000, cached_tokens=c) for i, c in enumerate(cached)
    ]


def test_cache_never_hit_within_the_session() -> None:
    current = replace(current_from(FALLBACK), session_id="agent-run-7f3a9c")
    never = compare(current, session=_session(0, 0))  # + the current record: 3 generations
    assert "cache_never_hit" in never.codes
    badge = next(b for b in never.badges if b.code == "cache_never_hit")
    assert badge.samples == 3
    assert badge.text == (
        "cache never hit within this session: no cached prompt tokens in the 3 generations "
        "of session agent-run-7f3a9c"
    )
    assert "cache_never_hit" not in compare(current, session=_session(0, 2048)).codes
    short = compare(current, session=_session(0))
    assert "cache_never_hit" not in short.codes
    assert any(
        "needs 3 generations in session agent-run-7f3a9c; so far: 2" in n.text for n in short.notes
    )
    # no session id: no session badge, whatever is passed
    assert "cache_never_hit" not in compare(current_from(FALLBACK), session=_session(0, 0, 0)).codes


def test_routed_to_another_service_tier() -> None:
    attempts = (Attempt("OpenAI", 200, "flex"),)
    current = replace(_current(), service_tier="priority", attempts=attempts)
    result = compare(current)
    assert result.codes == ("other_tier",)
    assert (
        result.badges[0].text == "routed to another service tier: flex (the record says priority)"
    )
    same = replace(current, attempts=(Attempt("OpenAI", 200, "Priority"),))
    assert compare(same).badges == ()
    failed_only = replace(current, attempts=(Attempt("OpenAI", 500, "flex"),))
    assert compare(failed_only).badges == ()


def test_every_badge_code_is_produced_and_serialises() -> None:
    current = Current(
        Sample(id="gen-now", latency_ms=5000, price_per_million=9.0, prompt_tokens=100),
        model="m",
        provider_name="Fireworks",
        service_tier="priority",
        session_id="s",
        attempts=(Attempt("Chutes", 429), Attempt("Fireworks", 200, "flex")),
        fallbacks=1,
    )
    result = compare(
        current,
        _past(5, latency_ms=1000, price_per_million=1.0),
        session=_session(0, 0),
        live=FIREWORKS,
    )
    assert sorted(result.codes) == sorted(BADGE_CODES)
    payload = json.loads(json.dumps(result.to_json(), allow_nan=False))
    assert [set(b) for b in payload] == [{"code", "text", "compared_with", "samples"}] * 6


def test_text_from_the_api_is_made_safe() -> None:
    current = Current(
        Sample(),
        attempts=(Attempt("Evil\x1b[2J", 500), Attempt("ok", 200)),
        fallbacks=1,
    )
    text = compare(current).badges[0].text
    assert "\x1b" not in text and "\\x1b" in text


_figure = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
_samples = st.builds(
    Sample,
    id=st.one_of(st.none(), st.sampled_from(["gen-now", "gen-1", "gen-2"])),
    latency_ms=_figure,
    throughput=_figure,
    price_per_million=_figure,
    prompt_tokens=st.one_of(st.none(), st.integers(0, 10**6)),
    cached_tokens=st.one_of(st.none(), st.integers(0, 10**6)),
)
_attempts = st.builds(
    Attempt,
    provider_name=st.one_of(st.none(), st.text(max_size=6)),
    status=st.one_of(st.none(), st.integers(-1, 600)),
    routed_service_tier=st.one_of(st.none(), st.sampled_from(["flex", "priority", ""])),
)


@settings(max_examples=300, deadline=None)
@given(
    now=_samples,
    history=st.lists(_samples, max_size=12),
    session=st.one_of(st.none(), st.lists(_samples, max_size=6)),
    attempts=st.lists(_attempts, max_size=4),
    fallbacks=st.integers(0, 4),
    tier=st.one_of(st.none(), st.sampled_from(["flex", "priority"])),
    session_id=st.one_of(st.none(), st.just("s")),
)
def test_any_figures_give_badges_with_enough_history(
    now: Sample,
    history: list[Sample],
    session: list[Sample] | None,
    attempts: list[Attempt],
    fallbacks: int,
    tier: str | None,
    session_id: str | None,
) -> None:
    current = Current(
        now, "m", "p", tier, session_id, tuple(attempts), min(fallbacks, len(attempts))
    )
    result = compare(current, history, session=session, live=FIREWORKS)
    for badge in result.badges:
        assert badge.code in BADGE_CODES and badge.text
        if badge.code in ("slow", "costly"):
            assert badge.samples is not None and badge.samples >= MIN_HISTORY
        if badge.code == "cache_never_hit":
            assert badge.samples is not None and badge.samples >= 3
    json.dumps(result.to_json(), allow_nan=False)
