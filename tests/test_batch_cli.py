"""``orinspect get`` with many ids, as a real subprocess against the local server: input
order under concurrency, totals equal to the sums of the records, Ctrl+C mid-batch, the
progress bar (on a real pseudo-terminal only), ids from files."""

from __future__ import annotations

import json
import os
import pty
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from batch_support import add_records, delay_each

from inspector.cli import exitcodes
from inspector.infra.history import HistoryStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

RunCli = Callable[..., subprocess.CompletedProcess[str]]
MakeServer = Callable[..., FakeOpenRouter]


def records_and_totals(stdout: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """JSON Lines output: the records, and the totals object of the last line if any."""
    objects = [json.loads(line) for line in stdout.splitlines()]
    if objects and list(objects[-1]) == ["totals"]:
        return objects[:-1], objects[-1]["totals"]
    return objects, None


def test_output_keeps_the_input_order_under_concurrency(
    run_cli: RunCli, fake_server: FakeOpenRouter
) -> None:
    ids = add_records(fake_server, 30)
    delay_each(fake_server, ids, [random.Random(i).uniform(0, 0.1) for i in range(30)])
    done = run_cli("get", *ids, "--json", "--jobs", "6", "--no-history")
    assert done.returncode == exitcodes.OK, done.stderr
    records, totals = records_and_totals(done.stdout)
    assert [r["id"] for r in records] == ids and totals is None
    assert records == [fake_server.record(g) for g in ids]
    assert done.stderr == ""  # not a terminal: no progress bar, no noise


def test_totals_are_the_sums_of_the_records(run_cli: RunCli, fake_server: FakeOpenRouter) -> None:
    ids = add_records(fake_server, 25)
    done = run_cli(
        "get", *ids, catalog.NOT_FOUND_ID, "--json", "--totals", "--no-history", "--jobs", "5"
    )
    assert done.returncode == exitcodes.NOT_FOUND
    records, totals = records_and_totals(done.stdout)
    assert totals is not None and len(records) == 25
    # Computed here, independently, from the records as received.
    money = [Decimal(str(r["total_cost"])) for r in records]
    upstream = [Decimal(str(r["upstream_inference_cost"])) for r in records if r.get("is_byok")]
    assert totals["billed"] == float(sum(money))
    assert totals["true_spend"] == float(sum(money) + sum(upstream))
    assert totals["byok"] == len(upstream) > 0
    assert totals["tokens"] == {
        "prompt": sum(r["native_tokens_prompt"] for r in records),
        "completion": sum(r["native_tokens_completion"] for r in records),
        "cached": sum(r["native_tokens_cached"] for r in records),
        "reasoning": sum(r.get("native_tokens_reasoning") or 0 for r in records),
    }
    assert totals["outcomes"] == {"ok": 25, "pending": 0, "not_found": 1, "error": 0}
    spend: dict[str, Decimal] = defaultdict(Decimal)
    for record, cost in zip(records, money, strict=True):
        extra = Decimal(str(record["upstream_inference_cost"])) if record.get("is_byok") else 0
        spend[record["model"]] += cost + extra
    top = sorted(spend, key=lambda model: -spend[model])
    assert [m["name"] for m in totals["top_models"]] == top[:3]
    assert [m["true_spend"] for m in totals["top_models"]] == [float(spend[m]) for m in top[:3]]
    by_provider = Counter(r["provider_name"] for r in records)
    assert {p["name"]: p["count"] for p in totals["top_providers"]}.items() <= by_provider.items()
    slowest = max(records, key=lambda r: r["latency"] + r["generation_time"])
    assert totals["slowest"] == {
        "id": slowest["id"],
        "total_time_ms": slowest["latency"] + slowest["generation_time"],
    }


def test_text_form_ends_with_totals_and_json_only_when_asked(
    run_cli: RunCli, fake_server: FakeOpenRouter
) -> None:
    ids = [catalog.CHAT_ID, catalog.BYOK_ID, catalog.FALLBACK_ID]
    text = run_cli("get", *ids, "--no-history")
    assert text.returncode == exitcodes.OK
    block = text.stdout.split("\n\n")[-1]
    assert block.startswith("totals of 3 lookups\n  outcomes       3 ok\n")
    assert "(1 BYOK)" in block and "slowest" in block
    plain_json = run_cli("get", *ids, "--json", "--no-history")
    assert records_and_totals(plain_json.stdout)[1] is None


def test_ctrl_c_mid_batch_keeps_what_was_recorded(
    make_fake_server: MakeServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    server = make_fake_server(latency=0.1)
    ids = add_records(server, 400)  # 10 s of lookups at 4 at a time
    env = {**cli_env, "OPENROUTER_BASE_URL": server.base_url, "INSPECTOR_HISTORY": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector", "get", *ids, "--json", "--jobs", "4"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while len(server.requests) < 30 and time.monotonic() < deadline:
        time.sleep(0.02)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 5.0  # at once, not after the remaining lookups
    assert proc.returncode == exitcodes.INTERRUPTED
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err
    printed = [json.loads(line)["id"] for line in out.splitlines()]
    assert printed == ids[: len(printed)] and printed  # in order, and some were out
    with HistoryStore(Path(env["INSPECTOR_DATA_DIR"]) / "history.sqlite3", enabled=True) as store:
        kept = {entry.gen_id for entry in store.recent(limit=1000)}
    assert set(printed) <= kept  # nothing shown was lost
    answered = {r.query["id"] for r in server.requests}
    assert kept <= answered and len(kept) < len(ids)  # and nothing was made up


def read_pty(fd: int, proc: subprocess.Popen[str], timeout: float = 60) -> str:
    """Everything written to a pseudo-terminal until the process has ended."""
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the other side closed
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_progress_bar_on_a_terminal_only(
    make_fake_server: MakeServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    server = make_fake_server(latency=0.05)
    ids = add_records(server, 40)
    env = {**cli_env, "OPENROUTER_BASE_URL": server.base_url, "INSPECTOR_HISTORY": "off"}
    env.update(TERM="xterm-256color", COLUMNS="120")
    master, slave = pty.openpty()
    output = tmp_path / "out.jsonl"
    with output.open("w") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "inspector", "get", *ids, "--json", "--jobs", "2"],
            env=env,
            stdout=stdout,
            stderr=slave,
            text=True,
        )
        os.close(slave)
        drawn = read_pty(master, proc)
        proc.wait(timeout=30)
    os.close(master)
    assert proc.returncode == exitcodes.OK
    lines = output.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids  # stdout untouched
    assert "/40" in drawn and "ok " in drawn and "failed 0" in drawn and "/s" in drawn
    assert TEST_KEY not in drawn


def test_ids_from_files_and_stdin(run_cli: RunCli, tmp_path: Path) -> None:
    listed = tmp_path / "ids.log"
    listed.write_text(f"INFO generation_id={catalog.CHAT_ID}\njunk\n{catalog.IMAGE_ID} done\n")
    done = run_cli("get", f"@{listed}", "-", catalog.CHAT_ID, "--json", input=catalog.BYOK_ID)
    assert done.returncode == exitcodes.OK, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [
        catalog.CHAT_ID,
        catalog.IMAGE_ID,
        catalog.BYOK_ID,
    ]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("@/nonexistent/ids.txt",), "cannot read '/nonexistent/ids.txt'"),
        (("--jobs", "0", catalog.CHAT_ID), "--jobs: must be from 1 to 64, got 0"),
        (("--jobs", "x", catalog.CHAT_ID), "--jobs: not a whole number"),
    ],
)
def test_bad_input_is_a_usage_error(
    run_cli: RunCli, fake_server: FakeOpenRouter, args: tuple[str, ...], needle: str
) -> None:
    done = run_cli("get", *args)
    assert done.returncode == exitcodes.USAGE
    assert needle in done.stderr and "Traceback" not in done.stderr
    assert fake_server.requests == []


def test_empty_file_holds_no_id(run_cli: RunCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing to see\n")
    done = run_cli("get", f"@{empty}")
    assert done.returncode == exitcodes.USAGE
    assert f"no generation id found in '{empty}'" in done.stderr
