"""The first lookup's work done ahead (:mod:`inspector.tui.warm_up`): an idle app imports
what a lookup needs and builds the record view before an id is pasted; an id sent at
start-up builds the record view while its request is in flight instead of after it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import ContentSwitcher
from tui_shell_support import MemoryKeyring, look_up, make_app, settle, started, until

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui import warm_up
from inspector.tui.app import InspectorApp
from inspector.tui.messages import HistoryChanged
from inspector.tui.warm_up import MODULES, WarmUp


def record_view(app: InspectorApp) -> Any:
    """The detail pane's record view if it is built (mounted), else None."""
    switcher = app.detail.query_one(ContentSwitcher)
    views = [child for child in switcher.children if child.id == "record"]
    return views[0] if views and views[0].is_mounted else None


def lookups(server: FakeOpenRouter) -> int:
    return sum(1 for request in server.requests if request.path.endswith("/generation"))


async def test_an_idle_app_builds_the_record_view_ahead_and_uses_it(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await until(pilot, lambda: app.warm_up.started)  # warm_up.DELAY after the panes
        await settle(pilot)  # the warm-up is a worker: done once the workers are
        ahead = record_view(app)
        assert ahead is not None and not ahead.display  # built, hidden
        assert app.detail.state == "empty"
        assert lookups(fake_server) == 0  # nothing is sent ahead
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert app.phase == "record"
        assert record_view(app) is ahead and ahead.display


class SlowKeyring(MemoryKeyring):
    """A keyring that answers once ``answer`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.answer = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.answer.wait(5)
        return super().get_password(service, username)


async def test_the_warm_up_waits_for_the_keyrings_answer(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    """The keyring is read in a thread that imports modules of its own: the warm-up's
    thread starts once it has answered, never beside it."""
    keyring = SlowKeyring()
    app = make_app(fake_server, data_dir, backend=keyring)  # no key in the environment
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.panes_mounted)
        await pilot.pause(warm_up.DELAY + 0.3)
        assert not app.warm_up.started
        keyring.answer.set()
        await until(pilot, lambda: app.warm_up.started)
        await settle(pilot)


async def test_an_id_given_at_start_skips_the_warm_up(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY, ids=[catalog.CHAT_ID])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.phase == "record"
        await pilot.pause(warm_up.DELAY + 0.2)
        assert not app.warm_up.started  # its lookup did the work itself


async def test_the_first_record_view_is_built_while_its_request_is_in_flight(
    make_fake_server: Any, data_dir: Path
) -> None:
    server = make_fake_server(latency=1.5)  # every answer 1.5 s late
    app = make_app(server, data_dir, key=TEST_KEY, ids=[catalog.CHAT_ID])  # no warm-up
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.panes_mounted and record_view(app) is not None)
        assert app.phase == "loading"  # built before the answer, not after it
        # The view is built once the lookup has started, which may be a moment before
        # its request reaches the server; the answer is 1.5 s after that.
        await until(pilot, lambda: lookups(server) == 1)
        assert app.phase == "loading"
        await until(pilot, lambda: app.phase == "record")
        assert app.detail.state == "record"


class GatedImports:
    """Stands in for the warm-up's imports: each one waits for ``gate``, and is noted;
    ``waiting`` is set once the first one is waiting."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.waiting = threading.Event()
        self.names: list[str] = []

    def __call__(self, name: str) -> None:
        self.waiting.set()
        self.gate.wait(10)
        self.names.append(name)


class Views:
    """Stands in for the app's record view: counts how often it is built."""

    def __init__(self) -> None:
        self.built = 0

    async def build(self) -> None:
        self.built += 1


async def gated_warm_up(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[WarmUp, GatedImports, Views, asyncio.Future[None]]:
    """A warm-up whose imports wait for their gate, the views it builds, and its run,
    started: its thread is at the first import."""
    imports, views = GatedImports(), Views()
    monkeypatch.setattr(warm_up, "_import", imports)
    ahead = WarmUp(views.build)
    running = asyncio.ensure_future(ahead.run())
    assert await asyncio.to_thread(imports.waiting.wait, 5)
    return ahead, imports, views, running


async def test_an_id_pasted_during_the_warm_up_takes_over_from_it(
    fake_server: FakeOpenRouter, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imports = GatedImports()
    monkeypatch.setattr(warm_up, "_import", imports)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.warm_up.started)
        await look_up(pilot, catalog.CHAT_ID)
        await pilot.pause(0.3)
        assert lookups(fake_server) == 0  # not beside the import in the thread
        imports.gate.set()
        await until(pilot, lambda: app.phase == "record")
        assert lookups(fake_server) == 1
        await settle(pilot)
    assert imports.names == [MODULES[0]]  # the warm-up stopped after the one it was at


async def test_warm_up_imports_everything_then_builds_the_view(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ahead, imports, views, running = await gated_warm_up(monkeypatch)
    assert ahead.started and not views.built
    imports.gate.set()
    await asyncio.wait_for(running, 5)
    assert imports.names == list(MODULES) and views.built == 1
    await ahead.run()  # once per app
    assert views.built == 1


async def test_take_over_waits_for_the_import_in_progress_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ahead, imports, views, running = await gated_warm_up(monkeypatch)
    taking_over = asyncio.ensure_future(ahead.take_over())
    await asyncio.sleep(0.05)
    assert not taking_over.done()  # the first module is still being imported
    imports.gate.set()
    await asyncio.wait_for(taking_over, 5)
    await asyncio.wait_for(running, 5)
    assert imports.names == [MODULES[0]] and views.built == 0


async def test_a_failed_warm_up_is_left_to_the_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str) -> None:
        raise ImportError(f"{name}: a broken install")

    monkeypatch.setattr(warm_up, "_import", broken)
    views = Views()
    ahead = WarmUp(views.build)
    await ahead.run()  # no exception: the lookup meets it and says so
    await asyncio.wait_for(ahead.take_over(), 5)
    assert views.built == 0


async def test_an_answer_that_comes_while_the_app_closes_is_dropped(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.panes_mounted
    # Closed: the panes are gone, and a history write finishing now asks nothing of them.
    assert not app.panes_mounted
    app._history_changed(HistoryChanged())


def test_the_warm_up_imports_what_the_first_lookup_needs(
    fake_server: FakeOpenRouter, cli_env: dict[str, str]
) -> None:
    """In a fresh interpreter (the test process has everything imported already): an idle
    app has the modules of a lookup and its record loaded, with no lookup sent."""
    probe = (
        "import asyncio, sys\n"
        "from inspector.tui.app import InspectorApp\n"
        f"modules = {MODULES!r}\n"
        "assert not [m for m in modules if m in sys.modules]\n"
        "async def main():\n"
        "    app = InspectorApp()\n"
        "    app.NATIVE_CLIPBOARD = False\n"
        "    async with app.run_test() as pilot:\n"
        "        for _ in range(500):\n"
        "            if app.warm_up.started:\n"
        "                break\n"
        "            await pilot.pause(0.01)\n"
        "        await app.workers.wait_for_complete()\n"
        "        print('loaded:' + ','.join(m for m in modules if m in sys.modules))\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=cli_env, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = result.stdout.strip().splitlines()[-1]
    assert loaded == "loaded:" + ",".join(MODULES)
    assert lookups(fake_server) == 0
