"""Copy text with the platform's own clipboard tool, when there is one and a display to use.

The TUI always sends OSC 52 through Textual (it works over SSH and in tmux); this module is
the second path for terminals that ignore OSC 52. It never raises and never waits longer
than ``timeout``: callers still run it off the UI thread (it starts a process).

The tool gets an environment without secrets (:func:`child_env`): no ``OPENROUTER_*``
variable (the key, a base URL that may hold a password), nothing named like a key, token,
secret, password or credential, and nothing whose value holds an OpenRouter key. What
the tools need (``DISPLAY``, ``WAYLAND_DISPLAY``, ``XAUTHORITY``, ``XDG_RUNTIME_DIR``,
``HOME``, ``PATH``, locale, WSL's interop variables) stays. Callers pass text made safe
with :func:`inspector.core.textsafe.clipboard_text`.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Which = Callable[[str], str | None]

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH(?!ORITY)", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"sk-or-[A-Za-z0-9_-]{8,}")


@dataclass(frozen=True)
class NativeTool:
    """A clipboard command line and how it wants its input encoded."""

    argv: tuple[str, ...]
    encoding: str = "utf-8"

    @property
    def name(self) -> str:
        return os.path.basename(self.argv[0])


def _is_wsl(env: Mapping[str, str], release: str) -> bool:
    return bool(env.get("WSL_DISTRO_NAME")) or "microsoft" in release.lower()


def _first_present(candidates: Sequence[tuple[str, ...]], which: Which) -> NativeTool | None:
    for argv in candidates:
        path = which(argv[0])
        if path:
            return NativeTool((path, *argv[1:]))
    return None


def find_native_tool(
    env: Mapping[str, str] | None = None,
    *,
    system: str | None = None,
    release: str | None = None,
    which: Which = shutil.which,
) -> NativeTool | None:
    """The clipboard tool to use here, or None (no local display, or no tool installed).

    wl-copy under Wayland, xclip or xsel under X11, pbcopy on macOS, clip.exe on Windows
    and WSL. Over SSH without a forwarded display there is none: OSC 52 does the work.
    """
    env = os.environ if env is None else env
    system = sys.platform if system is None else system
    release = platform.release() if release is None else release
    if system == "darwin":
        return _first_present([("pbcopy",)], which)
    if system == "win32" or _is_wsl(env, release):
        tool = _first_present([("clip.exe",)], which)
        # clip.exe reads the console code page unless it sees a UTF-16 byte order mark.
        return NativeTool(tool.argv, "utf-16") if tool else None
    if env.get("WAYLAND_DISPLAY"):
        tool = _first_present([("wl-copy",)], which)
        if tool:
            return tool
    if env.get("DISPLAY"):
        return _first_present(
            [("xclip", "-selection", "clipboard"), ("xsel", "--clipboard", "--input")], which
        )
    return None


def child_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default ``os.environ``) without the variables that may hold a secret."""
    from inspector.infra import config

    env = os.environ if env is None else env
    prefix = config.ENV_API_KEY.split("_", 1)[0] + "_"  # OPENROUTER_
    return {
        name: value
        for name, value in env.items()
        if not name.upper().startswith(prefix)
        and not _SECRET_NAME.search(name)
        and not _SECRET_VALUE.search(value)
    }


def copy_native(
    text: str,
    *,
    timeout: float = 2.0,
    tool: NativeTool | None = None,
    env: Mapping[str, str] | None = None,
) -> str | None:
    """Put ``text`` on the native clipboard. Returns the tool's name, or None if not done.

    ``env`` (default ``os.environ``) chooses the tool and, scrubbed by :func:`child_env`,
    is the tool's environment. Never raises. Blocks for at most ``timeout`` seconds (run
    it in a thread).
    """
    tool = tool or find_native_tool(env)
    if tool is None:
        return None
    try:
        # wl-copy and xclip fork a child that keeps serving the selection: give it no pipes
        # to hold open besides stdin, or we would wait for it.
        with subprocess.Popen(
            tool.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=child_env(env),
        ) as process:
            try:
                process.communicate(text.encode(tool.encoding), timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                return None
            return tool.name if process.returncode == 0 else None
    except Exception:  # any OS or encoding failure: the OSC 52 copy already happened
        return None
