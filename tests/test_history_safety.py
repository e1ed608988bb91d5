"""The history survives two writers, SIGKILL, a damaged file, a read-only folder, a full disk.

Everything here is real: separate processes on one file, a real SIGKILL, real bytes of
garbage, a folder the kernel refuses to write (also for root), a real file-size limit.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
from pathlib import Path

import pytest
from history_support import (
    parent_is_a_file,
    python_process,
    read_only_folder,
    run_python,
    sample_raws,
)

from inspector.infra.history import HistoryStore
from inspector.infra.history.schema import trigram_supported
from inspector.testserver import catalog

WRITER = """
    import json, sys
    from pathlib import Path
    from inspector.infra.history import HistoryStore
    from inspector.testserver import catalog

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = HistoryStore(path, enabled=True)
    sys.stdin.readline()  # both writers start on the same signal
    problems = []  # every moment the store said it was unavailable
    for i in range(count):
        own = f"gen-1790000000-{name}{i:0{20 - len(name)}d}"
        store.record_success(own, catalog.chat_like(own))
        problems += [store.unavailable_reason] if not store.available else []
        store.record_failure(f"gen-1790000000-shared{i:014d}", "pending", 404, name)
        problems += [store.unavailable_reason] if not store.available else []
    print(json.dumps(problems))
"""

ENDLESS_WRITER = """
    import sys
    from pathlib import Path
    from inspector.infra.history import HistoryStore
    from inspector.testserver import catalog

    store = HistoryStore(Path(sys.argv[1]), enabled=True)
    i = 0
    while True:
        gen_id = f"gen-1790000000-killed{i:014d}"
        store.record_success(gen_id, catalog.chat_like(gen_id))
        print(gen_id, flush=True)  # printed only once the write is committed
        i += 1
"""

FULL_DISK_WRITER = """
    import json, resource, signal, sys
    from pathlib import Path
    from inspector.infra.history import HistoryStore
    from inspector.testserver import catalog

    path = Path(sys.argv[1])
    store = HistoryStore(path, enabled=True)
    store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    # Files may not grow past this size from now on: a write beyond it fails with EFBIG,
    # as on a full disk (SIGXFSZ ignored, as a real program would see ENOSPC, not a signal).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = max(p.stat().st_size for p in path.parent.iterdir()) + 64 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    recorded = []
    for i in range(20000):
        gen_id = f"gen-1790000000-full{i:016d}"
        store.record_success(gen_id, catalog.chat_like(gen_id))
        if not store.available:
            break
        recorded.append(gen_id)
    available, reason = store.available, store.unavailable_reason
    readable = len(store.recent(limit=100000))
    store.record_failure("gen-1790000000-fullAAAAAAAAAAAAAAAA", "error", 500, "no raise")
    print(json.dumps({"recorded": recorded, "available": available, "reason": reason,
                      "readable": readable}))
