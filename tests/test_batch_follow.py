"""The follower (``inspector.app.follow``) on real files, and the gate (``inspector.app.gate``)
on a fake clock: the pieces under ``watch`` and the batch, one by one."""

from __future__ import annotations

import asyncio
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.app.follow import MAX_LINE, FileFollower, StreamFollower
from inspector.app.gate import RateGate

pieces = st.lists(
    st.text(alphabet=st.sampled_from("ab é\n\r€"), max_size=30).map(str.encode), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(pieces)
def test_every_complete_line_once_however_it_is_written(chunks: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "app.log"
        path.write_bytes(b"")
        follower = FileFollower(path)
        seen = follower.poll()  # the first look: at the end of the (empty) file
        for chunk in chunks:
            with path.open("ab") as handle:
                handle.write(chunk)
            seen += follower.poll()
        follower.close()
    *complete, _ = b"".join(chunks).split(b"\n")
    assert seen == [line.rstrip(b"\r").decode("utf-8", "replace") for line in complete]


def test_what_the_file_holds_is_skipped_unless_from_start(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_text("one\ntwo\n")
    notes: list[str] = []
    assert FileFollower(path, notice=notes.append).poll() == []
    assert notes == [f"following {path}: new lines only"]
    assert FileFollower(path, from_start=True).poll() == ["one", "two"]


def test_truncation_and_rotation(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_text("before\n")
    notes: list[str] = []
    follower = FileFollower(path, notice=notes.append)
    assert follower.poll() == []
    path.write_text("x\n")  # truncated below what was read, then written
    assert follower.poll() == ["x"]
    path.rename(tmp_path / "app.log.1")
    assert follower.poll() == []  # gone: the old file stays open
    with (tmp_path / "app.log.1").open("a") as old:
        old.write("late in the old file\n")
    path.write_text("first of the new file\n")
    assert follower.poll() == ["late in the old file", "first of the new file"]
    assert [n.split(" was ")[-1] for n in notes[1:]] == [
        "truncated: reading it from the start",
        "replaced (rotated): following the new file",
    ]
    follower.close()


def test_a_file_that_appears_later_is_read_from_its_start(tmp_path: Path) -> None:
    path = tmp_path / "later.log"
    notes: list[str] = []
    follower = FileFollower(path, notice=notes.append)
    assert follower.poll() == [] and follower.poll() == []
    assert notes == [f"waiting for {path} to appear"]  # said once
    path.write_text("hello\n")
    assert follower.poll() == ["hello"]


def test_an_endless_line_is_passed_on_in_bounded_pieces(tmp_path: Path) -> None:
    path = tmp_path / "binary.log"
    follower = FileFollower(path, from_start=True)
    path.write_bytes(b"x" * (MAX_LINE + 10))
    lines = follower.poll()
    assert [len(line) for line in lines] == [MAX_LINE]  # the rest waits for its newline
    follower.close()


async def test_a_stream_is_read_to_its_end() -> None:
    stream = io.BytesIO(b"one\r\ntwo \xff\nthree")
    assert [line async for line in StreamFollower(stream).lines()] == ["one", "two \ufffd", "three"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def test_the_gate_holds_every_attempt_until_the_window_passes() -> None:
    clock = FakeClock()
    gate = RateGate(2, clock=clock, sleep=clock.sleep)
    sent: list[tuple[str, float]] = []
    most = 0

    async def attempt(name: str) -> None:
        nonlocal most
        async with gate.attempt():
            sent.append((name, clock.now))
            most = max(most, gate.in_flight)
            await asyncio.sleep(0)

    gate.rate_limited(2.0)
    gate.rate_limited(0.5)  # a shorter wait never shortens the window
    assert gate.paused_for() == 2.0 and gate.pauses == 1
    await asyncio.gather(*(attempt(name) for name in "abcde"))
    assert sorted(name for name, _ in sent) == list("abcde")
    assert all(at >= 102.0 for _, at in sent) and most <= 2
    assert gate.in_flight == 0 and gate.paused_for() == 0
