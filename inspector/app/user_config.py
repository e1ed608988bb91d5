"""The person's config file: ``config.toml`` in the platform's config folder.

::

    # ~/.config/orinspect/config.toml (Linux; see config_path() for the others)
    theme = "gruvbox"                    # a Textual theme name
    base_url = "https://openrouter.ai/api/v1"
    history = false                      # neither read nor write history

    [keymap]                             # binding id = keys (comma-separated)
    "record.raw_json" = "v"
    "list.down" = "j,down"

Read once at start with :mod:`tomllib`; nothing is created. The command line and the
environment win over the file (``--base-url``, ``OPENROUTER_BASE_URL``, ``--no-history``,
``INSPECTOR_HISTORY``). A file that cannot be read or parsed gives the defaults and one line
saying why; a bad entry is left out with one line naming it. Which binding ids exist is the
front-end's business (the TUI checks them); here a key string only has to look like one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from inspector.infra import config

__all__ = ["CONFIG_NAME", "ENV_CONFIG", "UserConfig", "config_path", "load_user_config"]

CONFIG_NAME = "config.toml"
ENV_CONFIG = "INSPECTOR_CONFIG"  # another file (tests, a second profile); "" or "off": none
MAX_BYTES = 1 << 20  # a config file is a few lines; a bigger one is not read

_MODIFIER = r"(?:ctrl|shift|alt|meta|super|hyper)\+"
# One key: a printable character or a key name (``f2``, ``pageup``, ``question_mark``),
# after any modifiers.
_KEY = re.compile(rf"^(?:{_MODIFIER})*(?:[^\s,]|[a-z][a-z0-9_]*)$")
_KNOWN = ("theme", "base_url", "history", "keymap")


@dataclass(frozen=True)
class UserConfig:
    """What the file says (None: not set there), and what was wrong with it."""

    theme: str | None = None
    base_url: str | None = None
    history: bool | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    problems: tuple[str, ...] = ()

    def with_problems(self, *problems: str) -> UserConfig:
        """The same config with more problems to report (found by a front-end)."""
        return replace(self, problems=(*self.problems, *problems))


def config_path(env: Mapping[str, str] | None = None) -> Path | None:
    """``INSPECTOR_CONFIG`` or ``<user config dir>/orinspect/config.toml``; None when
    turned off (``INSPECTOR_CONFIG=off``) or when there is no home folder."""
    env = os.environ if env is None else env
    override = env.get(ENV_CONFIG)
    if override is not None:
        if override.strip().lower() in ("", "off", "none"):
            return None
        return Path(override).expanduser()
    from platformdirs import user_config_path

    try:
        folder = user_config_path(config.APP_NAME, appauthor=False)
    except RuntimeError:  # no HOME and no entry for this user
        return None
    return None if str(folder).startswith("~") else folder / CONFIG_NAME


def load_user_config(
    path: Path | None = None, *, env: Mapping[str, str] | None = None
) -> UserConfig:
    """The config at ``path`` (default :func:`config_path`). Never raises: a missing file is
    an empty config, a bad one the defaults with its problems listed (one line each)."""
    path = config_path(env) if path is None else path
    if path is None:
        return UserConfig()
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return UserConfig(path=path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return UserConfig(path=path, problems=(f"{path}: cannot be read ({reason}); defaults",))
    if len(data) > MAX_BYTES:
        return UserConfig(path=path, problems=(f"{path}: larger than 1 MiB; defaults",))
    import tomllib

    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return UserConfig(path=path, problems=(f"{path}: not UTF-8 text; defaults",))
    except tomllib.TOMLDecodeError as error:
        return UserConfig(path=path, problems=(f"{path}: {_one_line(str(error))}; defaults",))
    return _read(table, path)


def _read(table: dict[str, Any], path: Path) -> UserConfig:
    problems: list[str] = []

    def bad(name: str, wanted: str, value: object) -> None:
        problems.append(f"{path}: {name} must be {wanted}, not {_shown(value)}; left out")

    theme = table.get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        bad("theme", "a theme name", theme)
        theme = None
    base_url = table.get("base_url")
    if base_url is not None and not (
        isinstance(base_url, str) and base_url.startswith(("https://", "http://"))
    ):
        bad("base_url", "an http(s) URL", base_url)
        base_url = None
    history = table.get("history")
    if history is not None and not isinstance(history, bool):
        bad("history", "true or false", history)
        history = None
    keymap = _keymap(table.get("keymap", {}), path, problems)
    for name in table:
        if name not in _KNOWN:
            problems.append(f"{path}: unknown setting {_shown(name)}; left out")
    return UserConfig(
        theme=theme.strip() if isinstance(theme, str) else None,
        base_url=base_url.strip().rstrip("/") if isinstance(base_url, str) else None,
        history=history,
        keymap=keymap,
        path=path,
        problems=tuple(problems),
    )


def _keymap(value: object, path: Path, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(f"{path}: [keymap] must be a table of binding id = keys; left out")
        return {}
    keymap: dict[str, str] = {}
    for binding_id, keys in value.items():
        text = keys if isinstance(keys, str) else None
        parts = [part.strip() for part in text.split(",")] if text is not None else []
        if not parts or not all(_KEY.match(part) for part in parts):
            problems.append(
                f"{path}: keymap {_shown(binding_id)} = {_shown(keys)} is not a key list"
                ' (e.g. "v" or "ctrl+r,f5"); left out'
            )
            continue
        keymap[binding_id] = ",".join(parts)
    return keymap


def _shown(value: object, limit: int = 40) -> str:
    """A value as it may be quoted in a one-line message."""
    from inspector.core.textsafe import clean

    text = clean(repr(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    from inspector.core.textsafe import clean

    return clean(" ".join(text.split()))