"""


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


# ---- processes --------------------------------------------------------------------------------


def test_two_processes_writing_at_once_lose_nothing(path: Path) -> None:
    count = 150
    procs = [python_process(WRITER, str(path), name, str(count)) for name in ("alpha", "beta")]
    for proc in procs:  # both wait on stdin, so they start writing together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert results == [[], []]
    store = HistoryStore(path, enabled=True)
    assert store.count() == 3 * count
    assert store.count("alpha") == store.count("beta") == count
    shared = store.search("shared", limit=1000)
    assert len(shared) == count and {e.lookup_count for e in shared} == {2}
    assert integrity(path) == "ok"


def test_sigkill_mid_writes_keeps_every_committed_write(path: Path) -> None:
    proc = python_process(ENDLESS_WRITER, str(path))
    assert proc.stdout is not None
    committed: list[str] = []
    try:
        while len(committed) < 300:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "writer died"
            committed.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)  # while it is writing the next ones
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    committed += proc.stdout.read().split()  # lines it printed before it died (buffered too)
    proc.stdout.close()
    if proc.stderr is not None:
        proc.stderr.close()
    assert Path(f"{path}-wal").exists()  # killed with writes still only in the -wal
    assert integrity(path) == "ok"
    store = HistoryStore(path, enabled=True)
    stored = {e.gen_id for e in store.recent(limit=100000)}
    assert set(committed) <= stored
    assert len(stored) - len(committed) in (0, 1)  # at most the one it had not printed yet
    store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    assert store.available and store.notices == [] and store.get(catalog.CHAT_ID) is not None


# ---- a damaged file ---------------------------------------------------------------------------


def garbage() -> bytes:
    return random.Random(7).randbytes(16384)


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database\n",
        garbage(),
        b"SQLite format 3\x00" + garbage(),
    ],
    ids=["text", "random-bytes", "sqlite-header-then-garbage"],
)
def test_a_file_that_is_not_a_database_is_moved_aside(path: Path, content: bytes) -> None:
    path.parent.mkdir()
    path.write_bytes(content)
    store = HistoryStore(path, enabled=True)
    assert store.recent() == [] and store.available
    aside = list(path.parent.glob("history.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content  # never a silent delete
    assert len(store.notices) == 1 and str(aside[0]) in store.notices[0]
    assert "moved aside" in store.notices[0]
    raw = catalog.sample_record(catalog.CHAT_ID)
    store.record_success(raw["id"], raw)
    assert store.get(raw["id"]) is not None and integrity(path) == "ok"
    assert len(store.notices) == 1


def test_damage_found_inside_the_file_moves_it_aside(path: Path) -> None:
    store = HistoryStore(path, enabled=True)
    for raw in sample_raws():
        for n in range(60):
            store.record_success(f"{raw['id']}{n}", raw)
    store.close()
    assert not Path(f"{path}-wal").exists()  # checkpointed on close: all in the main file
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), page):  # every page after the schema's
        data[start : start + page] = garbage()[:page]
    path.write_bytes(bytes(data))
    store = HistoryStore(path, enabled=True)
    assert store.recent(limit=1000) == []
    assert len(store.notices) == 1 and "malformed" in store.notices[0]
    assert list(path.parent.glob("history.sqlite3.corrupt-*"))
    store.record_failure(catalog.CHAT_ID, "pending", 404, None)
    assert store.count() == 1 and store.available


@pytest.mark.skipif(not trigram_supported(), reason="no FTS5 trigram tokenizer here")
def test_a_damaged_search_index_is_rebuilt_not_the_file_moved(path: Path) -> None:
    store = HistoryStore(path, enabled=True)
    for raw in sample_raws():
        store.record_success(raw["id"], raw)
    store.close()
    with sqlite3.connect(path) as conn:  # lose most of the full-text index's blocks
        conn.execute("DELETE FROM generations_fts_data WHERE id > 10")
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM generations_fts WHERE skey MATCH 'kimi'").fetchone()
    store = HistoryStore(path, enabled=True)
    assert [e.model for e in store.search("kimi")] == ["moonshotai/kimi-k2-0905"]
    assert store.count("openai") == 1 and store.notices == [] and store.available
    assert not list(path.parent.glob("*.corrupt-*"))
    with sqlite3.connect(path) as conn:  # rebuilt
        assert conn.execute(
            "SELECT count(*) FROM generations_fts WHERE skey MATCH 'kimi'"
        ).fetchone() == (1,)


def test_a_file_that_is_not_sqlite_is_moved_aside_with_its_wal(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b"not a database at all")
    Path(f"{path}-wal").write_bytes(b"old wal bytes")
    store = HistoryStore(path, enabled=True)
    store.record_failure(catalog.CHAT_ID, "pending", 404, None)
    (aside,) = path.parent.glob("history.sqlite3.corrupt-*Z")
    assert Path(f"{aside}-wal").read_bytes() == b"old wal bytes"
    assert store.count() == 1 and integrity(path) == "ok"


# ---- a folder that cannot be written ----------------------------------------------------------


def test_a_data_folder_that_cannot_exist_makes_history_unavailable(tmp_path: Path) -> None:
    """The path's parent is a regular file: ENOTDIR, for every user including root."""
    path = parent_is_a_file(tmp_path)
    store = HistoryStore(path, enabled=True)
    store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
    assert store.available is False
    assert str(path) in (store.unavailable_reason or "")
    assert store.recent() == [] and store.count() == 0 and store.search("gpt") == []
    store.record_failure(catalog.CHAT_ID, "error", 500, "still no exception")


def test_a_read_only_folder_keeps_the_history_readable(path: Path) -> None:
    store = HistoryStore(path, enabled=True)
    for raw in sample_raws():
        store.record_success(raw["id"], raw)
    store.close()
    with read_only_folder(path.parent):
        ro = HistoryStore(path, enabled=True)
        assert len(ro.recent()) == len(sample_raws()) and ro.count("kimi") == 1
        assert ro.readonly and ro.available is False
        assert "read but not written" in (ro.unavailable_reason or "")
        ro.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
        ro.record_failure("gen-1790000000-readonlyAAAAAAAAAAAA", "pending", 404, None)
        assert ro.available is False and ro.unavailable_reason
        assert ro.delete(catalog.CHAT_ID) is False and ro.clear() == 0
        ro.close()
    assert HistoryStore(path, enabled=True).count() == len(sample_raws())


def test_a_read_only_folder_without_history_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with read_only_folder(folder):
        store = HistoryStore(folder / "history.sqlite3", enabled=True)
        store.record_success(catalog.CHAT_ID, catalog.sample_record(catalog.CHAT_ID))
        assert store.available is False and store.unavailable_reason
        assert store.recent() == []
        assert list(folder.iterdir()) == []


def test_a_full_disk_makes_history_unavailable_and_keeps_what_was_saved(path: Path) -> None:
    result = json.loads(run_python(FULL_DISK_WRITER, str(path)))
    assert result["available"] is False and result["reason"]
    assert 0 < len(result["recorded"]) < 20000
    assert result["readable"] >= len(result["recorded"])  # reading went on
    assert integrity(path) == "ok"
    store = HistoryStore(path, enabled=True)
    stored = {e.gen_id for e in store.recent(limit=100000)}
    assert set(result["recorded"]) | {catalog.CHAT_ID} <= stored
    store.record_failure(catalog.CHAT_ID, "error", 500, "space again")
    assert store.available
