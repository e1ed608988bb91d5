"""Helpers for the TUI shell tests: build the app against the local server, wait on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend
from textual.pilot import Pilot

from inspector.core.retry import RetryPolicy
from inspector.infra.config import ENV_API_KEY
from inspector.infra.history import HistoryStore
from inspector.infra.keystore import KeyStore
from inspector.testserver import FakeOpenRouter
from inspector.tui.app import InspectorApp

SIZE = (120, 40)
CELL_WIDTH = 12.2  # one terminal cell in Textual's SVG export


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.passwords[(service, username)]


def fast_policy() -> RetryPolicy:
    """Retries and polls after a few milliseconds, so waiting states pass quickly."""
    return RetryPolicy(
        max_attempts=3,
        base_delay=0.01,
        max_delay=0.02,
        rate_limit_cap=1.0,
        pending_schedule=(0.02,),
        jitter=0.0,
    )


def make_app(
    server: FakeOpenRouter,
    data_dir: Path,
    *,
    key: str | None = None,
    env: Mapping[str, str] | None = None,
    backend: KeyringBackend | None = None,
    **kwargs: Any,
) -> InspectorApp:
    """The app on ``server``, history in ``data_dir``, key from the environment mapping."""
    if env is None:
        env = {ENV_API_KEY: key} if key else {}
    kwargs.setdefault("retry_policy", fast_policy())
    kwargs.setdefault("history", HistoryStore(data_dir / "history.sqlite3"))
    app = InspectorApp(
        base_url=server.base_url,
        keystore=KeyStore(env=env, backend=backend or MemoryKeyring(), timeout=2.0),
        **kwargs,
    )
    app.NATIVE_CLIPBOARD = False
    return app


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen catch up."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Process events until ``condition()`` holds (fails after ``timeout`` seconds)."""
    loops = int(timeout / 0.01)
    for _ in range(loops):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition not reached in time")


async def started(pilot: Pilot[Any]) -> InspectorApp:
    """After the first frame: the key resolved and history loaded."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, InspectorApp)
    return app


async def look_up(pilot: Pilot[Any], gen_id: str) -> None:
    """Type ``gen_id`` in the id field and press Enter (the field is focused first)."""
    app = pilot.app
    assert isinstance(app, InspectorApp)
    app.action_focus_input()
    await pilot.pause()
    field = app.query_one("#id-field")
    field.value = gen_id  # type: ignore[attr-defined]
    await pilot.press("enter")


def screen_text(app: InspectorApp) -> str:
    """What the screen shows, as plain text lines (from an SVG export, spans placed by x)."""
    import html
    import re

    svg = app.export_screenshot()
    pattern = r'<text[^>]* x="([\d.]+)"[^>]*-line-(\d+)\)">([^<]*)</text>'
    lines: dict[int, list[str]] = {}
    for x, line, text in re.findall(pattern, svg):
        cells = lines.setdefault(int(line), [])
        column = round(float(x) / CELL_WIDTH)
        cells.extend(" " * (column - len(cells)))
        cells[column:] = list(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(cells).rstrip() for _, cells in sorted(lines.items()))
