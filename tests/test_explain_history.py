"""History v4: pricing snapshots beside records, the session column, the comparison queries."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from history_support import varied_raw
from test_history_migrations import new_file, schema_sql

from inspector.infra.history import HistoryStore, PricingSnapshot, schema
from inspector.infra.history.snapshots import MAX_SIMILAR
from inspector.testserver import catalog

FETCHED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
BODY = {"id": "openai/gpt-4.1-mini", "endpoints": [{"provider_name": "OpenAI", "pricing": {}}]}


def snapshot(gen_id: str, at: datetime = FETCHED, body: dict | None = None) -> PricingSnapshot:
    return PricingSnapshot(gen_id, at, "openai/gpt-4.1-mini", "OpenAI", body or BODY)


def stored(tmp_path: Path, *raws: dict) -> HistoryStore:
    store = HistoryStore(tmp_path / "h.sqlite3", enabled=True)
    for raw in raws:
        store.record_success(raw["id"], raw)
    return store


def test_v3_migrates_to_v4_with_the_session_column_filled(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = new_file(path, 3)
    raw = catalog.sample_record(catalog.CHAT_ID)
    raw["session_id"] = "sess-42"
    conn.execute(
        "INSERT INTO generations (id, gen_id, first_seen, last_seen, outcome, model, provider,"
        " created_at, skey) VALUES (3, ?, 1.0, 2.0, 'ok', ?, ?, 5.0, '')",
        (raw["id"], raw["model"], raw["provider_name"]),
    )
    conn.execute("INSERT INTO records (id, raw) VALUES (3, ?)", (json.dumps(raw),))
    conn.execute(
        "INSERT INTO generations (id, gen_id, first_seen, last_seen, outcome, skey)"
        " VALUES (4, 'gen-1790000001-3wnEUQ45csjMojRcHbt5', 1.0, 2.0, 'pending', '')"
    )
    conn.execute("INSERT INTO records (id, raw) VALUES (4, '{broken json')")
    conn.close()
    store = HistoryStore(path, enabled=True)
    assert [r["id"] for r in store.session_records("sess-42")] == [raw["id"]]
    assert store.save_snapshot(snapshot(raw["id"])) is True
    assert store.notices == [] and store.available
    store.close()
    with sqlite3.connect(path) as conn:
        assert schema.user_version(conn) == 4
        sessions = conn.execute("SELECT id, session_id FROM generations ORDER BY id").fetchall()
    assert sessions == [(3, "sess-42"), (4, None)]


def test_a_v3_file_migrates_to_exactly_the_fresh_schema(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    HistoryStore(fresh, enabled=True).record_failure(catalog.CHAT_ID, "pending", None, None)
    new_file(old, 3).close()
    HistoryStore(old, enabled=True).record_failure(catalog.CHAT_ID, "pending", None, None)
    assert schema_sql(old) == schema_sql(fresh)
    assert any(name == "pricing_snapshots" for name, _ in schema_sql(fresh))


def test_a_snapshot_is_kept_beside_its_record_and_the_first_one_stays(tmp_path: Path) -> None:
    raw = catalog.sample_record(catalog.CHAT_ID)
    store = stored(tmp_path, raw)
    assert store.snapshot(raw["id"]) is None
    assert store.save_snapshot(snapshot(raw["id"])) is True
    later = snapshot(raw["id"], FETCHED + timedelta(days=3), {"id": "x", "endpoints": []})
    assert store.save_snapshot(later) is False  # the earliest prices are the ones kept
    kept = store.snapshot(f"  {raw['id']} ")
    assert kept == snapshot(raw["id"])
    assert store.save_snapshot(later, replace=True) is True
    assert store.snapshot(raw["id"]) == later
    store.close()
    reopened = HistoryStore(tmp_path / "h.sqlite3", enabled=True)
    assert reopened.snapshot(raw["id"]) == later


def test_a_snapshot_may_come_before_its_record_and_none_with_history_off(
    tmp_path: Path,
) -> None:
    store = HistoryStore(tmp_path / "new" / "h.sqlite3", enabled=True)
    assert store.save_snapshot(snapshot(catalog.FALLBACK_ID)) is True  # the bill came first
    raw = catalog.sample_record(catalog.FALLBACK_ID)
    store.record_success(raw["id"], raw)
    assert store.snapshot(catalog.FALLBACK_ID) == snapshot(catalog.FALLBACK_ID)
    assert store.save_snapshot(snapshot("   ")) is False
    off = HistoryStore(tmp_path / "off.sqlite3", enabled=False)
    assert off.save_snapshot(snapshot(catalog.CHAT_ID)) is False
    assert off.snapshot(catalog.CHAT_ID) is None and off.records_like("m", "p") == []
    assert off.session_records("s") == []
    assert not (tmp_path / "off.sqlite3").exists()


def test_deleting_or_clearing_forgets_the_snapshot(tmp_path: Path) -> None:
    first, second = (catalog.sample_record(i) for i in (catalog.CHAT_ID, catalog.FALLBACK_ID))
    store = stored(tmp_path, first, second)
    for raw in (first, second):
        assert store.save_snapshot(snapshot(raw["id"]))
    assert store.delete(first["id"])
    store.record_success(first["id"], first)  # looked up again: no stale prices come back
    assert store.snapshot(first["id"]) is None and store.snapshot(second["id"]) is not None
    store.clear()
    with sqlite3.connect(tmp_path / "h.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM pricing_snapshots").fetchone()[0] == 0


def test_records_like_one_model_at_one_provider_newest_first_and_bounded(
    tmp_path: Path,
) -> None:
    model = "moonshotai/kimi-k2-0905"
    mine = [varied_raw(i, model, "Fireworks", 1_790_000_000 + i * 60) for i in range(12)]
    others = [varied_raw(100 + i, model, "Groq", 1_790_000_000 + i) for i in range(3)]
    others.append(varied_raw(200, "openai/gpt-4.1-mini", "Fireworks", 1_790_000_000))
    store = stored(tmp_path, *mine, *others)
    found = store.records_like(model, "Fireworks", limit=5, exclude=mine[-1]["id"])
    assert [r["id"] for r in found] == [r["id"] for r in reversed(mine[-6:-1])]
    assert len(store.records_like(model, "Fireworks")) == 12
    assert len(store.records_like(model, "Fireworks", limit=10**9)) == 12  # bound holds
    assert store.records_like(model, "Nobody") == []
    assert MAX_SIMILAR >= 200


def test_session_records_follow_a_record_looked_up_again(tmp_path: Path) -> None:
    raw = catalog.sample_record(catalog.CHAT_ID)
    store = stored(tmp_path, raw)
    assert store.session_records("s-1") == []
    store.record_success(raw["id"], {**raw, "session_id": "s-1"})
    assert [r["id"] for r in store.session_records("s-1")] == [raw["id"]]
    store.record_success(raw["id"], {**raw, "session_id": "  "})
    assert store.session_records("s-1") == [] and store.session_records("  ") == []


@pytest.mark.parametrize("body", [{"nested": [[[[1]]]]}, {"text": "\ud800 lone"}])
def test_odd_bodies_come_back_as_they_went_in(tmp_path: Path, body: dict) -> None:
    raw = catalog.sample_record(catalog.CHAT_ID)
    store = stored(tmp_path, raw)
    assert store.save_snapshot(snapshot(raw["id"], body=body))
    kept = store.snapshot(raw["id"])
    assert kept is not None and kept.body == body
