"""Schema versions: every older file migrates with its data; newer files are left alone."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from history_support import sample_raws

from inspector.infra.history import HistoryStore, migrations, schema
from inspector.testserver import catalog

LOOKED_UP = "2026-10-20T14:03:11.482000+00:00"


def new_file(path: Path, version: int) -> sqlite3.Connection:
    """A file at schema ``version``, built by the real migrations up to that version."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for step in range(version):
        migrations.MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {step + 1}")
    conn.execute("COMMIT")
    return conn


def schema_sql(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
    return [(str(name), " ".join(str(sql).split())) for name, sql in rows]


def v1_rows() -> list[tuple[str, str, str, str | None]]:
    raws = sample_raws()
    rows: list[tuple[str, str, str, str | None]] = [
        (raw["id"], LOOKED_UP, "ok", json.dumps(raw)) for raw in raws
    ]
    rows += [
        ("gen-1790000000-pPW5tzKDyYAhRh6DFzNM", "2026-10-21T09:00:00Z", "not_found", None),
        ("gen-1790000001-3wnEUQ45csjMojRcHbt5", "2026-10-21T09:00:01Z", "pending", None),
        ("gen-1790000002-JvUEiUn5iVmp4OgEEUWg", "not a time", "rate_limited", None),
        ("gen-1790000003-ghZCCNDJrB9Ivyi034c3", LOOKED_UP, "ok", "{broken json"),
    ]
    return rows


def make_v1(path: Path) -> None:
    conn = new_file(path, 1)
    conn.executemany("INSERT INTO lookups VALUES (?, ?, ?, ?)", v1_rows())
    conn.close()


def test_a_new_file_gets_the_current_schema(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", enabled=True)
    store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    store.close()
    with sqlite3.connect(tmp_path / "h.sqlite3") as conn:
        assert schema.user_version(conn) == schema.CURRENT_VERSION == 4
        assert schema.fts_table_exists(conn) is schema.trigram_supported()


def test_an_empty_file_is_version_0_and_is_set_up(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    store = HistoryStore(path, enabled=True)
    assert store.recent() == [] and store.available and store.notices == []
    store.record_failure(catalog.CHAT_ID, "pending", 404, None)
    assert store.count() == 1


def test_v1_migrates_with_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    make_v1(path)
    store = HistoryStore(path, enabled=True)
    entries = {e.gen_id: e for e in store.recent(limit=100)}
    assert len(entries) == len(v1_rows()) and store.notices == []
    for raw in sample_raws():
        entry = entries[raw["id"]]
        assert entry.raw == raw and (entry.outcome, entry.status) == ("ok", 200)
        assert entry.model == raw["model"] and entry.total_cost == raw["total_cost"]
        native = raw.get("native_tokens_completion")  # the billed counts, as `get` shows them
        assert entry.tokens_completion == (raw["tokens_completion"] if native is None else native)
        assert entry.last_seen == entry.first_seen == datetime.fromisoformat(LOOKED_UP)
        assert entry.lookup_count == 1
    assert entries["gen-1790000000-pPW5tzKDyYAhRh6DFzNM"].outcome == "not_found"
    assert entries["gen-1790000001-3wnEUQ45csjMojRcHbt5"].outcome == "pending"
    odd = entries["gen-1790000002-JvUEiUn5iVmp4OgEEUWg"]
    assert odd.outcome == "error" and odd.last_seen == datetime.fromtimestamp(0, UTC)
    # A record that does not parse is not shown, but its text is still in the file.
    assert entries["gen-1790000003-ghZCCNDJrB9Ivyi034c3"].raw is None
    store.close()
    with sqlite3.connect(path) as conn:
        kept = conn.execute("SELECT raw FROM records WHERE raw = '{broken json'").fetchall()
    assert kept == [("{broken json",)]
    assert [e.model for e in store.search("kimi")] == ["moonshotai/kimi-k2-0905"]


def test_v2_migrates_with_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = new_file(path, 2)
    raw = catalog.sample_record(catalog.FALLBACK_ID)
    conn.execute(
        "INSERT INTO generations (id, gen_id, first_seen, last_seen, lookup_count, outcome,"
        " status, message, model, provider, total_cost, tokens_prompt, tokens_completion,"
        " created_at, record_seen) VALUES (7, ?, 100.0, 200.0, 3, 'error', 502, 'Bad gateway',"
        " ?, ?, ?, ?, ?, 50.0, 150.0)",
        (raw["id"], raw["model"], raw["provider_name"], raw["total_cost"],
         raw["tokens_prompt"], raw["tokens_completion"]),
    )  # fmt: skip
    conn.execute("INSERT INTO records (id, raw) VALUES (7, ?)", (json.dumps(raw),))
    conn.execute(
        "INSERT INTO generations (gen_id, first_seen, last_seen, outcome, status)"
        " VALUES ('gen-1790000001-3wnEUQ45csjMojRcHbt5', 300.0, 300.0, 'pending', 404)"
    )
    conn.close()
    store = HistoryStore(path, enabled=True)
    entry = store.get(raw["id"])
    assert entry is not None and entry.raw == raw
    assert (entry.outcome, entry.status, entry.message, entry.lookup_count) == (
        "error", 502, "Bad gateway", 3,
    )  # fmt: skip
    assert entry.first_seen.timestamp() == 100.0 and entry.last_seen.timestamp() == 200.0
    assert [e.gen_id for e in store.recent()] == ["gen-1790000001-3wnEUQ45csjMojRcHbt5", raw["id"]]
    assert [e.gen_id for e in store.search("FIREWORKS")] == [raw["id"]]  # search key filled
    assert [e.gen_id for e in store.search("3wnEUQ")] == ["gen-1790000001-3wnEUQ45csjMojRcHbt5"]
    store.record_failure(raw["id"], "error", 500, "again")  # and it keeps working
    again = store.get(raw["id"])
    assert again is not None and again.raw == raw and again.outcome == "error"


@pytest.mark.parametrize("version", [0, 1, 2])
def test_a_migrated_file_has_exactly_the_fresh_schema(tmp_path: Path, version: int) -> None:
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    HistoryStore(fresh, enabled=True).record_failure(catalog.CHAT_ID, "pending", None, None)
    new_file(old, version).close()
    HistoryStore(old, enabled=True).record_failure(catalog.CHAT_ID, "pending", None, None)
    assert schema_sql(old) == schema_sql(fresh)


def test_a_file_from_a_newer_version_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = new_file(path, 3)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    store = HistoryStore(path, enabled=True)
    store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    assert store.recent() == [] and store.count() == 0
    assert store.available is False and "newer version" in (store.unavailable_reason or "")
    assert store.notices == []
    assert path.read_bytes() == before and not list(tmp_path.glob("*.corrupt-*"))


# ---- the full-text table depends on the SQLite build -----------------------------------------


needs_trigram = pytest.mark.skipif(
    not schema.trigram_supported(), reason="this SQLite has no FTS5 trigram tokenizer"
)


def no_trigram(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend to be a SQLite older than 3.34 (the one thing that cannot run here)."""
    monkeypatch.setattr(schema, "trigram_supported", lambda: False)


def add(store: HistoryStore, *raws: dict[str, Any]) -> None:
    for raw in raws:
        store.record_success(raw["id"], raw)


@needs_trigram
def test_a_sqlite_without_trigram_searches_by_scan_and_a_later_one_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.sqlite3"
    with monkeypatch.context() as patch:
        no_trigram(patch)
        old = HistoryStore(path, enabled=True)
        add(old, *sample_raws())
        assert [e.model for e in old.search("KIMI")] == ["moonshotai/kimi-k2-0905"]
        old.close()
    with sqlite3.connect(path) as conn:
        assert not schema.fts_table_exists(conn)
    new = HistoryStore(path, enabled=True)
    assert [e.model for e in new.search("KIMI")] == ["moonshotai/kimi-k2-0905"]
    with sqlite3.connect(path) as conn:
        assert schema.fts_state(conn) == "ok"
        count = conn.execute(f"SELECT count(*) FROM {schema.FTS_TABLE}").fetchone()[0]
    assert count == len(sample_raws())


@needs_trigram
def test_writes_without_trigram_mark_the_index_stale_until_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.sqlite3"
    capable = HistoryStore(path, enabled=True)
    add(capable, catalog.sample_record(catalog.CHAT_ID))
    late = catalog.sample_record(catalog.FALLBACK_ID)
    with monkeypatch.context() as patch:
        no_trigram(patch)
        old = HistoryStore(path, enabled=True)
        add(old, late)
        old.close()
    # The capable process still finds the row it could not index: the index is stale.
    assert [e.gen_id for e in capable.search("fireworks")] == [late["id"]]
    capable.close()
    reopened = HistoryStore(path, enabled=True)
    assert [e.gen_id for e in reopened.search("fireworks")] == [late["id"]]
    with sqlite3.connect(path) as conn:
        assert schema.fts_state(conn) == "ok"
        rows = conn.execute(f"SELECT count(*) FROM {schema.FTS_TABLE}").fetchone()[0]
    assert rows == 2
