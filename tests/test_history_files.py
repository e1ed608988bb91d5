"""Files: the history is owner-only, and an export never replaces what it must not.

Real files throughout: a history another tool left at 0644, a named pipe with a reader
thread, symlinks to a pipe, to ``/proc/self/fd/N`` and to a character device, regular
files replaced atomically.
"""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import pytest
from history_support import read_only_folder, sample_raws

from inspector.infra.history import HistoryStore
from inspector.infra.history.outfile import write_output


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def side(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A closed history file with the sample records, left at 0644 by an older version."""
    path = tmp_path / "data" / "history.sqlite3"
    with HistoryStore(path, enabled=True) as store:
        for raw in sample_raws():
            store.record_success(raw["id"], raw)
    path.chmod(0o644)
    return path


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that takes nothing away: whatever mode a file gets is the code's choice."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# ---- the history file's permissions ----------------------------------------------------------


@pytest.mark.usefixtures("open_umask")
def test_a_0644_history_is_tightened_and_its_wal_and_shm_are_created_0600(history: Path) -> None:
    assert not side(history, "-wal").exists() and mode(history) == 0o644
    with HistoryStore(history, enabled=True) as store:
        store.record_failure("gen-1790000000-tightenAAAAAAAAAAAAA", "pending", 404, None)
        assert store.available
        assert [mode(p) for p in (history, side(history, "-wal"), side(history, "-shm"))] == [
            0o600
        ] * 3


@pytest.mark.usefixtures("open_umask")
def test_existing_0644_wal_and_shm_are_tightened_too(history: Path) -> None:
    other = sqlite3.connect(history)  # another program keeps the file open in WAL mode
    try:
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("SELECT count(*) FROM generations").fetchone()
        for suffix in ("-wal", "-shm"):
            side(history, suffix).chmod(0o644)
        with HistoryStore(history, enabled=True) as store:
            assert store.count() == len(sample_raws())
        assert [mode(p) for p in (history, side(history, "-wal"), side(history, "-shm"))] == [
            0o600
        ] * 3
    finally:
        other.close()


def test_a_read_only_history_is_tightened_and_still_read(history: Path) -> None:
    history.chmod(0o604)
    with read_only_folder(history.parent):
        with HistoryStore(history, enabled=True) as store:
            assert store.count() == len(sample_raws()) and store.readonly
        assert mode(history) == 0o600


def test_owner_bits_are_never_added(history: Path) -> None:
    """Tightening takes permissions away; a file the user made read-only stays read-only."""
    history.chmod(0o444)
    with HistoryStore(history, enabled=True) as store:
        store.count()
    assert mode(history) == 0o400


# ---- where an export goes --------------------------------------------------------------------


def writer(text: str) -> Callable[[TextIO], int]:
    """A ``produce`` callback for write_output: writes ``text``, returns its length."""

    def write(fp: TextIO) -> int:
        fp.write(text)
        return len(text)

    return write


def read_in_thread(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """Open ``path`` for reading in a thread (a FIFO's writer waits for it) and keep all."""
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fp:
            got.append(fp.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


def test_a_new_file_is_written_owner_only_with_no_temp_left(tmp_path: Path, open_umask) -> None:
    target = tmp_path / "out.jsonl"
    assert write_output(target, writer("one\ntwo\n")) == 8
    assert target.read_text() == "one\ntwo\n" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_existing_file_is_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old export\n")
    target.chmod(0o644)
    before = target.stat().st_ino
    write_output(target, writer("new export\n"))
    assert target.read_text() == "new export\n" and mode(target) == 0o600
    assert target.stat().st_ino != before  # a new file renamed into place, not rewritten

    def fails_halfway(fp: TextIO) -> int:
        fp.write("half of an exp")
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        write_output(target, fails_halfway)
    assert target.read_text() == "new export\n"  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_symlink_to_a_file_keeps_the_link_and_replaces_the_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "export.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_output(link, writer("new\n"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new\n" and mode(real) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["export.csv"]
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "real" / "later.csv")
    write_output(dangling, writer("made\n"))
    assert dangling.is_symlink() and (tmp_path / "real" / "later.csv").read_text() == "made\n"


@pytest.mark.parametrize("via_symlink", [False, True], ids=["fifo", "symlink-to-fifo"])
def test_a_named_pipe_is_written_through(tmp_path: Path, via_symlink: bool) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if via_symlink:
        target = tmp_path / "link"
        target.symlink_to(fifo)
    thread, got = read_in_thread(fifo)
    assert write_output(target, writer("through the pipe\n")) == 17
    thread.join(timeout=10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe
    assert target.is_symlink() is via_symlink
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"pipe", target.name})


def test_a_symlink_to_proc_self_fd_writes_into_that_descriptor(tmp_path: Path) -> None:
    """``/dev/stdout`` is ``/proc/self/fd/1``: here the same with a pipe of our own."""
    read_fd, write_fd = os.pipe()
    link = tmp_path / "stdout"
    link.symlink_to(f"/proc/self/fd/{write_fd}")
    with os.fdopen(read_fd, "rb") as reader:
        try:
            write_output(link, writer("to the descriptor\n"))
        finally:
            os.close(write_fd)
        assert reader.read() == b"to the descriptor\n"
    assert link.is_symlink() and os.readlink(link) == f"/proc/self/fd/{write_fd}"


def null_device(tmp_path: Path) -> Path:
    """A character device the test may lose: our own null device as root, else /dev/null
    (which a user other than root cannot replace even if the code tried)."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return device


@pytest.mark.parametrize("via_symlink", [False, True], ids=["device", "symlink-to-device"])
def test_a_character_device_is_written_through(tmp_path: Path, via_symlink: bool) -> None:
    device = null_device(tmp_path)
    target = device
    if via_symlink:
        target = tmp_path / "link"
        target.symlink_to(device)
    assert write_output(target, writer("gone\n")) == 5
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert target.is_symlink() is via_symlink


def test_a_folder_or_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    with pytest.raises(IsADirectoryError):
        write_output(tmp_path, writer("x"))
    sock_path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(OSError, match="not a file, pipe or terminal"):
            write_output(sock_path, writer("x"))
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)


def test_the_store_exports_into_whatever_write_output_opens(history: Path, tmp_path) -> None:
    out = tmp_path / "history.jsonl"
    with HistoryStore(history, enabled=True) as store:
        written = write_output(out, lambda fp: store.export(fp, "jsonl"))
        memory = io.StringIO()
        store.export(memory, "jsonl")
    assert written == len(sample_raws()) and out.read_text() == memory.getvalue()
