"""``HistoryStore.record_many``: a batch of outcomes in ONE transaction, same rules per row.

"One transaction" is read from the file itself: every commit in WAL mode ends with a commit
frame in the ``-wal``, so the frames written by a batch are counted there.
"""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from history_support import parent_is_a_file, run_python, varied_raw

from inspector.infra.history import HistoryFailure, HistoryItem, HistoryStore, HistorySuccess
from inspector.testserver import catalog

T0 = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
MODELS = ("anthropic/claude-sonnet-4.5", "openai/gpt-4.1-mini", "google/gemini-2.5-flash")
PROVIDERS = ("Amazon Bedrock", "OpenAI", "Google AI Studio", "Groq")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def wal_commits(path: Path) -> int:
    """Commit frames in the live part of ``path``'s -wal (frames with the header's salt)."""
    data = Path(f"{path}-wal").read_bytes()
    if len(data) < 32:
        return 0
    page_size = struct.unpack(">I", data[8:12])[0]
    salt = data[16:24]
    commits, offset = 0, 32
    while offset + 24 + page_size <= len(data):
        header = data[offset : offset + 24]
        if header[8:16] != salt:
            break  # a frame of an earlier round of the -wal
        commits += struct.unpack(">I", header[4:8])[0] != 0  # db size set: a commit frame
        offset += 24 + page_size
    return commits


def mixed_items(count: int, start: int = 0) -> list[HistoryItem]:
    """Successes with varied records, and every few rows a failure of an earlier id."""
    items: list[HistoryItem] = []
    for i in range(start, start + count):
        raw = varied_raw(i, MODELS[i % 3], PROVIDERS[i % 4], 1_790_000_000 + i)
        if i % 7 == 3 and items:
            failed = items[-1].gen_id
            items.append(HistoryFailure(failed, "error", 502, f"Bad gateway {i}", at(i + 0.5)))
        else:
            items.append(HistorySuccess(raw["id"], raw, at(i)))
    return items


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def existing_file(path: Path) -> None:
    """A history file with one entry, closed (checkpointed: an empty -wal)."""
    with HistoryStore(path, enabled=True) as store:
        store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    assert not Path(f"{path}-wal").exists()


def test_a_batch_of_1000_is_one_transaction(path: Path) -> None:
    existing_file(path)
    items = mixed_items(1000)
    with HistoryStore(path, enabled=True) as store:
        assert store.record_many(items) == 1000
        assert wal_commits(path) == 1
        assert store.count() == 1 + sum(isinstance(i, HistorySuccess) for i in items)
        assert store.available


def test_single_writes_are_one_transaction_each(path: Path) -> None:
    """The control for the count above: the same -wal reading sees every single write."""
    existing_file(path)
    with HistoryStore(path, enabled=True) as store:
        for item in mixed_items(40):
            store.record_many([item])
        assert wal_commits(path) == 40


def apply_one_by_one(store: HistoryStore, items: list[HistoryItem]) -> None:
    for item in items:
        if isinstance(item, HistorySuccess):
            store.record_success(item.gen_id, item.raw, item.when)
        else:
            store.record_failure(item.gen_id, item.outcome, item.status, item.message, item.when)


def test_a_batch_has_the_same_rules_per_row_as_single_writes(tmp_path: Path) -> None:
    gen = catalog.FALLBACK_ID
    record = catalog.sample_record(gen)
    newer = dict(record, model="x-ai/grok-4", provider_name="Azure")
    items: list[HistoryItem] = [
        *mixed_items(30),
        HistoryFailure(gen, "pending", 404, "not indexed yet", at(0)),
        HistorySuccess(gen, record, at(1)),
        HistoryFailure(gen, "error", 502, "Bearer sk-or-v1-abcdef secret", at(5)),
        HistorySuccess(gen, newer, at(3)),  # arrives late: record kept, outcome stays error
        HistoryFailure(gen, "rate_limited", 429, "slow down", at(2)),  # older: count only
        HistoryFailure(f'  "{catalog.CHAT_ID}"\n', "not_found", 404, None, at(9)),
        HistorySuccess("   ", record, at(10)),  # no id: not recorded
        HistoryFailure("", "error", 500, "no id", at(11)),
    ]
    one_by_one = HistoryStore(tmp_path / "single" / "h.sqlite3", enabled=True)
    batched = HistoryStore(tmp_path / "batch" / "h.sqlite3", enabled=True)
    apply_one_by_one(one_by_one, items)
    assert batched.record_many(iter(items)) == len(items) - 2  # a generator is fine
    expected = one_by_one.recent(limit=1000)
    successes = {i.gen_id for i in items[:30] if isinstance(i, HistorySuccess)}
    assert batched.recent(limit=1000) == expected and len(expected) == len(successes) + 2
    entry = batched.get(gen)
    assert entry is not None
    assert (entry.outcome, entry.status, entry.lookup_count) == ("error", 502, 5)
    assert entry.message == "[redacted] secret" and entry.raw == newer
    assert [e.gen_id for e in batched.search("azure")] == [gen]
    assert batched.count("claude") == one_by_one.count("claude") > 0


def test_a_batch_that_does_not_fit_on_the_disk_records_nothing(path: Path) -> None:
    """All or nothing: a batch bigger than the space left is rolled back as a whole."""
    code = """
        import json, resource, signal, sys
        from pathlib import Path
        from inspector.infra.history import HistoryStore, HistorySuccess
        from inspector.testserver import catalog

        path = Path(sys.argv[1])
        store = HistoryStore(path, enabled=True)
        store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG as on a full disk, no signal
        limit = max(p.stat().st_size for p in path.parent.iterdir()) + 256 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        ids = [f"gen-1790000000-batch{i:015d}" for i in range(3000)]
        big = [HistorySuccess(i, dict(catalog.chat_like(i), pad="x" * 2000)) for i in ids]
        recorded = store.record_many(big)
        available, reason = store.available, store.unavailable_reason
        small = store.record_many([HistorySuccess(ids[0], catalog.chat_like(ids[0]))])
        print(json.dumps({"recorded": recorded, "available": available, "reason": reason,
                          "small": small, "after": store.available}))
    """
    result = json.loads(run_python(code, str(path)))
    assert result["recorded"] == 0 and result["available"] is False and result["reason"]
    assert result["small"] == 1 and result["after"]  # it goes on writing what fits
    store = HistoryStore(path, enabled=True)
    assert store.count() == 2 and store.count("batch") == 1 and store.available


def test_a_disabled_store_records_no_batch(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data" / "h.sqlite3", enabled=False)
    assert store.record_many(mixed_items(5)) == 0
    assert not (tmp_path / "data").exists()


def test_a_batch_where_no_history_can_be_is_refused_cleanly(tmp_path: Path) -> None:
    store = HistoryStore(parent_is_a_file(tmp_path), enabled=True)
    assert store.record_many(mixed_items(5)) == 0
    assert store.available is False and "Not a directory" in (store.unavailable_reason or "")
    assert store.record_many([]) == 0
