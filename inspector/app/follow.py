"""Following a growing log the way ``tail -F`` does, or a stream, line by line.

:class:`FileFollower` polls a path every ``interval`` seconds (0.2 by default) and yields
each complete line appended to it:

- **appends** are read as they come; a line still being written (no newline yet) waits
  for its end (or for :data:`MAX_LINE` bytes, then it is passed on as it is);
- **truncation** (the size drops below what was read, e.g. ``copytruncate`` or ``: > log``)
  starts again from the beginning of the file;
- **rotation** (the path names another file: renamed away and recreated) drains the old
  file to its end, then follows the new one from its beginning;
- a path that does not exist yet (or is between rotation and re-creation) is waited for.

The identity of a file is its device and inode, compared on every poll. Each of these
events is reported once through ``notice`` (a line of text), so a front-end can say so.

:class:`StreamFollower` reads a byte stream (stdin) on a daemon thread, so a blocked read
never holds up the event loop or the end of the program; its lines end at end of file.

Bytes are decoded as UTF-8, anything undecodable replaced. Neither class touches the
network; mining ids out of the lines is :func:`inspector.core.ids.extract_ids`'s job.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["DEFAULT_INTERVAL", "MAX_LINE", "FileFollower", "StreamFollower"]

DEFAULT_INTERVAL = 0.2  # seconds between two looks at the file
MAX_LINE = 1024 * 1024  # a "line" this long without a newline is passed on as it is
_CHUNK = 256 * 1024

Notice = Callable[[str], None]


def _ignore(text: str) -> None:
    return None


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


class FileFollower:
    """Complete lines appended to ``path``, surviving truncation and rotation."""

    def __init__(
        self,
        path: Path,
        *,
        from_start: bool = False,
        interval: float = DEFAULT_INTERVAL,
        notice: Notice = _ignore,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """``sleep`` defaults to :func:`asyncio.sleep` (imported on first use: the CLI's
        parser reads :data:`DEFAULT_INTERVAL` from here without loading asyncio)."""
        self.path = Path(path)
        self.from_start = from_start
        self.interval = interval
        self._notice = notice
        self._sleep = sleep
        self._file: BinaryIO | None = None
        self._identity: tuple[int, int] | None = None
        self._partial = b""
        self._first_look = True
        self._said_missing = False

    async def lines(self) -> AsyncIterator[str]:
        """Every new line (without its newline), forever; cancel to stop."""
        try:
            while True:
                for line in self.poll():
                    yield line
                await (self._sleep or _asyncio_sleep)(self.interval)
        finally:
            self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    # ---- one look at the file -------------------------------------------------------------

    def poll(self) -> list[str]:
        """Read what was appended since the last look; handle truncation and rotation."""
        if self._file is None and not self._open():
            return []
        found = self._drain()
        try:
            current = os.stat(self.path)
        except FileNotFoundError:
            return found  # moved away, not recreated yet: the open file may still grow
        except OSError as exc:
            self._notice(f"{self.path}: {exc.strerror or exc}")
            return found
        if _identity(current) != self._identity:
            found += self._drain()  # what the writer added before it switched files
            found += self._end_partial()
            self.close()
            self._notice(f"{self.path} was replaced (rotated): following the new file")
            if self._open():
                found += self._drain()
        elif self._file is not None and current.st_size < self._file.tell():
            found += self._end_partial()
            self._file.seek(0)
            self._notice(f"{self.path} was truncated: reading it from the start")
            found += self._drain()
        return found

    def _open(self) -> bool:
        """Open the path; only the very first look at a file that exists skips what it
        already holds (unless ``from_start``): a file that appears later, or replaces a
        rotated one, is read from its beginning."""
        first, self._first_look = self._first_look, False
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            if not self._said_missing:
                self._notice(f"waiting for {self.path} to appear")
                self._said_missing = True
            return False
        except OSError as exc:
            if not self._said_missing:
                self._notice(f"cannot read {self.path}: {exc.strerror or exc}; trying again")
                self._said_missing = True
            return False
        self._said_missing = False
        self._file = handle
        self._identity = _identity(os.fstat(handle.fileno()))
        if first and not self.from_start:
            handle.seek(0, os.SEEK_END)  # only what is appended from now on
            self._notice(f"following {self.path}: new lines only")
        elif first:
            self._notice(f"following {self.path} from its start")
        return True

    def _drain(self) -> list[str]:
        handle = self._file
        if handle is None:
            return []
        lines: list[str] = []
        while chunk := handle.read(_CHUNK):
            data = self._partial + chunk
            *complete, self._partial = data.split(b"\n")
            lines.extend(_decode(line) for line in complete)
            if len(self._partial) >= MAX_LINE:
                lines.append(_decode(self._partial))
                self._partial = b""
        return lines

    def _end_partial(self) -> list[str]:
        partial, self._partial = self._partial, b""
        return [_decode(partial)] if partial else []


def _decode(line: bytes) -> str:
    return line.rstrip(b"\r").decode("utf-8", errors="replace")


class StreamFollower:
    """The lines of a byte stream (``sys.stdin.buffer``), read on a daemon thread, until
    end of file."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    async def lines(self) -> AsyncIterator[str]:
        import asyncio

        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()

        def read() -> None:
            # A closed loop (the program is ending) raises RuntimeError: nobody listens.
            with contextlib.suppress(RuntimeError):
                try:
                    for line in self.stream:
                        text = _decode(line.rstrip(b"\n"))
                        loop.call_soon_threadsafe(queue.put_nowait, text)
                except (OSError, ValueError):  # closed or unreadable: the end of the input
                    pass
                loop.call_soon_threadsafe(queue.put_nowait, None)

        threading.Thread(target=read, name="orinspect-stdin", daemon=True).start()
        while (line := await queue.get()) is not None:
            yield line
