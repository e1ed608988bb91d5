"""The settings of one run, read once from the command line and the environment.

Front-ends build a :class:`Settings` and hand it to the :class:`~inspector.app.session.Session`;
nothing below reads the command line, and the environment is read here (and by the key
store, for ``OPENROUTER_API_KEY``) only.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from inspector.app.user_config import UserConfig
from inspector.infra import config

__all__ = ["DEFAULT_TIMEOUT", "ENV_RETRY_SCALE", "Settings"]

DEFAULT_TIMEOUT = 30.0  # seconds: the deadline of one attempt
ENV_RETRY_SCALE = "INSPECTOR_RETRY_SCALE"  # tests: a factor applied to every retry wait


@dataclass(frozen=True)
class Settings:
    """Where lookups go, how long one attempt may take, whether history is kept."""

    base_url: str = config.DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT
    history: bool = True
    retry_scale: float = 1.0

    @classmethod
    def load(
        cls,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        no_history: bool = False,
        env: Mapping[str, str] | None = None,
        user: UserConfig | None = None,
    ) -> Settings:
        """``--base-url`` over ``OPENROUTER_BASE_URL`` over the config file's ``base_url``;
        ``--no-history``, ``INSPECTOR_HISTORY=off`` or ``history = false`` in the config
        file (``user``, :mod:`inspector.app.user_config`) turn history off."""
        env = os.environ if env is None else env
        user = user or UserConfig()
        url = base_url or env.get(config.ENV_BASE_URL) or user.base_url
        return cls(
            base_url=config.base_url(url, env),
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            history=not no_history and config.history_enabled(env) and user.history is not False,
            retry_scale=_scale(env.get(ENV_RETRY_SCALE, "")),
        )


def _scale(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        return 1.0
    return value if math.isfinite(value) and value >= 0 else 1.0
