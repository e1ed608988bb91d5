"""The app in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.

Each test uses a private tmux server (``-L``, its own config with ``set-clipboard on``) and
kills it at the end. The app's command is wrapped so its exit code lands in a file. The
screen is polled with a timeout, never read after a fixed sleep. Compiled modules go to a
folder shared by the run (``PYTHONPYCACHEPREFIX``): the 50 launches of the start-up test
then cost what they cost an installed app, and run a few at a time.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

REPO_ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 120, 40
TIMEOUT = 20.0  # seconds to wait for any one thing to appear on screen
MODEL = "openai/gpt-4.1-mini-2025-04-14"  # catalog.CHAT_ID's model, its first field

# Variables that would leak the developer's setup (or a desktop clipboard) into the app.
_SCRUBBED = ("OPENROUTER_", "INSPECTOR_", "PYTHON_KEYRING", "XDG_", "TMUX")
_SCRUBBED_EXACT = ("DISPLAY", "WAYLAND_DISPLAY")


LAUNCHES = 50  # start-ups with an id typed at the first frame
PARALLEL = 4  # of them at a time (each mostly waits: for its interpreter, then the server)
PYCACHE = Path(os.environ.get("TMPDIR", "/tmp")) / f"orinspect-tmux-pycache-{os.getuid()}"


class Tmux:
    """A private tmux server running one command in one window."""

    def __init__(self, tmp: Path) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.socket = f"inspector-test-{os.getpid()}-{time.monotonic_ns()}"
        self.config = tmp / "tmux.conf"
        self.config.write_text(
            "set -g set-clipboard on\n"  # accept OSC 52 from the app into a paste buffer
            "set -g status off\n"
            "set -g default-terminal tmux-256color\n"
            "set -g history-limit 0\n"
            "set -g remain-on-exit on\n"  # an app that exits early leaves its last screen
        )
        self.rc_file = tmp / "exit-code"

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=15,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        """Run ``argv`` in a new detached session; its exit code goes to ``rc_file``."""
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(env.items()))
        command = f"env -i {assignments} {shlex.join(argv)}; echo $? > {self.rc_file}"
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            str(WIDTH),
            "-y",
            str(HEIGHT),
            "sh",
            "-c",
            command,
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app", check=False)

    def wait_for(self, predicate: Callable[[str], bool], what: str, step: float = 0.05) -> str:
        """Poll the screen until ``predicate(screen)`` holds; fail after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(step)
        code = self.rc_file.read_text().strip() if self.rc_file.exists() else "still running"
        raise AssertionError(
            f"timed out waiting for {what} (the app: {code}); the screen was:\n{screen}"
        )

    def wait_for_text(self, *texts: str) -> str:
        return self.wait_for(lambda s: all(t in s for t in texts), " and ".join(map(repr, texts)))

    def send(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "app", *(["-l"] if literal else []), *keys)

    def buffer(self) -> str | None:
        """The newest paste buffer, or None when there is none."""
        result = subprocess.run(
            ["tmux", "-L", self.socket, "show-buffer"], capture_output=True, timeout=15
        )
        return result.stdout.decode("utf-8") if result.returncode == 0 else None

    def wait_for_buffer(self, expected: str) -> str | None:
        deadline = time.monotonic() + TIMEOUT
        value = self.buffer()
        while value != expected and time.monotonic() < deadline:
            time.sleep(0.05)
            value = self.buffer()
        return value

    def exit_code(self) -> int:
        """Wait for the wrapped command to finish and return its exit code."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.rc_file.exists() and self.rc_file.read_text().strip():
                return int(self.rc_file.read_text().strip())
            time.sleep(0.05)
        raise AssertionError(f"the app did not exit; the screen was:\n{self.screen()}")

    def kill(self) -> None:
        """Stop the server, and the app if it still runs: an app whose terminal went away
        must not linger (it is this test's own process, found by the pane's pid)."""
        pane = self.tmux("display-message", "-p", "-t", "app", "#{pane_pid}", check=False)
        children = _children(int(pane)) if pane.strip().isdigit() else []
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=15)
        for pid in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the app under the pane's shell)."""
    result = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, timeout=15
    )
    return [int(line) for line in result.stdout.split() if line.strip().isdigit()]


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path)
    yield session
    session.kill()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_SCRUBBED) and k not in _SCRUBBED_EXACT
    }
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        HOME=str(home),
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        INSPECTOR_DATA_DIR=str(tmp_path / "data"),
        INSPECTOR_CONFIG="off",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONPATH=os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])]),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        TERM="tmux-256color",
    )
    env.update(extra)
    return env


def _look_up_and_check(tmux: Tmux, gen_id: str) -> None:
    """Type ``gen_id``, press Enter, and find the chat sample's key figures on screen."""
    tmux.wait_for_text("id ▸")
    tmux.send(gen_id, literal=True)
    tmux.send("Enter")
    screen = tmux.wait_for_text("openai/gpt-4.1-mini", "OpenAI")
    assert "$0.0005584" in screen, screen
    # c copies the field under the cursor (the model, first) through OSC 52, which tmux
    # keeps as a paste buffer; y copies the generation id the same way.
    tmux.send("c")
    assert tmux.wait_for_buffer(MODEL) == MODEL
    tmux.send("y")
    assert tmux.wait_for_buffer(gen_id) == gen_id
    tmux.send("C-q")
    assert tmux.exit_code() == 0


