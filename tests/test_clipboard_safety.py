"""What goes on the clipboard: no control character that a terminal or shell would act on,
and a native clipboard tool that never sees the key in its environment."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from inspector.core.textsafe import clipboard_text
from inspector.infra.clipboard import NativeTool, child_env, copy_native
from inspector.testserver import TEST_KEY

# ---- the text --------------------------------------------------------------------------


def test_a_value_cannot_end_a_bracketed_paste() -> None:
    hostile = "gen-1\x1b[201~\nrm -rf ~\n\x1b[200~"
    safe, changed = clipboard_text(hostile)
    assert changed and "\x1b" not in safe
    assert safe == "gen-1\\x1b[201~\nrm -rf ~\n\\x1b[200~"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text, [bold] and all", "plain text, [bold] and all"),
        ("two\nlines\twith a tab", "two\nlines\twith a tab"),
        ("crlf\r\nand cr\rend", "crlf\nand cr\nend"),
        ("csi \x9b31m c1", "csi \\x9b31m c1"),
        ("bell \x07 nul \x00 del \x7f", "bell \\x07 nul \\x00 del \\x7f"),
        ("bidi \u202egnp.exe", "bidi \\u202egnp.exe"),
        ("line\u2028sep", "line\\u2028sep"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("osc \x1b]52;c;aGk=\x07", "osc \\x1b]52;c;aGk=\\x07"),
    ],
)
def test_controls_are_shown_escaped(text: str, expected: str) -> None:
    safe, changed = clipboard_text(text)
    assert safe == expected and changed is (safe != text)


def test_any_value_is_made_text() -> None:
    assert clipboard_text(12.5) == ("12.5", False)
    assert clipboard_text(None) == ("None", False)


_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _acts_on(char: str) -> bool:
    """A character a terminal or a shell may act on: controls (but newline and tab),
    surrogates, line/paragraph separators, bidi controls."""
    if char in "\n\t":
        return False
    return unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"} or char in _BIDI


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
@example("\x1b[201~\n")
@example("\r\n\r")
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    safe, changed = clipboard_text(text)
    assert changed is (safe != text)
    assert not any(_acts_on(ch) for ch in safe)
    assert clipboard_text(safe) == (safe, False)  # already safe: left alone


# ---- the native tool's environment -----------------------------------------------------


@pytest.fixture
def recording_tool(tmp_path: Path) -> tuple[NativeTool, Path]:
    """A real clipboard 'tool': a script that saves its stdin and environment."""
    out = tmp_path / "seen.json"
    script = tmp_path / "fake-clip"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "data = sys.stdin.buffer.read().decode()\n"
        f"open({str(out)!r}, 'w').write(json.dumps({{'stdin': data, 'env': dict(os.environ)}}))\n"
    )
    script.chmod(0o755)
    return NativeTool((str(script),)), out


def test_the_tool_never_inherits_the_key(
    recording_tool: tuple[NativeTool, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tool, out = recording_tool
    monkeypatch.setenv("OPENROUTER_API_KEY", TEST_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", "https://me:pw@gw.example/api/v1")
    monkeypatch.setenv("MY_COPY_OF_IT", f"key={TEST_KEY}")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_not_for_the_clipboard")
    monkeypatch.setenv("DISPLAY", ":99")
    assert copy_native("copied text", tool=tool) == "fake-clip"
    seen = json.loads(out.read_text())
    assert seen["stdin"] == "copied text"
    env = seen["env"]
    assert TEST_KEY not in json.dumps(env)
    assert not {"OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "GITHUB_TOKEN"} & set(env)
    assert env["DISPLAY"] == ":99" and env.get("PATH") == os.environ.get("PATH")


def test_an_explicit_environment_is_scrubbed_too(recording_tool: tuple[NativeTool, Path]) -> None:
    tool, out = recording_tool
    env = {"OPENROUTER_API_KEY": TEST_KEY, "WAYLAND_DISPLAY": "wayland-1", "HOME": "/h"}
    assert copy_native("x", tool=tool, env=env) == "fake-clip"
    seen = json.loads(out.read_text())["env"]
    seen.pop("LC_CTYPE", None)  # set by Python itself in a C locale (PEP 538)
    assert seen == {"WAYLAND_DISPLAY": "wayland-1", "HOME": "/h"}


def test_child_env_keeps_what_clipboard_tools_need() -> None:
    env = {
        "DISPLAY": ":0",
        "XAUTHORITY": "/run/user/1000/xauth",
        "XDG_RUNTIME_DIR": "/run/user/1000",
        "WSL_INTEROP": "/run/WSL/1_interop",
        "LANG": "C.UTF-8",
        "PATH": "/usr/bin",
        "openrouter_api_key": TEST_KEY,
        "AWS_SECRET_ACCESS_KEY": "x",
        "NPM_TOKEN": "x",
        "DB_PASSWORD": "x",
        "HTTP_AUTHORIZATION": "Bearer x",
        "LEAKED": f"Bearer {TEST_KEY}",
    }
    assert set(child_env(env)) == {
        "DISPLAY",
        "XAUTHORITY",
        "XDG_RUNTIME_DIR",
        "WSL_INTEROP",
        "LANG",
        "PATH",
    }
