"""``orinspect history …`` as a real subprocess against real history files."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from history_support import (
    REPO_ROOT,
    files_containing,
    parent_is_a_file,
    read_only_folder,
    sample_raws,
    subprocess_env,
)

from inspector.cli import exitcodes
from inspector.infra.history import HistoryStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

T0 = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
PENDING_ID = "gen-1790000001-3wnEUQ45csjMojRcHbt5"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No server needed: only the data folder, an isolated HOME, UTC for stable times."""
    home = tmp_path / "home"
    home.mkdir()
    return subprocess_env(
        INSPECTOR_DATA_DIR=str(tmp_path / "data"),
        HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONIOENCODING="utf-8",
        TZ="UTC",
    )


@pytest.fixture
def history(env: dict[str, str]) -> Path:
    """A history with the sample records, one failure after a success, and a pending id."""
    path = Path(env["INSPECTOR_DATA_DIR"]) / "history.sqlite3"
    store = HistoryStore(path, enabled=True)
    for i, raw in enumerate(sample_raws()):
        store.record_success(raw["id"], raw, when=T0 + timedelta(minutes=i))
    store.record_failure(catalog.FALLBACK_ID, "error", 502, "Bad gateway", T0 + timedelta(hours=1))
    store.record_failure(PENDING_ID, "pending", 404, "not indexed yet", T0 + timedelta(hours=2))
    store.close()
    return path


def lines(text: str) -> list[str]:
    return text.strip("\n").splitlines()


# ---- listing ----------------------------------------------------------------------------------


def test_an_empty_history_lists_nothing_and_creates_nothing(run_cli, env) -> None:
    done = run_cli("history", env=env)
    assert done.returncode == exitcodes.OK, done.stderr
    assert done.stdout == "" and "history is empty" in done.stderr
    assert not Path(env["INSPECTOR_DATA_DIR"]).exists()


def test_the_table_lists_newest_first(run_cli, env, history) -> None:
    done = run_cli("history", env=env)
    assert done.returncode == exitcodes.OK, done.stderr
    header, *rows = lines(done.stdout)
    assert header.split() == ["LAST", "LOOKUP", "ID", "OUTCOME", "MODEL", "PROVIDER", "COST",
                              "TOKENS", "N"]  # fmt: skip
    assert rows[0].startswith("20 Oct 2026 16:00  " + PENDING_ID + "  pending")
    fallback = next(r for r in rows if catalog.FALLBACK_ID in r)
    assert "error 502" in fallback and "moonshotai/kimi-k2-0905" in fallback
    assert "Fireworks" in fallback and "3,921 → 688" in fallback and fallback.endswith("2")
    assert len(rows) == len(sample_raws()) + 1 and done.stderr == ""


def test_limit_and_search(run_cli, env, history) -> None:
    done = run_cli("history", "--limit", "2", env=env)
    assert len(lines(done.stdout)) == 3
    assert "showing 2 of 5 entries" in done.stderr
    done = run_cli("history", "--search", "OPENAI", env=env)
    assert [r.split()[4] for r in lines(done.stdout)[1:]] == [catalog.CHAT_ID]
    done = run_cli("history", "--search", "no such thing", env=env)
    assert done.returncode == 0 and done.stdout == "" and "no entries match" in done.stderr
    done = run_cli("history", "--limit", "-1", env=env)
    assert done.returncode == exitcodes.USAGE and "must be 0 or more" in done.stderr


def test_json_lines(run_cli, env, history) -> None:
    done = run_cli("history", "--json", "--search", "kimi", env=env)
    (entry,) = [json.loads(line) for line in lines(done.stdout)]
    assert entry["gen_id"] == catalog.FALLBACK_ID and entry["outcome"] == "error"
    assert entry["status"] == 502 and entry["lookup_count"] == 2 and entry["has_record"] is True
    assert entry["total_cost"] == catalog.sample_record(catalog.FALLBACK_ID)["total_cost"]
    assert datetime.fromisoformat(entry["last_seen"]) == T0 + timedelta(hours=1)


