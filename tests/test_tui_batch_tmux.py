"""The batch view in a real terminal (tmux, as in test_terminal_tmux.py): a bracketed paste
of several ids opens it, Enter shows a record, Esc comes back, q closes it; ``orinspect
--follow FILE`` fills it from a file as it grows; Ctrl+Q leaves with exit code 0."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_terminal_tmux import Tmux, _env

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path)
    yield session
    session.kill()


def footer(screen: str) -> str:
    return screen.rstrip().splitlines()[-1]


def test_a_pasted_log_opens_the_batch_view_in_a_real_terminal(
    terminal: Tmux, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    env = _env(tmp_path, OPENROUTER_API_KEY=TEST_KEY, OPENROUTER_BASE_URL=fake_server.base_url)
    terminal.start([sys.executable, "-m", "inspector"], env)
    terminal.wait_for_text("environment")
    ids = (catalog.CHAT_ID, catalog.FALLBACK_ID, catalog.NOT_FOUND_ID)
    log = "".join(f"2026-10-20 16:07 INFO done id={gen_id}\n" for gen_id in ids)
    terminal.tmux("set-buffer", "-b", "paste", log)
    terminal.tmux("paste-buffer", "-p", "-b", "paste", "-t", "app")  # a bracketed paste
    screen = terminal.wait_for_text("Batch · 3 done", "totals of 3 · 2 ok · 1 not found")
    assert "Fireworks" in screen and "$0.0040726" in screen, screen
    terminal.send("Enter")  # the first row: the chat sample, in the main screen
    terminal.wait_for(lambda s: "back to batch" in footer(s), "the record, with the way back")
    terminal.send("Escape")
    terminal.wait_for(lambda s: "Batch · 3 done" in s, "the table again")
    terminal.send("q")
    terminal.wait_for(lambda s: "Batch ·" not in s and "id ▸" in s, "the main screen")
    terminal.send("C-q")
    assert terminal.exit_code() == 0
    assert all(fake_server.count(gen_id) == 1 for gen_id in ids)


def test_follow_fills_the_view_as_the_file_grows_in_a_real_terminal(
    terminal: Tmux, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    env = _env(tmp_path, OPENROUTER_API_KEY=TEST_KEY, OPENROUTER_BASE_URL=fake_server.base_url)
    log = tmp_path / "app.log"
    log.write_text("", encoding="utf-8")
    terminal.start([sys.executable, "-m", "inspector", "--follow", str(log)], env)
    terminal.wait_for_text("Following", "waiting for generation ids")
    with log.open("a", encoding="utf-8") as out:
        out.write(f"INFO done id={catalog.CHAT_ID}\nINFO done id={catalog.BYOK_ID}\n")
    screen = terminal.wait_for_text("totals of 2 · 2 ok")
    assert "openai/gpt-4.1-mi" in screen and "esc stop" in footer(screen), screen
    terminal.send("Escape")  # stops following; what finished is kept
    terminal.wait_for_text("stopped after 2 of 2")
    terminal.send("C-q")
    assert terminal.exit_code() == 0