def test_lookup_copy_and_quit_against_the_local_server(
    tmux: Tmux, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    env = _env(tmp_path, OPENROUTER_API_KEY=TEST_KEY, OPENROUTER_BASE_URL=fake_server.base_url)
    tmux.start([sys.executable, "-m", "inspector"], env)
    tmux.wait_for_text("environment")  # the key came from OPENROUTER_API_KEY
    _look_up_and_check(tmux, catalog.CHAT_ID)
    assert fake_server.count(catalog.CHAT_ID) == 1


def test_demo_mode_runs_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    env = _env(tmp_path)
    tmux.start([sys.executable, "-m", "inspector", "--demo"], env)
    tmux.wait_for_text("demo")
    _look_up_and_check(tmux, catalog.CHAT_ID)
    # The demo kept its history in its own temporary directory, not in the user's.
    assert not (tmp_path / "data").exists()


# ---- the main loop: typing and pasting while a record is shown -------------------------------


def _record_shown(tmux: Tmux, server: FakeOpenRouter, tmp_path: Path) -> None:
    """The app on ``server`` with the chat sample on screen, its fields focused."""
    env = _env(tmp_path, OPENROUTER_API_KEY=TEST_KEY, OPENROUTER_BASE_URL=server.base_url)
    tmux.start([sys.executable, "-m", "inspector"], env)
    tmux.wait_for_text("environment")
    tmux.send(catalog.CHAT_ID, literal=True)
    tmux.send("Enter")
    tmux.wait_for_text("openai/gpt-4.1-mini", "$0.0005584")
    tmux.wait_for(lambda s: "c copy field" in s.splitlines()[-1], "the record's keys")


def test_a_paste_while_a_record_is_focused_is_looked_up(
    tmux: Tmux, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    _record_shown(tmux, fake_server, tmp_path)
    line = f"2026-10-20 16:07 INFO done id={catalog.FALLBACK_ID} cost=0.004\n"
    tmux.tmux("set-buffer", "-b", "paste", line)
    tmux.tmux("paste-buffer", "-p", "-b", "paste", "-t", "app")  # -p: a bracketed paste
    screen = tmux.wait_for_text("Fireworks", catalog.FALLBACK_ID)
    assert "$0.0040726" in screen, screen
    assert fake_server.count(catalog.FALLBACK_ID) == 1
    tmux.send("C-q")
    assert tmux.exit_code() == 0


def test_typing_an_id_while_a_record_is_shown_runs_no_command(
    tmux: Tmux, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    _record_shown(tmux, fake_server, tmp_path)
    before = tmux.buffer()
    gen_id = catalog.FALLBACK_ID  # holds c, y, r, m, v, K, q …: none may act
    tmux.send(gen_id, literal=True)
    tmux.wait_for_text(f"id ▸ {gen_id}")
    screen = tmux.screen()
    assert "raw JSON as received" not in screen and "Copied" not in screen, screen
    assert tmux.buffer() == before  # nothing was copied (c, y, C, m)
    assert fake_server.count(catalog.CHAT_ID) == 1  # no refresh (r)
    tmux.send("Enter")
    tmux.wait_for_text("Fireworks", "$0.0040726")
    tmux.send("C-q")
    assert tmux.exit_code() == 0


# ---- start-up never races the key ------------------------------------------------------------


def _launch_and_type(server: FakeOpenRouter, tmp: Path, key: str | None) -> str:
    """Start the app, type the chat id the moment the first frame shows, press Enter; the
    screen once the record (or the key prompt, without a key) is up."""
    tmux = Tmux(tmp)
    try:
        # History off: it plays no part in the race, and the launches are CPU-bound.
        extra = {"OPENROUTER_BASE_URL": server.base_url, "INSPECTOR_HISTORY": "off"}
        if key:
            extra["OPENROUTER_API_KEY"] = key
        tmux.start([sys.executable, "-m", "inspector"], _env(tmp, **extra))
        tmux.wait_for(lambda screen: "id ▸" in screen, "the first frame", step=0.02)
        tmux.send(catalog.CHAT_ID, literal=True)
        tmux.send("Enter")
        if key:
            return tmux.wait_for_text("openai/gpt-4.1-mini", "$0.0005584")
        return tmux.wait_for_text("OpenRouter API key", "No key in OPENROUTER_API_KEY")
    finally:
        tmux.kill()  # the app with it (a clean quit is tested above, once is enough)


def test_an_id_typed_at_the_first_frame_waits_for_the_key_50_times(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    with ThreadPoolExecutor(PARALLEL) as pool:
        screens = list(
            pool.map(
                lambda n: _launch_and_type(fake_server, tmp_path / f"run{n}", TEST_KEY),
                range(LAUNCHES),
            )
        )
    for screen in screens:
        assert "401" not in screen and "Key rejected" not in screen, screen
    generation = [r for r in fake_server.requests if r.path.endswith("/generation")]
    assert len(generation) == LAUNCHES == fake_server.count(catalog.CHAT_ID)
    assert all(r.had_auth and r.authorized for r in generation)


def test_with_no_key_nothing_is_sent(fake_server: FakeOpenRouter, tmp_path: Path) -> None:
    screen = _launch_and_type(fake_server, tmp_path / "nokey", None)
    assert "rejected" not in screen.lower() and "401" not in screen, screen
    assert fake_server.requests == []  # not one request, with or without a key
