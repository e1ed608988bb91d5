"""SIGTERM, SIGHUP and SIGQUIT to the app in a real terminal (tmux): the terminal is left as
it was found (main screen, no mouse tracking, cursor shown), the demo's temporary folder is
removed, and the exit code is 128 + the signal."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_terminal_tmux import REPO_ROOT, Tmux
from test_terminal_tmux import _env as app_env

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "tmux"], capture_output=True).returncode != 0,
    reason="tmux is not installed",
)


class LingeringTmux(Tmux):
    """The pane stays open after the app ends, so its terminal state can be read."""

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(env.items()))
        command = f"env -i {assignments} {shlex.join(argv)}; echo $? > {self.rc_file}; sleep 60"
        self.tmux("new-session", "-d", "-s", "app", "-x", "120", "-y", "40", "sh", "-c", command)

    def flags(self) -> str:
        return self.tmux(
            "display", "-p", "-t", "app", "#{alternate_on} #{mouse_any_flag} #{cursor_flag}"
        ).strip()

    def app_pid(self) -> int:
        shell = self.tmux("display", "-p", "-t", "app", "#{pane_pid}").strip()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            found = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True)
            pids = found.stdout.split()
            if pids:
                return int(pids[0])
            time.sleep(0.05)
        raise AssertionError("the app's process was not found")


@pytest.fixture
def lingering(tmp_path: Path) -> Iterator[LingeringTmux]:
    session = LingeringTmux(tmp_path)
    yield session
    session.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_a_termination_signal_restores_the_terminal_and_cleans_up(
    signum: int, lingering: LingeringTmux, tmp_path: Path
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**app_env(tmp_path), "TMPDIR": str(temp)}
    lingering.start([sys.executable, "-m", "inspector", "--demo"], env)
    lingering.wait_for_text("demo")
    assert lingering.flags().split()[0] == "1"  # the app is on the alternate screen
    assert any(temp.iterdir())  # the demo's folder exists while it runs
    os.kill(lingering.app_pid(), signum)
    assert lingering.exit_code() == 128 + signum, lingering.screen()
    assert lingering.flags() == "0 0 1"  # main screen, no mouse tracking, cursor shown
    assert list(temp.iterdir()) == []
    assert "Traceback" not in lingering.screen()
    assert REPO_ROOT.exists()


def _gone(pid: int) -> bool:
    """True once ``pid`` has ended (a zombie waiting for init to reap it counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def test_a_terminal_that_goes_away_ends_the_app(lingering: LingeringTmux, tmp_path: Path) -> None:
    """A closed window or a killed tmux: the app must not linger (spinning on a dead
    terminal), whether or not a SIGHUP reaches it."""
    lingering.start([sys.executable, "-m", "inspector", "--demo"], app_env(tmp_path))
    lingering.wait_for_text("demo")
    pid = lingering.app_pid()
    lingering.kill()
    deadline = time.monotonic() + 15
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not _gone(pid):
        os.kill(pid, signal.SIGKILL)
        raise AssertionError("the app kept running after its terminal went away")