def test_text_from_the_api_cannot_drive_the_terminal(run_cli, env) -> None:
    raw = catalog.hostile_text_record()
    raw.update(model="evil\x1b]0;pwned\x07/model\x1b[2J", provider_name="\x9b31mRed\u202e")
    store = HistoryStore(Path(env["INSPECTOR_DATA_DIR"]) / "history.sqlite3", enabled=True)
    store.record_success(raw["id"], raw)
    store.record_failure(raw["id"], "error", 500, "boom \x1b[31m")
    store.close()
    for args in (("history",), ("history", "--json"), ("history", "export", "--format", "csv"),
                 ("history", "export", "--format", "jsonl")):  # fmt: skip
        done = run_cli(*args, env=env)
        assert done.returncode == 0, done.stderr
        for bad in ("\x1b", "\x9b", "\x07", "\u202e"):
            assert bad not in done.stdout and bad not in done.stderr, (args, bad)
    table = run_cli("history", env=env).stdout
    assert "evil\\x1b]0;pwned\\x07/model" in table


# ---- export -----------------------------------------------------------------------------------


def test_export_jsonl_to_stdout_round_trips(run_cli, env, history) -> None:
    done = run_cli("history", "export", "--format", "jsonl", env=env)
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in lines(done.stdout)]
    newest_first = [e.raw for e in HistoryStore(history, enabled=True).recent() if e.raw]
    assert exported == newest_first and len(exported) == len(sample_raws())  # pending: none


def test_export_csv_to_a_file_round_trips(run_cli, env, history, tmp_path) -> None:
    target = tmp_path / "out" / "history.csv"
    target.parent.mkdir()
    done = run_cli("history", "export", "--format", "csv", "--output", str(target), env=env)
    assert done.returncode == 0, done.stderr
    assert "exported 5 records" in done.stderr and done.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["history.csv"]  # no temp left
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    store = HistoryStore(history, enabled=True)
    assert [r["gen_id"] for r in rows] == [e.gen_id for e in store.recent()]
    for row, entry in zip(rows, store.recent(), strict=True):
        assert row["outcome"] == entry.outcome and row["model"] == (entry.model or "")
        assert (float(row["total_cost"]) if row["total_cost"] else None) == entry.total_cost
        assert datetime.fromisoformat(row["last_seen"]) == entry.last_seen
        assert int(row["lookup_count"]) == entry.lookup_count


def test_export_to_an_unwritable_place_fails_cleanly(run_cli, env, history, tmp_path) -> None:
    target = parent_is_a_file(tmp_path)
    done = run_cli("history", "export", "--output", str(target), env=env)
    assert done.returncode == 1 and "cannot write" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_to_a_named_pipe_writes_through(run_cli, env, history, tmp_path) -> None:
    fifo = tmp_path / "export.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("history", "export", "--output", str(fifo), env=env)
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in got[0].decode().splitlines()] == [
        e.raw for e in HistoryStore(history, enabled=True).recent() if e.raw
    ]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []


def test_export_to_a_link_to_proc_self_fd_1_writes_to_stdout(
    run_cli, env, history, tmp_path
) -> None:
    """``/dev/stdout`` is a symlink to ``/proc/self/fd/1`` (here a pipe to this test). The
    test makes its own such link: code that replaced the link instead of writing through
    then breaks a file in tmp_path, not the system's /dev/stdout."""
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    done = run_cli("history", "export", "--format", "csv", "--output", str(stdout), env=env)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["gen_id"] for r in rows] == [
        e.gen_id for e in HistoryStore(history, enabled=True).recent()
    ]
    assert f"exported 5 records to {stdout}" in done.stderr
    assert stdout.is_symlink() and os.readlink(stdout) == "/proc/self/fd/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "home", "stdout"]


