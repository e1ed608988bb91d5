"""Where the history lives: ``config.data_dir`` raises a typed, one-line ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.core.errors import ConfigError
from inspector.infra import config
from inspector.infra.history import HistoryStore


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("~nosuchuser/x", "cannot expand '~nosuchuser'"),
        ("~nosuchuser", "cannot expand '~nosuchuser'"),
        ("/tmp/a\0b", "NUL character"),
    ],
)
def test_a_data_dir_that_is_no_path_is_a_config_error(value: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.data_dir({config.ENV_DATA_DIR: value})
    message = caught.value.summary
    assert said in message and config.ENV_DATA_DIR in message and "\n" not in message


def test_the_store_passes_the_config_error_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.ENV_DATA_DIR, "~nosuchuser/x")
    with pytest.raises(ConfigError):
        HistoryStore()


def test_a_home_relative_data_dir_still_expands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert config.data_dir({config.ENV_DATA_DIR: "~/hist"}) == Path("/home/someone/hist")
    assert config.data_dir({config.ENV_DATA_DIR: "rel/dir"}) == Path("rel/dir")


def test_without_any_home_the_default_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOME and no password entry: platformdirs answers '~/…', which is no folder."""
    import os.path

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # as with no pwd entry
    with pytest.raises(ConfigError, match=config.ENV_DATA_DIR):
        config.data_dir({})
