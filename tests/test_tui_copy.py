"""Copy: the exact value lands in app.clipboard, a toast says what; native tools never raise."""

from __future__ import annotations

import json
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from tui_shell_support import look_up, make_app, settle, started

from inspector.infra.clipboard import NativeTool, copy_native, find_native_tool
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.id_input import IdField


def notices(app: App[object]) -> list[str]:
    return [n.message for n in app._notifications]


async def test_c_copies_the_focused_fields_exact_value(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.REASONING_CACHED_ID)
        await settle(pilot)
        fields = app.query_one(FieldList)
        assert app.focused is fields
        assert fields.move_to_field("total_cost")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "0.0097364"
        assert "Copied total_cost" in notices(app)


async def test_y_shift_c_m_copy_the_id_the_raw_json_and_a_summary(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.REASONING_CACHED_ID)
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == catalog.REASONING_CACHED_ID
        await pilot.press("C")
        await pilot.pause()
        assert json.loads(app.clipboard) == catalog.sample_record(catalog.REASONING_CACHED_ID)
        await pilot.press("m")
        await pilot.pause()
        summary = app.clipboard
        assert catalog.REASONING_CACHED_ID in summary and "$0.0097364" in summary
        assert {"Copied generation id", "Copied raw JSON", "Copied Markdown summary"} <= set(
            notices(app)
        )


async def test_c_on_an_error_copies_its_text(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.PAYMENT_REQUIRED_ID)
        await settle(pilot)
        assert app.phase == "error"
        await pilot.press("c")
        await pilot.pause()
        assert "402" in app.clipboard
        assert app.clipboard == app.detail.error_text()


async def test_copy_keys_are_hidden_and_inert_without_a_record(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.set_focus(None)
        assert not {"C", "m", "y", "c"} & set(app.screen.active_bindings)
        await pilot.press("C", "m", "y")
        await pilot.pause()
        assert app.clipboard == ""
        # Not commands here: they are typed into the id field instead.
        assert isinstance(app.focused, IdField) and app.focused.value == "Cmy"


# -- the native clipboard tools -------------------------------------------------------------


def which_from(present: set[str]) -> Callable[[str], str | None]:
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_native_tool_choice_follows_the_display() -> None:
    everything = which_from({"wl-copy", "xclip", "xsel", "pbcopy", "clip.exe"})
    wayland = find_native_tool(
        {"WAYLAND_DISPLAY": "wayland-0"}, system="linux", release="6", which=everything
    )
    assert wayland is not None and wayland.name == "wl-copy"
    x11 = find_native_tool({"DISPLAY": ":0"}, system="linux", release="6", which=everything)
    assert x11 is not None and x11.argv == ("/usr/bin/xclip", "-selection", "clipboard")
    only_xsel = find_native_tool(
        {"DISPLAY": ":0"}, system="linux", release="6", which=which_from({"xsel"})
    )
    assert only_xsel is not None and only_xsel.name == "xsel"
    mac = find_native_tool({}, system="darwin", release="23", which=everything)
    assert mac is not None and mac.name == "pbcopy"
    wsl = find_native_tool(
        {}, system="linux", release="5.15.1-microsoft-standard-WSL2", which=everything
    )
    assert wsl is not None and wsl.name == "clip.exe" and wsl.encoding == "utf-16"


def test_no_display_means_no_native_tool() -> None:
    everything = which_from({"wl-copy", "xclip", "xsel"})
    assert find_native_tool({}, system="linux", release="6", which=everything) is None
    assert (
        find_native_tool({"DISPLAY": ":0"}, system="linux", release="6", which=which_from(set()))
        is None
    )


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_copy_native_sends_the_exact_text(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    tool = _script(
        tmp_path,
        "fake-copy",
        f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())",
    )
    text = "total_cost 0.0097364 — ünïcode ✓"
    # The tool is an interpreter: on a loaded machine it may take more than the 2 s default.
    assert copy_native(text, tool=NativeTool((str(tool),)), timeout=30) == "fake-copy"
    assert out.read_bytes().decode("utf-8") == text


def test_copy_native_never_raises_and_never_hangs(tmp_path: Path) -> None:
    missing = NativeTool((str(tmp_path / "no-such-tool"),))
    assert copy_native("x", tool=missing) is None
    failing = _script(tmp_path, "failing", "import sys; sys.exit(3)")
    assert copy_native("x", tool=NativeTool((str(failing),))) is None
    hanging = _script(tmp_path, "hanging", "import time; time.sleep(30)")
    started_at = time.monotonic()
    assert copy_native("x", tool=NativeTool((str(hanging),)), timeout=0.3) is None
    assert time.monotonic() - started_at < 5