def test_export_through_a_symlink_replaces_the_file_not_the_link(
    run_cli, env, history, tmp_path
) -> None:
    real = tmp_path / "exports" / "history.jsonl"
    real.parent.mkdir()
    real.write_text("stale\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    done = run_cli("history", "export", "--output", str(link), env=env)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and len(real.read_text().splitlines()) == len(sample_raws())
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_an_export_from_an_unusable_history_keeps_the_old_file(run_cli, env, tmp_path) -> None:
    target = tmp_path / "history.csv"
    target.write_text("yesterday's export\n")
    blocked = {**env, "INSPECTOR_DATA_DIR": str(parent_is_a_file(tmp_path).parent)}
    done = run_cli("history", "export", "--format", "csv", "--output", str(target), env=blocked)
    assert done.returncode == exitcodes.HISTORY, done.stderr
    assert "history unavailable" in done.stderr and "Not a directory" in done.stderr
    assert target.read_text() == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "home", "not-a-folder"]


# ---- delete, clear ----------------------------------------------------------------------------


def test_delete(run_cli, env, history) -> None:
    done = run_cli("history", "delete", catalog.CHAT_ID, env=env)
    assert done.returncode == exitcodes.OK and "deleted" in done.stderr
    done = run_cli("history", "delete", catalog.CHAT_ID, env=env)
    assert done.returncode == exitcodes.NOT_FOUND and "not in the history" in done.stderr
    assert HistoryStore(history, enabled=True).get(catalog.CHAT_ID) is None


def test_clear_needs_yes(run_cli, env, history) -> None:
    done = run_cli("history", "clear", env=env)
    assert done.returncode == exitcodes.USAGE
    assert "without --yes" in done.stderr and "5 entries" in done.stderr
    assert HistoryStore(history, enabled=True).count() == 5
    done = run_cli("history", "clear", "--yes", env=env)
    assert done.returncode == exitcodes.OK and "5 entries" in done.stderr
    assert HistoryStore(history, enabled=True).count() == 0


# ---- trouble ----------------------------------------------------------------------------------


def test_a_damaged_file_is_reported_on_stderr(run_cli, env) -> None:
    folder = Path(env["INSPECTOR_DATA_DIR"])
    folder.mkdir()
    (folder / "history.sqlite3").write_text("definitely not SQLite\n")
    done = run_cli("history", env=env)
    assert done.returncode == exitcodes.OK, done.stderr
    assert "moved aside" in done.stderr and "history.sqlite3.corrupt-" in done.stderr
    assert len(list(folder.glob("history.sqlite3.corrupt-*"))) == 1


def test_a_read_only_folder_still_lists_and_refuses_to_clear(run_cli, env, history) -> None:
    with read_only_folder(history.parent):
        done = run_cli("history", env=env)
        assert done.returncode == exitcodes.OK and catalog.CHAT_ID in done.stdout
        assert "read but not written" in done.stderr
        done = run_cli("history", "clear", "--yes", env=env)
        assert done.returncode == 1 and "history unavailable" in done.stderr
        assert "Traceback" not in done.stderr
    assert HistoryStore(history, enabled=True).count() == 5


def unusable_data_dirs(tmp_path: Path) -> dict[str, Path]:
    """Data folders that cannot hold a history, for any user (root included)."""
    a_file = tmp_path / "data-is-a-file"
    a_file.write_text("not a folder\n")
    file_is_a_folder = tmp_path / "history-is-a-folder"
    (file_is_a_folder / "history.sqlite3").mkdir(parents=True)
    return {
        "a regular file": a_file,
        "under a regular file": parent_is_a_file(tmp_path).parent,
        "history.sqlite3 is a folder": file_is_a_folder,
    }


