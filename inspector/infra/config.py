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

    Only computes the path; nothing is created here.
    """
    env = os.environ if env is None else env
    override = env.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def history_enabled(env: Mapping[str, str] | None = None) -> bool:
    """False when ``INSPECTOR_HISTORY`` is ``off`` (also 0/false/no)."""
    env = os.environ if env is None else env
    value = env.get(ENV_HISTORY, "").strip().lower()
    return value not in {"off", "0", "false", "no"}
