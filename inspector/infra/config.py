"""Settings from the environment, read when asked (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
APP_NAME = "orinspect"  # the command, the window title and the data folder's name
KEYRING_SERVICE = "orinspect"
KEYRING_USERNAME = "api-key"
ENV_API_KEY = "OPENROUTER_API_KEY"
ENV_BASE_URL = "OPENROUTER_BASE_URL"
ENV_DATA_DIR = "INSPECTOR_DATA_DIR"
ENV_HISTORY = "INSPECTOR_HISTORY"


def base_url(override: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """``--base-url`` wins, then ``OPENROUTER_BASE_URL``, then OpenRouter itself."""
    env = os.environ if env is None else env
    url = override or env.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    return url.rstrip("/")


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where history lives: ``INSPECTOR_DATA_DIR`` or the platform's user data dir.

    Only computes the path; nothing is created here. Raises
    :class:`~inspector.core.errors.ConfigError` (a usage error) when the path cannot be
    made: ``~user`` of a user that does not exist, a NUL character, no home folder.
    """
    from inspector.core.errors import ConfigError

    env = os.environ if env is None else env
    override = env.get(ENV_DATA_DIR)
    if override:
        if "\0" in override:
            raise ConfigError(f"{ENV_DATA_DIR}={override!r}: a path cannot hold a NUL character")
        try:
            return Path(override).expanduser()
        except (RuntimeError, KeyError):  # ~nosuchuser, or ~ with no home folder
            head = override.split(os.sep, 1)[0]
            raise ConfigError(
                f"{ENV_DATA_DIR}={override!r}: cannot expand {head!r} (no such user or no"
                " home folder); give a full path"
            ) from None
    from platformdirs import user_data_path

    try:
        path = user_data_path(APP_NAME, appauthor=False)
    except RuntimeError:  # no HOME and no entry for this user: no folder to use
        path = Path("~")
    if str(path).startswith("~"):
        raise ConfigError(f"cannot find a home folder for the history; set {ENV_DATA_DIR}")
    return path


def history_enabled(env: Mapping[str, str] | None = None) -> bool:
    """False when ``INSPECTOR_HISTORY`` is ``off`` (also 0/false/no)."""
    env = os.environ if env is None else env
    value = env.get(ENV_HISTORY, "").strip().lower()
    return value not in {"off", "0", "false", "no"}