@pytest.mark.parametrize(
    "case", ["a regular file", "under a regular file", "history.sqlite3 is a folder"]
)
def test_an_unusable_data_folder_exits_1_not_empty(run_cli, env, tmp_path, case) -> None:
    folder = unusable_data_dirs(tmp_path)[case]
    bad = {**env, "INSPECTOR_DATA_DIR": str(folder)}
    commands = [
        ("history",),
        ("history", "--json"),
        ("history", "delete", catalog.CHAT_ID),
        ("history", "clear"),
        ("history", "clear", "--yes"),
        ("history", "export"),
    ]
    for args in commands:
        done = run_cli(*args, env=bad)
        assert done.returncode == exitcodes.HISTORY, (args, done.stderr)
        assert done.stdout == "" and "empty" not in done.stderr and "Traceback" not in done.stderr
        (line,) = done.stderr.splitlines()
        assert "history unavailable" in line and str(folder) in line


@pytest.mark.parametrize(
    "args",
    [
        ("history",),
        ("history", "--json"),
        ("history", "export", "--format", "csv"),
        ("history", "delete", catalog.CHAT_ID),
        ("history", "clear", "--yes"),
    ],
)
def test_a_data_dir_of_an_unknown_user_is_a_usage_error(run_cli, env, args) -> None:
    done = run_cli(*args, env={**env, "INSPECTOR_DATA_DIR": "~nosuchuser/x"})
    assert done.returncode == exitcodes.USAGE and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "INSPECTOR_DATA_DIR='~nosuchuser/x'" in line and "~nosuchuser" in line
    assert not (REPO_ROOT / "~nosuchuser").exists()  # the CLI runs in the repo


@pytest.mark.parametrize(
    "limit",
    ["99999999999999999999", "1000000001", pytest.param("9" * 5000, id="5000-digits")],
)
def test_a_limit_too_large_is_a_usage_error(run_cli, env, history, limit) -> None:
    done = run_cli("history", "--limit", limit, env=env)
    assert done.returncode == exitcodes.USAGE and done.stdout == ""
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "at most 1,000,000,000 (0 shows all)" in errors[0]
    assert "Traceback" not in done.stderr
    done = run_cli("history", "--limit", "1000000000", env=env)
    assert done.returncode == 0 and len(lines(done.stdout)) == 6


def test_recording_off_still_shows_the_history(run_cli, env, history) -> None:
    done = run_cli("history", env={**env, "INSPECTOR_HISTORY": "off"})
    assert done.returncode == 0 and catalog.CHAT_ID in done.stdout
    assert "recording is off" in done.stderr


def test_usage(run_cli, env) -> None:
    done = run_cli("history", "export", "--format", "xml", env=env)
    assert done.returncode == exitcodes.USAGE and "invalid choice" in done.stderr
    done = run_cli("history", "--help", env=env)
    assert done.returncode == 0 and "export" in done.stdout and "--search" in done.stdout


# ---- with `get` -------------------------------------------------------------------------------


def test_get_records_lookups_and_the_key_is_nowhere(
    run_cli, cli_env, fake_server: FakeOpenRouter
) -> None:
    ids = [catalog.CHAT_ID, catalog.FALLBACK_ID, catalog.HOSTILE_TEXT_ID, catalog.NOT_FOUND_ID]
    done = run_cli("get", *ids, env=cli_env)
    assert done.returncode == exitcodes.NOT_FOUND, done.stderr
    listed = run_cli("history", "--json", env=cli_env)
    entries = {e["gen_id"]: e for e in map(json.loads, lines(listed.stdout))}
    assert set(entries) == set(ids)
    assert entries[catalog.NOT_FOUND_ID]["outcome"] == "not_found"
    assert entries[catalog.CHAT_ID]["outcome"] == "ok"
    data = Path(cli_env["INSPECTOR_DATA_DIR"])
    assert files_containing(data, TEST_KEY.encode()) == []
    assert files_containing(data, b"user_2wS3opoyh10074KWHFdTRcPkvos") == []


def test_get_with_history_off_creates_nothing(run_cli, cli_env) -> None:
    done = run_cli("get", catalog.CHAT_ID, env={**cli_env, "INSPECTOR_HISTORY": "off"})
    assert done.returncode == 0, done.stderr
    assert not Path(cli_env["INSPECTOR_DATA_DIR"]).exists()
