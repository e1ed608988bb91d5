"""The command line at its edges (issue 11: output, arguments, signals): a full disk, a
closed pipe, a cp1252 console, absurd arguments and termination signals each end in one
clear line and the documented exit code, never a traceback, and lose nothing recorded."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector.cli import exitcodes, signals
from inspector.cli.running import run_in_loop
from inspector.infra.history import HistoryStore
from inspector.testserver import FakeOpenRouter, catalog

RunCli = Callable[..., subprocess.CompletedProcess[str]]
REPO_ROOT = Path(__file__).resolve().parent.parent


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_is_one_line_and_the_lookup_is_still_recorded(
    cli_env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "inspector", "get", catalog.CHAT_ID],
            env=cli_env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            cwd=REPO_ROOT,
        )
    assert done.returncode == exitcodes.OUTPUT, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == ["orinspect: error: cannot write the output: No space left on device"]
    store = HistoryStore(Path(cli_env["INSPECTOR_DATA_DIR"]) / "history.sqlite3", enabled=True)
    try:
        entry = store.get(catalog.CHAT_ID)
        assert entry is not None and entry.outcome == "ok"
    finally:
        store.close()


def test_a_closed_pipe_ends_quietly(cli_env: dict[str, str]) -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert reader.stdin is not None
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "get", *catalog.SAMPLE_IDS],
        env={**cli_env, "INSPECTOR_HISTORY": "off"},
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    reader.stdin.close()
    reader.wait(timeout=10)
    no_traceback(done)
    assert done.returncode == exitcodes.OK
    assert "Exception ignored" not in done.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_console_without_the_characters_gets_stand_ins(
    encoding: str, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "PYTHONIOENCODING": encoding, "INSPECTOR_HISTORY": "off"}
    ids = (catalog.REASONING_CACHED_ID, catalog.FALLBACK_ID)  # "−$", "→", "·" and "—"
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "get", *ids],
        env=env,
        capture_output=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    out, err = done.stdout.decode(encoding), done.stderr.decode(encoding)
    assert "Traceback" not in err and done.returncode == exitcodes.OK, err
    assert "cache discount -$0.0147456" in out
    assert "after 2 fallbacks: Chutes 429, Together 502" in out


@pytest.mark.parametrize(
    "args",
    [
        ("get", catalog.CHAT_ID, "--timeout", "1e300"),
        ("get", catalog.CHAT_ID, "--timeout", "nan"),
        ("--timeout", "-1", "get", catalog.CHAT_ID),
        ("history", "--limit", "99999999999999999999"),
    ],
)
def test_absurd_arguments_are_usage_errors(run_cli: RunCli, args: tuple[str, ...]) -> None:
    done = run_cli(*args)
    no_traceback(done)
    assert done.returncode == exitcodes.USAGE
    assert "orinspect: error:" in done.stderr


def test_a_data_dir_that_is_no_path_is_a_usage_error_for_get(
    run_cli: RunCli, cli_env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    done = run_cli("get", catalog.CHAT_ID, env={**cli_env, "INSPECTOR_DATA_DIR": "~nosuchuser/x"})
    no_traceback(done)
    assert done.returncode == exitcodes.USAGE
    assert "nosuchuser" in done.stderr and fake_server.requests == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_termination_signals_end_a_command_cleanly(
    signum: int, cli_env: dict[str, str], make_fake_server: Callable[..., FakeOpenRouter]
) -> None:
    slow = make_fake_server()
    gen_id = catalog.SLOW_ID
    env = {**cli_env, "OPENROUTER_BASE_URL": slow.base_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector", "get", catalog.CHAT_ID, gen_id],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    deadline = time.monotonic() + 20
    while slow.count(gen_id) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert slow.count(gen_id) == 1
    os.kill(proc.pid, signum)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 128 + signum, err
    assert err.strip().splitlines()[-1] == f"terminated by {signal.Signals(signum).name}"
    assert "Traceback" not in err
    assert out.startswith(catalog.CHAT_ID)  # what was done before the signal stays done
    store = HistoryStore(Path(cli_env["INSPECTOR_DATA_DIR"]) / "history.sqlite3", enabled=True)
    try:
        assert store.get(catalog.CHAT_ID) is not None
    finally:
        store.close()


def test_a_signal_landing_in_the_event_loops_own_code_still_ends_the_command() -> None:
    """A signal handled between two steps of a task (in one of the loop's callbacks, not
    inside the task) ends the command too: it was once logged as "Exception in callback"
    and the command went on waiting for its request (a CI run hung that way)."""
    previous = {signum: signal.getsignal(signum) for signum in signals.SIGNALS}
    signals.install()
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # or the test would die

    async def work() -> int:
        asyncio.get_running_loop().call_soon(signal.raise_signal, signal.SIGTERM)
        await asyncio.sleep(10)  # the request the signal should end
        return 0

    try:
        started = time.monotonic()
        with pytest.raises(signals.Terminated) as stop:
            run_in_loop(work())
        assert stop.value.signum == signal.SIGTERM
        assert time.monotonic() - started < 5
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def test_a_signal_before_the_apps_loop_is_reported_as_that_signal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Until the app's loop takes the termination signals over, they arrive as
    :class:`~inspector.cli.signals.Terminated`, a KeyboardInterrupt: the app's launcher
    lets both through, and ``main`` reports the signal (128 + the number) or the Ctrl+C
    (130), as for every other command."""
    from inspector.cli.main import main
    from inspector.tui import launch

    def killed(args: argparse.Namespace, stack: object) -> None:
        raise signals.Terminated(signal.SIGHUP)

    def interrupted(args: argparse.Namespace, stack: object) -> None:
        raise KeyboardInterrupt

    previous = {signum: signal.getsignal(signum) for signum in signals.SIGNALS}
    try:
        monkeypatch.setattr(launch, "build_app", killed)
        assert main([]) == 128 + signal.SIGHUP
        assert capsys.readouterr().err.strip().splitlines()[-1] == "terminated by SIGHUP"
        monkeypatch.setattr(launch, "build_app", interrupted)
        assert main([]) == exitcodes.INTERRUPTED == 130
        assert capsys.readouterr().err.strip().splitlines()[-1] == "interrupted"
    finally:
        for signum, handler in previous.items():  # main installed its own
            signal.signal(signum, handler)


def test_sigterm_in_demo_mode_removes_the_demo_folder(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**cli_env, "TMPDIR": str(temp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector", "--demo", "get", catalog.SLOW_ID],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    deadline = time.monotonic() + 20
    while not any(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert any(temp.iterdir()), "the demo made no temporary folder"
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert list(temp.iterdir()) == []
