"""SVG snapshots of every visible state (pytest-textual-snapshot), against the local server.

The scenes are the ones the README screenshots come from (``tests/scenes.py``);
the wall clock is frozen so ages, the young pending id and history times never drift, and
countdowns are pictured at a fixed point of their wait.

After an intended UI change: ``.venv/bin/python -m pytest tests/test_snapshots.py
--snapshot-update``, look at the report or the new files in ``tests/__snapshots__/``, and
regenerate the README pictures with ``python screenshots/make.py`` (a test here fails while
a picture differs from its accepted snapshot).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("time_machine", reason="the snapshot scenes freeze the clock with it")

from scenes import SCENES, Stage, frozen_clock, make_server, play

from inspector.testserver import FakeOpenRouter

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "__snapshots__" / "test_snapshots"

SNAPSHOT_SCENES = [
    "empty",
    "demo",
    "record",
    "fallback",
    "bill",
    "retrying",
    "pending",
    "error_400",
    "error_401",
    "error_402",
    "error_403",
    "error_404",
    "error_502",
    "error_invalid",
    "error_network",
    "key_prompt",
    "help",
    "batch",
    "small_empty",
    "small_record",
]


@pytest.fixture(scope="module")
def scene_server() -> Iterator[FakeOpenRouter]:
    """One local server for all scenes (each scene has its own data directory)."""
    with make_server() as server:
        yield server


@pytest.mark.parametrize("name", SNAPSHOT_SCENES)
def test_scene(
    name: str,
    snap_compare: Callable[..., bool],
    scene_server: FakeOpenRouter,
    tmp_path: Path,
) -> None:
    scene = SCENES[name]
    stage = Stage(scene_server, tmp_path / "data")

    async def run_before(pilot: Any) -> None:
        await play(scene, stage, pilot)

    with frozen_clock():
        app = stage.app_for(scene)
        assert snap_compare(app, terminal_size=scene.size, run_before=run_before)


def test_every_snapshot_scene_exists() -> None:
    assert set(SNAPSHOT_SCENES) <= set(SCENES.names())


def _normalized(svg_file: Path) -> str:
    """The SVG without Rich's per-export id (as pytest-textual-snapshot compares them)."""
    return re.sub(r"\bterminal-\d+-([\w-]+)", r"terminal-\1", svg_file.read_text("utf-8"))


@pytest.mark.parametrize("name", SNAPSHOT_SCENES)
def test_readme_screenshot_matches_the_snapshot(name: str) -> None:
    """screenshots/<scene>.svg (from screenshots/make.py) shows what the accepted snapshot
    shows: after a UI change, re-run ``python screenshots/make.py`` with the snapshots."""
    shot = ROOT / "screenshots" / f"{name}.svg"
    snapshot = SNAPSHOTS / f"test_scene[{name}].svg"
    assert shot.exists(), f"run: python screenshots/make.py {name}"
    assert snapshot.exists(), "run the snapshot tests with --snapshot-update"
    assert _normalized(shot) == _normalized(snapshot), (
        f"screenshots/{name}.svg is stale: run python screenshots/make.py"
    )
