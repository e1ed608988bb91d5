"""``orinspect --follow FILE``: the batch view follows a real file as ``tail -F`` does, a row
for every id appended (rotation survived), against the local server; Esc stops it and what
finished is in the history."""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack
from pathlib import Path

from batch_support import add_records
from tui_shell_support import make_app, screen_text, until

from inspector.cli.main import COMMANDS, build_parser, with_command
from inspector.infra.history import HistoryStore
from inspector.testserver import TEST_KEY, FakeOpenRouter
from inspector.tui.app import InspectorApp
from inspector.tui.launch import build_app
from inspector.tui.screens.batch import BatchScreen


def append(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as log:
        log.writelines(f"{line}\n" for line in lines)


def ok_ids(app: InspectorApp) -> list[str]:
    screen = app.batch_screen
    if screen is None:
        return []
    return [row.gen_id for row in screen.rows.rows if row.status == "ok"]


async def test_follow_adds_a_row_for_every_id_appended_and_survives_rotation(
    fake_server: FakeOpenRouter, data_dir: Path, tmp_path: Path
) -> None:
    ids = add_records(fake_server, 5)
    log = tmp_path / "app.log"
    append(log, f"old line before the start: {ids[4]}")  # already there: not read
    app = make_app(fake_server, data_dir, key=TEST_KEY, follow=log)
    async with app.run_test(size=(120, 30)) as pilot:
        # (not tui_shell_support.started: it waits for every worker, and a follow never ends)
        await until(pilot, lambda: isinstance(app.screen, BatchScreen))
        await until(pilot, lambda: app.resolved_key is not None)
        screen = app.screen
        assert isinstance(screen, BatchScreen)
        await until(pilot, lambda: "waiting for generation ids" in screen_text(app))
        assert f"Following {log}" in screen_text(app)
        append(log, f"INFO request done id={ids[0]}", "noise without an id", f'{{"id":"{ids[1]}"}}')
        await until(pilot, lambda: ok_ids(app) == ids[:2])
        append(log, f"again {ids[0]}")  # a repeat is looked up once
        os.rename(log, tmp_path / "app.log.1")  # rotated away, a new file in its place
        append(tmp_path / "app.log.1", f"written before the switch {ids[2]}")
        append(log, f"in the new file {ids[3]}")
        await until(pilot, lambda: ok_ids(app) == ids[:4])
        assert "rotated" in screen_text(app)
        assert screen.running  # a followed file has no end
        assert fake_server.count(ids[0]) == 1 and fake_server.count(ids[4]) == 0
        await pilot.press("escape")
        await until(pilot, lambda: screen.ended)
        assert "stopped after 4 of 4" in screen_text(app)
        store = HistoryStore(data_dir / "history.sqlite3")
        assert {entry.gen_id for entry in store.recent(limit=10)} == set(ids[:4])
        store.close()


def test_the_command_line_passes_follow_to_the_app(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    parser = build_parser()
    for argv in (["--follow", str(log)], ["--no-history", f"--follow={log}"]):
        args: argparse.Namespace = parser.parse_args(with_command(argv, set(COMMANDS)))
        with ExitStack() as stack:
            app = build_app(args, stack)
            assert app.follow_path == log
