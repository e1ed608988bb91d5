"""The config file (inspector.app.user_config): read with tomllib from real files; a bad
file gives the defaults and one line saying why, never a traceback; what it sets reaches
the settings under the command line and the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.app.settings import Settings
from inspector.app.user_config import ENV_CONFIG, UserConfig, config_path, load_user_config
from inspector.infra.config import DEFAULT_BASE_URL, ENV_BASE_URL, ENV_HISTORY

GOOD = """
theme = "nord"
base_url = "https://example.test/api/v1/"
history = false

[keymap]
"app.raw_json" = "x"
"list.down" = "j, down"
"""


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_a_good_file_is_read(tmp_path: Path) -> None:
    user = load_user_config(write(tmp_path, GOOD))
    assert user.problems == ()
    assert user.theme == "nord" and user.history is False
    assert user.base_url == "https://example.test/api/v1"
    assert user.keymap == {"app.raw_json": "x", "list.down": "j,down"}


def test_no_file_is_the_defaults_without_a_word(tmp_path: Path) -> None:
    user = load_user_config(tmp_path / "missing.toml")
    assert user == UserConfig(path=tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('theme = "nord"\nbase_url = ', "config.toml: "),  # TOML syntax
        (b"\xff\xfe theme", "not UTF-8"),
        ("x" * ((1 << 20) + 1), "larger than 1 MiB"),
    ],
)
def test_a_broken_file_gives_the_defaults_and_one_line(
    tmp_path: Path, text: str | bytes, says: str
) -> None:
    user = load_user_config(write(tmp_path, text))
    assert (user.theme, user.base_url, user.history, dict(user.keymap)) == (None, None, None, {})
    assert len(user.problems) == 1 and says in user.problems[0]
    assert "\n" not in user.problems[0] and user.problems[0].endswith("defaults")


def test_bad_entries_are_left_out_one_line_each(tmp_path: Path) -> None:
    text = """
theme = 3
base_url = "ftp://nowhere"
history = "off"
colour = "red"
[keymap]
"app.raw_json" = ""
"app.copy" = 5
"app.help" = "f1"
"""
    user = load_user_config(write(tmp_path, text))
    assert user.keymap == {"app.help": "f1"}
    assert (user.theme, user.base_url, user.history) == (None, None, None)
    joined = "\n".join(user.problems)
    for name in ("theme", "base_url", "history", "colour", "app.raw_json", "app.copy"):
        assert name in joined, name
    assert len(user.problems) == 6 and all("left out" in p for p in user.problems)


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be
    user = load_user_config(folder)
    assert len(user.problems) == 1 and "cannot be read" in user.problems[0]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_give_a_config_and_never_raise(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(data)
        user = load_user_config(path)
    assert isinstance(user, UserConfig)
    assert all("\n" not in problem for problem in user.problems)
    assert all(isinstance(keys, str) and keys for keys in user.keymap.values())


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=20),
        st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none()),
        max_size=6,
    )
)
def test_any_keymap_table_is_read_or_left_out(table: dict[str, object]) -> None:
    from inspector.app.user_config import _keymap

    problems: list[str] = []
    keymap = _keymap(table, Path("config.toml"), problems)
    assert set(keymap) <= set(table)
    assert len(keymap) + len(problems) == len(table)  # each entry read, or named and left out


def test_the_command_line_and_the_environment_win_over_the_file(tmp_path: Path) -> None:
    user = load_user_config(write(tmp_path, GOOD))
    assert Settings.load(env={}, user=user).base_url == "https://example.test/api/v1"
    assert not Settings.load(env={}, user=user).history
    env = {ENV_BASE_URL: "https://env.test/v1"}
    assert Settings.load(env=env, user=user).base_url == "https://env.test/v1"
    assert Settings.load(base_url="https://flag.test", env=env, user=user).base_url == (
        "https://flag.test"
    )
    assert Settings.load(env={}).base_url == DEFAULT_BASE_URL and Settings.load(env={}).history
    assert not Settings.load(env={ENV_HISTORY: "off"}, user=UserConfig()).history


def test_the_path_is_the_platforms_config_folder_or_the_override(tmp_path: Path) -> None:
    assert config_path({ENV_CONFIG: str(tmp_path / "c.toml")}) == tmp_path / "c.toml"
    assert config_path({ENV_CONFIG: "off"}) is None
    path = config_path({"XDG_CONFIG_HOME": str(tmp_path)} if sys.platform == "linux" else {})
    assert path is not None and path.name == "config.toml" and path.parent.name == "orinspect"


def test_a_bad_config_file_never_stops_the_app_from_starting(tmp_path: Path) -> None:
    """Through the real launcher: a broken file, the app built with the defaults."""
    bad = write(tmp_path, "theme = \n[keymap\n")
    code = (
        "import argparse, contextlib\n"
        "from inspector.tui.launch import build_app\n"
        "args = argparse.Namespace(ids=[], demo=False, base_url=None, timeout=None,"
        " no_history=True)\n"
        "with contextlib.ExitStack() as stack:\n"
        "    app = build_app(args, stack)\n"
        "print(len(app.config_problems), app.config_problems[0])\n"
    )
    env = {**os.environ, ENV_CONFIG: str(bad)}
    env.pop(ENV_BASE_URL, None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    count, _, line = result.stdout.strip().partition(" ")
    assert count == "1" and str(bad) in line and line.endswith("defaults")
