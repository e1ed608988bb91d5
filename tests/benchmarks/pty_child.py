"""A program in a pseudo-terminal, driven like a person would: read what it paints, type.

Used by ``bench_tui.py`` (time to interactive). The output is kept as text with the escape
sequences taken out, so "is ``$0.0005584`` on screen yet" is a substring test; Textual
writes each styled run of a line whole, so a value is never split by a style change.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["PtyChild"]

# CSI (colours, cursor moves, modes), OSC (titles, clipboard) and two-byte escapes.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


class PtyChild:
    """``argv`` running in a new pty of ``width`` x ``height``; ``started`` is when."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        width: int = 120,
        height: int = 40,
    ) -> None:
        self._master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self._text = b""  # everything painted so far, escapes removed
        self._pending = b""  # an escape sequence cut by a read

    def _read(self, timeout: float) -> bool:
        """Read what is there (waiting up to ``timeout``); False once the child is gone."""
        ready, _, _ = select.select([self._master], [], [], timeout)
        if not ready:
            return self.proc.poll() is None
        try:
            chunk = os.read(self._master, 1 << 16)
        except OSError:
            return False
        if not chunk:
            return False
        data = self._pending + chunk
        cut = data.rfind(b"\x1b")
        if cut != -1 and not _ESCAPES.match(data, cut):  # an unfinished sequence: keep it
            data, self._pending = data[:cut], data[cut:]
        else:
            self._pending = b""
        self._text += _ESCAPES.sub(b"", data)
        return True

    def wait_for(self, marker: str, timeout: float = 30.0) -> float:
        """Read until ``marker`` has been painted; returns ``time.perf_counter()`` then."""
        wanted = marker.encode()
        deadline = time.perf_counter() + timeout
        while wanted not in self._text:
            if time.perf_counter() > deadline or not self._read(0.002):
                tail = self._text[-1500:].decode("utf-8", "replace")
                raise RuntimeError(f"{marker!r} never painted (exit {self.proc.poll()}):\n{tail}")
        return time.perf_counter()

    def type(self, text: str) -> None:
        os.write(self._master, text.encode())

    def close(self, quit_keys: str = "\x11") -> None:
        """Ask the program to quit (ctrl+q), reading its output until it exits."""
        try:
            self.type(quit_keys)
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline and self._read(0.05):
                pass
        except OSError:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=10)
            os.close(self._master)
