"""``orinspect watch`` as a real subprocess: a real file appended to, truncated, renamed and
recreated while it is followed; stdin until its end; young ids polled until they appear."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

import pytest

from inspector.cli import exitcodes
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

RunCli = Callable[..., subprocess.CompletedProcess[str]]
TIMEOUT = 30.0


class Watcher:
    """``orinspect watch ARGS`` running, its stdout and stderr in files read as it goes."""

    def __init__(self, args: list[str], env: Mapping[str, str], folder: Path) -> None:
        self.out_path, self.err_path = folder / "watch.out", folder / "watch.err"
        self._out: IO[str] = self.out_path.open("w")
        self._err: IO[str] = self.err_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "inspector", "watch", *args],
            env={**env, "INSPECTOR_HISTORY": "off"},
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )

    @property
    def out(self) -> str:
        return self.out_path.read_text()

    @property
    def err(self) -> str:
        return self.err_path.read_text()

    def wait_for(self, needle: str, *, stream: str = "out") -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if needle in (self.out if stream == "out" else self.err):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never came:\n{self.out}\n{self.err}")

    def interrupt(self, signum: int = signal.SIGINT) -> int:
        self.proc.send_signal(signum)
        code = self.proc.wait(timeout=TIMEOUT)
        self._out.close()
        self._err.close()
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
        self._out.close()
        self._err.close()


@pytest.fixture
def watch(cli_env: dict[str, str], tmp_path: Path) -> Callable[..., Watcher]:
    started: list[Watcher] = []

    def start(*args: str, env: Mapping[str, str] | None = None) -> Watcher:
        watcher = Watcher(list(args), {**cli_env, **(env or {})}, tmp_path)
        started.append(watcher)
        return watcher

    yield start  # type: ignore[misc]
    for watcher in started:
        watcher.stop()


def append(path: Path, text: str) -> None:
    with path.open("a") as handle:
        handle.write(text)


def test_follows_appends_truncation_and_rotation(
    watch: Callable[..., Watcher], fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    log = tmp_path / "app.log"
    log.write_text(f"already there {catalog.OLD_RECORD_ID}\n")
    watcher = watch(str(log), "--interval", "0.05")
    watcher.wait_for(f"following {log}", stream="err")
    append(log, f"INFO generation_id={catalog.FALLBACK_ID} status=200\n")
    watcher.wait_for(catalog.FALLBACK_ID)
    line = next(x for x in watcher.out.splitlines() if catalog.FALLBACK_ID in x)
    fields = line.split("  ")
    assert fields[1:] == [
        catalog.FALLBACK_ID,
        "moonshotai/kimi-k2-0905",
        "Fireworks",
        "$0.0040726",
        "3,921 → 688",
        "2.61 s",
        "[fell back, cache missed]",
    ]
    append(log, f"a line still being written: {catalog.CHAT_ID}")  # no newline yet
    time.sleep(0.5)
    assert catalog.CHAT_ID not in watcher.out  # a line counts once it ends
    append(log, " (done)\n")
    watcher.wait_for(catalog.CHAT_ID)

    log.write_text(f"after truncation {catalog.BYOK_ID}\n")  # truncated, then written
    watcher.wait_for(catalog.BYOK_ID)
    watcher.wait_for("was truncated: reading it from the start", stream="err")

    rotated = tmp_path / "app.log.1"
    log.rename(rotated)
    append(rotated, f"written to the old file just after the rename {catalog.IMAGE_ID}\n")
    log.write_text(f"the new file {catalog.CACHE_HIT_ID} and {catalog.FALLBACK_ID} again\n")
    watcher.wait_for(catalog.IMAGE_ID)
    watcher.wait_for(catalog.CACHE_HIT_ID)
    watcher.wait_for("was replaced (rotated): following the new file", stream="err")

    assert watcher.interrupt() == exitcodes.INTERRUPTED
    out = watcher.out
    totals = out[out.index("totals of 5 lookups") :].splitlines()
    assert totals[1] == "  outcomes       5 ok" and totals[-1].startswith("  slowest")
    assert watcher.err.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in watcher.err and TEST_KEY not in out + watcher.err
    assert fake_server.count(catalog.OLD_RECORD_ID) == 0  # what the file held: skipped
    assert fake_server.count(catalog.FALLBACK_ID) == 1  # repeats are looked up once


def test_waits_for_a_file_that_appears_later(
    watch: Callable[..., Watcher], fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    log = tmp_path / "later.log"
    watcher = watch(str(log), "--interval", "0.05", "--json")
    watcher.wait_for("waiting for", stream="err")
    log.write_text(f"{catalog.CHAT_ID}\n")  # read from its start: it is new
    watcher.wait_for(catalog.CHAT_ID)
    assert watcher.interrupt() == exitcodes.INTERRUPTED
    lines = [json.loads(line) for line in watcher.out.splitlines()]
    assert lines[0] == fake_server.record(catalog.CHAT_ID)
    assert list(lines[-1]) == ["totals"] and lines[-1]["totals"]["lookups"] == 1


@pytest.mark.parametrize(
    ("signum", "code", "last_words"),
    [
        (signal.SIGINT, exitcodes.INTERRUPTED, "interrupted"),
        # kill or timeout ends a watch as Ctrl+C does (the totals so far), with 143
        (signal.SIGTERM, 128 + signal.SIGTERM, "terminated by SIGTERM"),
    ],
)
def test_from_start_reads_what_the_file_holds(
    watch: Callable[..., Watcher],
    fake_server: FakeOpenRouter,
    tmp_path: Path,
    signum: int,
    code: int,
    last_words: str,
) -> None:
    log = tmp_path / "app.log"
    log.write_text(f"{catalog.CHAT_ID}\n{catalog.BYOK_ID}\n")
    watcher = watch(str(log), "--from-start")
    watcher.wait_for(catalog.CHAT_ID)
    watcher.wait_for(catalog.BYOK_ID)
    assert watcher.interrupt(signum) == code
    assert "[cache missed, BYOK]" in watcher.out
    assert "totals of 2 lookups" in watcher.out
    assert watcher.err.strip().splitlines()[-1] == last_words
    assert "Traceback" not in watcher.err


def test_stdin_until_its_end(
    run_cli: RunCli, cli_env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    young = fake_server.pending_id(polls=2)
    text = (
        f"POST /chat 200 {young}\n"
        f"POST /chat 200 {catalog.CHAT_ID} req-1792505729-Gv2XpN7kQe4RbW9tLc1Z\n"
        f"POST /chat 200 {catalog.NOT_FOUND_ID}\n"
    )
    env = {"INSPECTOR_HISTORY": "off", "INSPECTOR_RETRY_SCALE": "0.2"}
    done = run_cli("watch", "-", input=text, env={**cli_env, **env})
    assert done.returncode == exitcodes.NOT_FOUND  # the first failed lookup's code
    lines = done.stdout.splitlines()
    resolved = [f[1] for f in (line.split("  ") for line in lines) if f[1:2] and "gen-" in f[1]]
    assert resolved[0] == catalog.CHAT_ID and young in resolved  # the young one came later
    assert fake_server.count(young) == 3  # polled until it appeared
    assert f"{catalog.NOT_FOUND_ID}: 404 Not found" in done.stderr
    assert "totals of 3 lookups" in done.stdout and "1 not found" in done.stdout
