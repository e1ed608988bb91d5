"""Hostile values: a successful lookup is kept whatever odd values its record holds.

Lone surrogates, integers past 2^63, NaN and Infinity, huge and denormal floats, 100 KB
strings and ids, deep nesting: each is stored and read back (the raw record exactly, the
columns as SQLite can hold them), or refused in one clear line; never an exception, and the
store stays available. Property-based tests feed arbitrary JSON-like records and ids.
"""

from __future__ import annotations

import io
import json
import math
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.infra.history import HistoryFailure, HistoryStore, HistorySuccess

INT64_MAX = 2**63 - 1
GEN = "gen-1790000000-"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "data" / "history.sqlite3", enabled=True) as opened:
        yield opened


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON text: NaN equals NaN, -0.0 differs from 0.0, key order counts."""
    return json.dumps(a) == json.dumps(b)


def kept(store: HistoryStore, gen_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Record ``raw``, read it back, check the store is fine; the stored raw record."""
    store.record_success(gen_id, raw)
    entry = store.get(gen_id)
    assert store.available and store.notices == [], store.unavailable_reason
    assert entry is not None and entry.outcome == "ok" and entry.has_record
    assert entry.raw is not None and same_json(entry.raw, raw)
    return entry.raw


# ---- each kind of value ---------------------------------------------------------------------


def test_lone_surrogates_are_kept_in_the_record_and_repaired_in_columns(store) -> None:
    raw = {"id": "x", "model": "open\ud800ai/gpt", "provider_name": "\udfffA", "k\udc80": "v"}
    kept(store, GEN + "surrogatesAAAAAAAAAA", raw)
    entry = store.get(GEN + "surrogatesAAAAAAAAAA")
    assert entry is not None and entry.model == "open\ufffdai/gpt"  # searchable, storable
    assert entry.provider == "\ufffdA" and store.search("open\ufffdai")[0].raw == entry.raw


def test_counts_past_2_63_are_kept_exactly_in_the_record(store) -> None:
    raw = {"native_tokens_prompt": 2**64 + 1, "tokens_completion": -(2**70), "n": 10**40}
    back = kept(store, GEN + "bigintsAAAAAAAAAAAAA", raw)
    assert back["native_tokens_prompt"] == 2**64 + 1 and back["n"] == 10**40
    entry = store.get(GEN + "bigintsAAAAAAAAAAAAA")
    assert entry is not None and entry.tokens_prompt is None  # no SQLite INTEGER holds it
    # Counts are read like the models read them (through a float), so test edges a float holds
    fits = {"native_tokens_prompt": 2**62, "tokens_completion": -(2**63)}
    kept(store, GEN + "edgeintsAAAAAAAAAAAA", fits)
    edge = store.get(GEN + "edgeintsAAAAAAAAAAAA")
    assert edge is not None and (edge.tokens_prompt, edge.tokens_completion) == (
        2**62,
        -(2**63),
    )


def test_nan_infinity_huge_and_denormal_floats(store) -> None:
    raw = {"total_cost": math.nan, "a": math.inf, "b": -math.inf, "c": 1e308, "d": 5e-324}
    back = kept(store, GEN + "floatsAAAAAAAAAAAAAA", raw)
    assert math.isnan(back["total_cost"]) and back["a"] == math.inf and back["d"] == 5e-324
    entry = store.get(GEN + "floatsAAAAAAAAAAAAAA")
    assert entry is not None and entry.total_cost is None
    kept(store, GEN + "hugecostAAAAAAAAAAAA", {"total_cost": 1.7976931348623157e308})
    huge = store.get(GEN + "hugecostAAAAAAAAAAAA")
    assert huge is not None and huge.total_cost == 1.7976931348623157e308


