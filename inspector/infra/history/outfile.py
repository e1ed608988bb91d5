"""Writing an export to a path without replacing what must not be replaced.

* A regular file (new or existing) is written atomically: a temporary file beside it
  (mode 0600), flushed to disk, then renamed over it. Readers never see half an export.
* A named pipe, a terminal or another character device (``/dev/stdout``, ``/dev/null``) is
  written through: opened for writing, never replaced by a regular file.
* A symlink is followed, never replaced: to a regular file, that file is replaced
  atomically (the link stays); to a pipe or a device, it is written through. ``/dev/stdout``
  is a symlink to ``/proc/self/fd/1``, which points at whatever stdout is.
* A folder, a socket or a block device is refused.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TextIO

Produce = Callable[[TextIO], int]


def write_output(path: Path, produce: Produce) -> int:
    """Call ``produce`` with a text file writing to ``path``; return what it returns.

    When ``produce`` raises, an atomic write leaves the old file (or no file) in place.
    Raises :class:`OSError` when ``path`` cannot be written.
    """
    try:
        found = os.stat(path)  # follows symlinks, /proc/self/fd/N's magic links included
    except FileNotFoundError:
        found = None  # nothing there, or a symlink to nothing yet: the target is created
    if found is not None and not stat.S_ISREG(found.st_mode):
        return _write_through(path, found.st_mode, produce)
    target = Path(os.path.realpath(path))
    if found is not None and not _same_file(target, found):
        # e.g. /proc/self/fd/N on a deleted file: no name to replace, so write into it
        return _write_through(path, found.st_mode, produce)
    return _replace_atomically(target, produce)


def _same_file(target: Path, found: os.stat_result) -> bool:
    try:
        seen = os.stat(target)
    except OSError:
        return False
    return (seen.st_dev, seen.st_ino) == (found.st_dev, found.st_ino)


def _write_through(path: Path, mode: int, produce: Produce) -> int:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISREG(mode)):
        raise OSError(errno.EINVAL, "not a file, pipe or terminal", str(path))
    # No O_CREAT, no O_TRUNC: an existing pipe or device is opened, nothing made or cut.
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fp:
        written = produce(fp)
        fp.flush()
    return written


def _replace_atomically(target: Path, produce: Produce) -> int:
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fp:
            written = produce(fp)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    return written
