"""formatting: how figures read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from inspector.core import formatting as fmt


@pytest.mark.parametrize(
    ("value", "precise", "expected"),
    [
        (0.0097364, True, "$0.0097364"),
        (0.0147456, True, "$0.0147456"),
        (-0.0147456, True, "−$0.0147456"),
        (0.5, True, "$0.50"),
        (0, True, "$0.00"),
        (12.3456789, True, "$12.3456789"),
        (1e-05, True, "$0.00001"),
        (0.0097364, False, "$0.0097"),
        (-0.0147456, False, "−$0.0147"),
        (0.0005584, False, "$0.00056"),
        (0.5, False, "$0.50"),
        (1234.5, False, "$1,234.50"),
        (0, False, "$0.00"),
        (None, True, "—"),
        (float("nan"), True, "—"),
    ],
)
def test_money(value: float | None, precise: bool, expected: str) -> None:
    assert fmt.money(value, precise=precise) == expected


def test_tokens_numbers_percent_per_million_throughput() -> None:
    assert fmt.tokens(18432) == "18,432"
    assert fmt.tokens(0) == "0"
    assert fmt.tokens(None) == "—"
    assert fmt.number(73.46982) == "73.4698"
    assert fmt.percent(0.8889) == "89 %"
    assert fmt.percent(0.001) == "<1 %"
    assert fmt.percent(0) == "0 %"
    assert fmt.per_million(0.4957) == "$0.4957 / M tok"
    assert fmt.throughput(85.2) == "85 tok/s"
    assert fmt.throughput(1204.4) == "1,204 tok/s"
    assert fmt.throughput(8.54) == "8.5 tok/s"
    assert fmt.throughput(None) == "—"


@pytest.mark.parametrize(
    ("ms", "expected"),
    [
        (538, "538 ms"),
        (0, "0 ms"),
        (999.6, "1.00 s"),
        (59_999, "1 min 00 s"),
        (1874, "1.87 s"),
        (14210, "14.21 s"),
        (125_000, "2 min 05 s"),
        (912_000, "15 min 12 s"),
        (7_200_000, "2 h 00 min"),
        (None, "—"),
    ],
)
def test_duration_ms(ms: float | None, expected: str) -> None:
    assert fmt.duration_ms(ms) == expected


def test_countdown_rounds_up_and_ends_at_now() -> None:
    assert fmt.countdown(4.2) == "5 s"
    assert fmt.countdown(4.0) == "4 s"
    assert fmt.countdown(0.01) == "1 s"
    assert fmt.countdown(0) == "now"
    assert fmt.countdown(-3) == "now"
    assert fmt.countdown(90) == "1 min 30 s"
    assert fmt.countdown(120) == "2 min"


@pytest.mark.parametrize(
    ("seconds", "age", "relative"),
    [
        (2, "2 s", "just now"),
        (12, "12 s", "12 s ago"),
        (180, "3 min", "3 min ago"),
        (7200, "2 h", "2 h ago"),
        (90_000, "1 day", "yesterday"),
        (36 * 86400, "36 days", "36 days ago"),
        (800 * 86400, "2.2 years", "2.2 years ago"),
    ],
)
def test_age_and_relative_age(seconds: float, age: str, relative: str) -> None:
    assert fmt.age(seconds) == age
    assert fmt.relative_age(seconds) == relative


def test_relative_age_in_the_future_and_missing() -> None:
    assert fmt.relative_age(-600) == "in 10 min"
    assert fmt.relative_age(None) == "—"


def test_local_time_uses_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime(2026, 10, 20, 14, 7, 42, tzinfo=UTC)
    local = when.astimezone()
    assert fmt.local_time(when) == local.strftime("%d %b %Y %H:%M")
    assert fmt.local_time(when, seconds=True).endswith(local.strftime("%H:%M:%S"))
    naive = datetime(2026, 10, 20, 14, 7, 42)
    assert fmt.local_time(naive) == fmt.local_time(naive.replace(tzinfo=UTC))
    other = when.astimezone(timezone(timedelta(hours=5)))
    assert fmt.local_time(other) == fmt.local_time(when)
    assert fmt.local_time(None) == "—"