def test_the_jsonl_export_stays_strict_json(store) -> None:
    kept(store, GEN + "nanexportAAAAAAAAAAA", {"total_cost": math.nan, "x": [math.inf, 1.5]})
    out = io.StringIO()
    assert store.export(out, "jsonl") == 1

    def no_constants(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    assert json.loads(out.getvalue(), parse_constant=no_constants) == {
        "total_cost": None,
        "x": [None, 1.5],
    }


def test_100_kb_strings_and_a_100_kb_id(store) -> None:
    big = "é" * 100_000
    kept(store, GEN + "bigtextAAAAAAAAAAAAA", {"model": big, "content": "x" * 100_000})
    long_id = GEN + "A" * 100_000
    kept(store, long_id, {"model": "m"})
    assert store.count("a" * 50) == 1 and store.recent(limit=1)[0].gen_id == long_id
    store.record_failure(long_id, "error", 500, "m" * 100_000)
    entry = store.get(long_id)
    assert entry is not None and entry.lookup_count == 2 and len(entry.message or "") == 2000


def test_deep_nesting_is_recorded_with_a_clear_message(store) -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    gen_id = GEN + "deepAAAAAAAAAAAAAAAA"
    store.record_success(gen_id, {"model": "m", "nested": deep})
    entry = store.get(gen_id)
    assert store.available and entry is not None and entry.outcome == "ok"
    assert entry.raw is None and "could not be kept" in (entry.message or "")
    nearly = json.loads("[" * 900 + "]" * 900)  # as deep as the JSON reader accepts
    kept(store, GEN + "nearlydeepAAAAAAAAAA", {"nested": nearly})


@pytest.mark.parametrize(
    "created",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00Z", 1e300],
)
def test_creation_times_at_the_edges_of_the_calendar(store, created: Any) -> None:
    kept(store, GEN + "calendarAAAAAAAAAAAA", {"created_at": created})
    entry = store.get(GEN + "calendarAAAAAAAAAAAA")
    assert entry is not None and store.recent()[0].gen_id == entry.gen_id


def test_odd_failure_values(store) -> None:
    store.record_failure(GEN + "oddfailAAAAAAAAAAAAA", "error", 2**80, "\ud800 bad\x00")
    store.record_many([HistoryFailure(GEN + "oddfailAAAAAAAAAAAAA", "\ud800", True, None)])
    entry = store.get(GEN + "oddfailAAAAAAAAAAAAA")
    assert store.available and entry is not None
    assert (entry.outcome, entry.status, entry.lookup_count) == ("error", None, 2)


# ---- property-based -------------------------------------------------------------------------

CHARS = st.characters(exclude_categories=()) | st.characters(categories=["Cs"])
TEXT = st.text(CHARS, max_size=40) | st.sampled_from(["", " ", "\x00", "\x1b[2J", "…", '"'])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.sampled_from([math.nan, math.inf, -math.inf, 1e308, 5e-324, -0.0, 2.0**63])
    | TEXT
)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
)
TIMES = st.datetimes().map(lambda d: d.isoformat() + st_offset(d))
FIELDS = {
    "model": JSON,
    "provider_name": JSON,
    "total_cost": JSON,
    "native_tokens_prompt": JSON,
    "tokens_prompt": JSON,
    "native_tokens_completion": JSON,
    "tokens_completion": JSON,
    "created_at": JSON | TIMES,
}
RECORDS = st.builds(
    lambda known, extra: {**known, **extra},
    st.fixed_dictionaries({}, optional=FIELDS),
    st.dictionaries(TEXT, JSON, max_size=5),
)


def st_offset(moment: Any) -> str:
    """A zone suffix that, on the first or last day of the calendar, leaves it."""
    return "+14:00" if moment.year == 1 else "-12:00" if moment.year == 9999 else "Z"


@pytest.fixture(scope="module")
def shared_store() -> Iterator[HistoryStore]:
    """One store for every example (hypothesis runs many in one test)."""
    with (
        tempfile.TemporaryDirectory(prefix="history-hostile-") as tmp,
        HistoryStore(Path(tmp) / "history.sqlite3", enabled=True) as opened,
    ):
        yield opened


SERIAL = count()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(raw=RECORDS)
def test_any_json_like_record_is_kept_and_read_back(shared_store, raw) -> None:
    gen_id = f"{GEN}prop{next(SERIAL):016d}"
    kept(shared_store, gen_id, raw)
    entry = shared_store.get(gen_id)
    assert entry is not None
    for number in (entry.total_cost,):
        assert number is None or math.isfinite(number)
    for tokens in (entry.tokens_prompt, entry.tokens_completion):
        assert tokens is None or -(2**63) <= tokens <= INT64_MAX


@PROPERTY
@given(gen_id=TEXT | st.text(CHARS, min_size=1, max_size=300), raw=RECORDS, ok=st.booleans())
def test_any_id_is_recorded_or_ignored_never_an_error(shared_store, gen_id, raw, ok) -> None:
    item = HistorySuccess(gen_id, raw) if ok else HistoryFailure(gen_id, "pending", 404, gen_id)
    written = shared_store.record_many([item])
    assert shared_store.available, shared_store.unavailable_reason
    entry = shared_store.get(gen_id)
    assert (entry is not None) is (written == 1)
    assert written == (1 if gen_id.strip().strip("\"'`").strip() else 0)
    if entry is not None:
        assert entry.gen_id.encode("utf-8")  # text that can be printed or encoded
        assert shared_store.search(gen_id, limit=1) is not None
