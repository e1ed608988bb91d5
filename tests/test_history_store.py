"""HistoryStore: recording, reading, searching, exporting, disabled mode, what is never kept."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from history_support import (
    DATA,
    ERROR_SAMPLES,
    GENERATION_SAMPLES,
    files_containing,
    sample_raws,
    varied_raw,
)

from inspector.core.models import parse_error_body
from inspector.infra.history import HistoryEntry, HistoryStore
from inspector.infra.history import schema as history_schema
from inspector.infra.history import search as history_search
from inspector.infra.history.export import CSV_FIELDS
from inspector.testserver import TEST_KEY, catalog

T0 = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
USER_ID = json.loads((DATA / "error-402.json").read_text())["user_id"]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(path, enabled=True) as opened:
        yield opened


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# ---- creation --------------------------------------------------------------------------------


def test_nothing_is_created_before_the_first_write(path: Path) -> None:
    store = HistoryStore(path, enabled=True)
    assert store.recent() == [] and store.search("gen") == [] and store.count() == 0
    assert store.get(catalog.CHAT_ID) is None
    assert store.delete(catalog.CHAT_ID) is False and store.clear() == 0
    assert store.export(io.StringIO(), "csv") == 0
    assert not path.parent.exists()
    assert store.available and store.notices == []


def test_first_write_creates_owner_only_files_in_wal_mode(path: Path) -> None:
    store = HistoryStore(path, enabled=True)
    store.record_failure("gen-1790000000-aaaaaaaaaaaaaaaaaaaa", "pending", 404, "not yet")
    assert mode(path.parent) == 0o700
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["history.sqlite3", "history.sqlite3-shm", "history.sqlite3-wal"]
    assert all(mode(p) == 0o600 for p in path.parent.iterdir())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    store.close()


def test_default_path_comes_from_the_data_dir(data_dir: Path) -> None:
    store = HistoryStore(enabled=True)
    assert store.path == data_dir / "history.sqlite3"
    store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    assert (data_dir / "history.sqlite3").exists()
    store.close()


# ---- one id over time ------------------------------------------------------------------------


def test_a_success_keeps_the_raw_record_with_unknown_fields(store: HistoryStore) -> None:
    raw = catalog.future_fields_record()
    store.record_success(raw["id"], raw, when=at(0))
    entry = store.get(raw["id"])
    assert entry is not None
    assert entry.raw == raw  # every key, unknown ones included, same values
    assert list(entry.raw) == list(raw)  # and the same order
    assert (entry.outcome, entry.status, entry.message) == ("ok", 200, None)
    assert entry.model == raw["model"] and entry.provider == raw["provider_name"]
    assert entry.total_cost == float(raw["total_cost"])  # this record sends it as a string
    # the native (billed) counts, as `get` shows them
    assert entry.tokens_prompt == raw["native_tokens_prompt"]
    assert entry.tokens_completion == raw["native_tokens_completion"]
    assert entry.created_at is not None and entry.created_at.tzinfo is not None
    assert entry.first_seen == entry.last_seen == at(0) and entry.lookup_count == 1


def test_a_failure_after_a_success_keeps_the_last_good_record(store: HistoryStore) -> None:
    raw = catalog.sample_record(catalog.FALLBACK_ID)
    store.record_success(raw["id"], raw, when=at(0))
    store.record_failure(raw["id"], "error", 502, "Bad gateway", when=at(5))
    entry = store.get(raw["id"])
    assert entry is not None
    assert (entry.outcome, entry.status, entry.message) == ("error", 502, "Bad gateway")
    assert entry.raw == raw and entry.has_record
    assert entry.model == raw["model"] and entry.total_cost == raw["total_cost"]
    assert (entry.first_seen, entry.last_seen, entry.lookup_count) == (at(0), at(5), 2)


def test_a_success_after_pending_clears_the_failure(store: HistoryStore) -> None:
    gen_id = catalog.CHAT_ID
    store.record_failure(gen_id, "pending", 404, "not indexed yet", when=at(0))
    before = store.get(gen_id)
    assert before is not None and before.raw is None and not before.has_record
    store.record_success(gen_id, catalog.sample_record(gen_id), when=at(1))
    entry = store.get(gen_id)
    assert entry is not None
    assert (entry.outcome, entry.status, entry.message, entry.lookup_count) == ("ok", 200, None, 2)
    assert entry.model == "openai/gpt-4.1-mini-2025-04-14"


def test_a_late_arriving_older_result_does_not_replace_the_newer_outcome(
    store: HistoryStore,
) -> None:
    gen_id = catalog.CHAT_ID
    store.record_failure(gen_id, "not_found", 404, "gone", when=at(10))
    store.record_success(gen_id, catalog.sample_record(gen_id), when=at(2))
    entry = store.get(gen_id)
    assert entry is not None
    assert entry.outcome == "not_found"  # the newest lookup's outcome
    assert entry.raw == catalog.sample_record(gen_id)  # but the record is kept
    assert (entry.first_seen, entry.last_seen) == (at(2), at(10))


def test_a_newer_success_replaces_the_stored_record(store: HistoryStore) -> None:
    first = catalog.sample_record(catalog.CHAT_ID)
    second = dict(first, model="x-ai/grok-4", provider_name="Azure", total_cost=0.5)
    store.record_success(first["id"], first, when=at(0))
    store.record_success(first["id"], second, when=at(1))
    entry = store.get(first["id"])
    assert entry is not None and entry.raw == second and entry.model == "x-ai/grok-4"
    assert store.search("azure")[0].gen_id == first["id"] and store.search("OpenAI") == []


def test_unknown_outcomes_are_kept_as_errors(store: HistoryStore) -> None:
    store.record_failure(catalog.CHAT_ID, "rate_limited", 429, "slow down")
    entry = store.get(catalog.CHAT_ID)
    assert entry is not None and (entry.outcome, entry.status) == ("error", 429)


def test_ids_are_trimmed_and_odd_values_are_stored(store: HistoryStore) -> None:
    raw = dict(catalog.sample_record(catalog.CHAT_ID), total_cost="1e-5", note="\ud800 odd")
    store.record_success(f'  "{catalog.CHAT_ID}"\n', raw)
    entry = store.get(catalog.CHAT_ID)
    assert entry is not None and entry.total_cost == 1e-5
    assert entry.raw is not None and entry.raw["total_cost"] == "1e-5"


# ---- lists and searches ----------------------------------------------------------------------


MODELS = ("anthropic/claude-sonnet-4.5", "openai/gpt-4.1-mini", "google/gemini-2.5-flash")
PROVIDERS = ("Amazon Bedrock", "OpenAI", "Google AI Studio", "Groq")


def fill(store: HistoryStore, count: int) -> list[dict[str, Any]]:
    raws = []
    for i in range(count):
        raw = varied_raw(i, MODELS[i % 3], PROVIDERS[i % 4], 1_790_000_000 + i)
        store.record_success(raw["id"], raw, when=at(i))
        raws.append(raw)
    return raws


def haystack(raw: dict[str, Any]) -> str:
    return f"{raw['id']} {raw['model']} {raw['provider_name']}".lower()


def ids(entries: list[HistoryEntry]) -> list[str]:
    return [e.gen_id for e in entries]


def test_recent_is_newest_first_with_limit_and_offset(store: HistoryStore) -> None:
    raws = fill(store, 30)
    newest_first = [r["id"] for r in reversed(raws)]
    assert ids(store.recent()) == newest_first
    assert ids(store.recent(limit=5)) == newest_first[:5]
    assert ids(store.recent(limit=5, offset=10)) == newest_first[10:15]
    assert store.count() == 30
    store.record_failure(raws[0]["id"], "error", 500, "boom", when=at(100))
    assert store.recent(limit=1)[0].gen_id == raws[0]["id"]  # ordered by last lookup


def test_search_matches_id_model_and_provider_in_any_case(store: HistoryStore) -> None:
    raws = fill(store, 24)
    claude = [r["id"] for r in reversed(raws) if "claude" in r["model"]]
    assert ids(store.search("CLAUDE")) == claude and store.count("Claude") == len(claude)
    bedrock = [r["id"] for r in reversed(raws) if r["provider_name"] == "Amazon Bedrock"]
    assert ids(store.search("amazon bed")) == bedrock
    one = raws[7]["id"]
    tail = one.rsplit("-", 1)[1]
    assert ids(store.search(tail.upper())) == [one] and store.count(tail) == 1
    assert ids(store.search(f"  {tail[:6]}…  ")) == [one]  # a short id copied from the UI
    assert ids(store.search("gR")) == [r["id"] for r in reversed(raws) if "gr" in haystack(r)]
    assert store.search("no such thing") == [] and store.count("no such thing") == 0
    assert ids(store.search("", limit=3)) == ids(store.recent(limit=3))
    assert (
        ids(store.search("gemini", limit=2, offset=1))
        == [r["id"] for r in reversed(raws) if "gemini" in r["model"]][1:3]
    )
    assert store.search('"quoted" OR x*') == []  # full-text syntax is taken literally


def test_full_text_and_scan_give_the_same_answers(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    raws = fill(store, 600)
    tail = raws[123]["id"][-20:]
    needles = ["gen", "claude", "bedrock", tail, tail[3:8], "ab", "groq", "zz", "a", "1790"]

    def answers() -> dict[str, tuple[list[str], int]]:
        return {n: (ids(store.search(n, limit=100, offset=3)), store.count(n)) for n in needles}

    full_text = answers()  # pages sorted from the full-text matches
    monkeypatch.setattr(history_search, "FTS_PAGE_LIMIT", 50)
    time_walk = answers()  # pages from walking the time index, counts from full text
    # As on a SQLite without the trigram tokenizer: every search and count scans.
    monkeypatch.setattr(history_schema, "trigram_supported", lambda: False)
    scan = answers()
    assert full_text == time_walk == scan
    assert full_text["claude"][1] == 200 and full_text[tail][1] == 1


def test_counts_follow_writes_from_this_and_other_processes(path: Path) -> None:
    one, other = HistoryStore(path, enabled=True), HistoryStore(path, enabled=True)
    fill(one, 9)
    assert one.count("claude") == 3
    raw = varied_raw(100, MODELS[0], PROVIDERS[0], 1_790_000_100)
    other.record_success(raw["id"], raw)
    assert one.count("claude") == 4 and len(one.search("claude")) == 4
    one.delete(raw["id"])
    assert one.count("claude") == 3 and other.count("claude") == 3


def test_lists_can_leave_the_raw_record_unread(store: HistoryStore) -> None:
    raws = fill(store, 6)
    store.record_failure("gen-1790000000-pPW5tzKDyYAhRh6DFzNM", "pending", 404, None, at(99))
    light = store.recent(with_raw=False)
    assert [e.has_record for e in light] == [False] + [True] * 6
    assert all(e.raw is None for e in light)
    assert [e.gen_id for e in light] == ids(store.recent())
    found = store.search("claude", with_raw=False)
    assert found and all(e.raw is None and e.has_record for e in found)
    full = store.get(found[0].gen_id)
    assert full is not None and full.raw in raws
    assert store.recent(limit=1)[0].has_record is False


# ---- delete, clear ---------------------------------------------------------------------------


def test_delete_and_clear(store: HistoryStore) -> None:
    raws = fill(store, 5)
    assert store.delete(raws[2]["id"]) is True
    assert store.delete(raws[2]["id"]) is False
    assert store.get(raws[2]["id"]) is None and store.count() == 4
    assert store.search(raws[2]["id"]) == []
    assert store.clear() == 4
    assert store.count() == 0 and store.recent() == [] and store.search("claude") == []
    store.record_success(raws[0]["id"], raws[0])
    assert ids(store.search("claude")) == [raws[0]["id"]]


# ---- export ----------------------------------------------------------------------------------


def test_jsonl_export_round_trips_the_raw_records(store: HistoryStore) -> None:
    raws = [*sample_raws(), catalog.future_fields_record(), catalog.hostile_text_record()]
    for i, raw in enumerate(raws):
        store.record_success(raw["id"], raw, when=at(i))
    store.record_failure("gen-1790000000-pPW5tzKDyYAhRh6DFzNM", "not_found", 404, "nope")
    out = io.StringIO()
    assert store.export(out, "jsonl") == len(raws)  # ids without a record have no line
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == list(reversed(raws))
    assert "\x1b" not in out.getvalue()  # escaped as \u001b inside the JSON strings


def test_csv_export_round_trips_the_main_figures(store: HistoryStore) -> None:
    raws = sample_raws()
    for i, raw in enumerate(raws):
        store.record_success(raw["id"], raw, when=at(i))
    store.record_failure(raws[0]["id"], "error", 524, "Request timed out", when=at(50))
    store.record_failure("gen-1790000000-pPW5tzKDyYAhRh6DFzNM", "pending", 404, None, at(60))
    out = io.StringIO()
    assert store.export(out, "csv") == len(raws) + 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_FIELDS
    for row, entry in zip(rows, store.recent(), strict=True):
        assert row == expected_csv(entry)
        assert parse_back(row) == figures(entry)


def expected_csv(entry: HistoryEntry) -> dict[str, str]:
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.isoformat()
        return repr(value) if isinstance(value, float) else str(value)

    return {name: text(getattr(entry, name)) for name in CSV_FIELDS}


def parse_back(row: dict[str, str]) -> dict[str, Any]:
    def opt(kind: Any, value: str) -> Any:
        return kind(value) if value else None

    return {
        "gen_id": row["gen_id"],
        "outcome": row["outcome"],
        "status": opt(int, row["status"]),
        "last_seen": datetime.fromisoformat(row["last_seen"]),
        "lookup_count": int(row["lookup_count"]),
        "created_at": opt(datetime.fromisoformat, row["created_at"]),
        "total_cost": opt(float, row["total_cost"]),
        "tokens_prompt": opt(int, row["tokens_prompt"]),
    }


def figures(entry: HistoryEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in parse_back(expected_csv(entry))}


def test_csv_cells_never_run_as_formulas_or_carry_escapes(store: HistoryStore) -> None:
    raw = dict(catalog.sample_record(catalog.CHAT_ID), model='=HYPERLINK("x")')
    raw["provider_name"] = "\x1b[31mRed\x1b[0m"
    store.record_success(raw["id"], raw)
    out = io.StringIO()
    store.export(out, "csv")
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["model"] == '\'=HYPERLINK("x")'
    assert row["provider"] == "\\x1b[31mRed\\x1b[0m" and "\x1b" not in out.getvalue()


def test_export_refuses_an_unknown_format(store: HistoryStore) -> None:
    with pytest.raises(ValueError):
        store.export(io.StringIO(), "xml")  # type: ignore[arg-type]


# ---- off, and what is never stored -----------------------------------------------------------


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_disabled_store_writes_nothing(
    how: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "environment":
        monkeypatch.setenv("INSPECTOR_HISTORY", "off")
        store = HistoryStore()
    else:
        store = HistoryStore(enabled=False)
    raw = catalog.sample_record(catalog.CHAT_ID)
    store.record_success(raw["id"], raw)
    store.record_failure(raw["id"], "error", 500, "boom")
    assert store.delete(raw["id"]) is False and store.clear() == 0
    assert store.recent() == [] and store.count() == 0
    assert not data_dir.exists()
    assert store.enabled is False and store.available is False
    assert store.unavailable_reason == "history is turned off"


def test_the_key_and_user_ids_are_never_written(path: Path) -> None:
    """Sample bodies in, every byte of the data folder scanned (with the -wal, then closed)."""
    store = HistoryStore(path, enabled=True)
    for raw in sample_raws():
        store.record_success(raw["id"], raw)
    for i, sample in enumerate(ERROR_SAMPLES):
        body = sample.read_bytes()
        status = json.loads(body)["error"]["code"]
        info = parse_error_body(status, "application/json", body)
        gen_id = f"gen-179000{i:04d}-errorsampleAAAAAAAAA"
        store.record_failure(gen_id, "error", status, info.message)
        # A careless caller passing text that holds the key or a whole error body:
        store.record_failure(gen_id, "error", status, f"Bearer {TEST_KEY} {body.decode()}")
        store.record_failure(gen_id, "error", status, f"key={TEST_KEY}")
    assert store.count() == len(GENERATION_SAMPLES) + len(ERROR_SAMPLES)
    for needle in (TEST_KEY.encode(), TEST_KEY[-20:].encode(), USER_ID.encode()):
        assert files_containing(path.parent, needle) == []
    store.close()
    for needle in (TEST_KEY.encode(), USER_ID.encode()):
        assert files_containing(path.parent, needle) == []
    messages = [e.message or "" for e in HistoryStore(path, enabled=True).recent()]
    assert any("[redacted]" in m for m in messages)


# ---- threads ---------------------------------------------------------------------------------


def test_one_store_is_safe_across_threads(store: HistoryStore) -> None:
    def work(thread: int) -> None:
        for i in range(40):
            raw = varied_raw(thread * 1000 + i, MODELS[0], PROVIDERS[0], 1_790_000_000 + i)
            store.record_success(raw["id"], raw)
            store.search("claude", limit=5)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count() == 160 and store.available
