"""Many lookups on one session: bounded concurrency, input order, one gate, batched history.

The CLI (``get``, ``watch``, ``check``) and the TUI's batch view share this::

    batch = Batch(session, jobs=8)
    batch.add_all(ids)            # or add() them one by one as they come (watch)
    batch.finish_input()          # no more ids: events() ends once every lookup has
    order = InputOrder()
    async for item in batch.events():              # completion order, each with its index
        ...  # item.event: Attempting | Waiting | Succeeded | Failed; batch.items[i] the row
        for outcome in order.add(item):            # input order: outcome i once 0..i are
            ...                                    # done

Rules (one place for each):

- **Concurrency**: at most ``jobs`` attempts on the wire (the :class:`RateGate`'s places).
  A lookup waiting for a poll or a retry holds no place, so pending ids never block the
  others; lookups start in input order, a new one whenever fewer than ``jobs`` are busy.
- **One rate-limit gate**: a 429 closes the gate for every lookup for the wait the retry
  policy decided (:mod:`inspector.app.gate`).
- **The key first**: the first lookup runs alone until its first answer. A missing or
  rejected key stops the whole batch (:attr:`Batch.stopped_by`): the same key would fail
  every other id, and it is sent once, not ``jobs`` times.
- **Repeats** are looked up once: :meth:`Batch.add` returns None for an id already added.
- **History** in transactions: outcomes are handed to the session's recorder
  (:meth:`~inspector.app.recording.Recorder.record_many`, the one recording policy: one
  transaction per call) every ``record_every`` outcomes or ``record_seconds`` seconds, on
  a worker thread so lookups flow meanwhile; whatever is left is recorded when the batch
  ends, is stopped, cancelled or interrupted (:meth:`Batch.close`, on the calling thread).

No Textual here; the front-ends only render events, :attr:`Batch.items` and
:meth:`Batch.progress`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any

from inspector.app.batch_types import (  # the values, re-exported here
    BatchEvent,
    InputOrder,
    Item,
    ItemStatus,
    Outcome,
    Progress,
)
from inspector.app.gate import RateGate
from inspector.app.lookup import Attempting, Failed, LookupEvent, Succeeded, Waiting
from inspector.core.errors import AuthError, MissingKeyError

if TYPE_CHECKING:
    from inspector.app.session import Session
    from inspector.core.ids import ParsedId

__all__ = [
    "DEFAULT_JOBS",
    "MAX_JOBS",
    "Batch",
    "BatchEvent",
    "InputOrder",
    "Item",
    "ItemStatus",
    "Progress",
]

DEFAULT_JOBS = 8
MAX_JOBS = 64
RECORD_EVERY = 50  # outcomes per history transaction
RECORD_SECONDS = 1.0  # at most this long between a finished lookup and its transaction


class _End:
    """Wakes the consumer (input finished, batch stopped)."""


class _Crash:
    """A task of the batch raised ``error``: the consumer raises it."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class Batch:
    """Lookups of many ids on one :class:`~inspector.app.session.Session`."""

    def __init__(
        self,
        session: Session,
        *,
        jobs: int = DEFAULT_JOBS,
        record: bool = True,
        record_every: int = RECORD_EVERY,
        record_seconds: float = RECORD_SECONDS,
        keep_outcomes: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``keep_outcomes=False`` (a follow that may run for days): an item forgets its
        outcome once the event is out, so memory does not grow with every record read."""
        if not 1 <= jobs <= MAX_JOBS:
            raise ValueError(f"jobs must be between 1 and {MAX_JOBS}")
        self.session = session
        self.jobs = jobs
        self.gate = RateGate(jobs, clock=clock)
        self.items: list[Item] = []
        self.stopped_by: Failed | None = None  # the missing or rejected key that stopped it
        self._record = record
        self._keep_outcomes = keep_outcomes
        self._record_every = max(record_every, 1)
        self._record_seconds = record_seconds
        self._clock = clock
        self._index: dict[str, int] = {}
        self._statuses: Counter[str] = Counter()
        self._unrecorded: list[Outcome] = []
        self._queue: asyncio.Queue[BatchEvent | _End | _Crash] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._full = asyncio.Event()  # record_every outcomes wait to be recorded
        self._tasks: set[asyncio.Future[None]] = set()
        self._next = 0  # the next item to start
        self._busy = 0  # started, not finished, not in a wait
        self._done = 0
        self._key_answered = False  # the first lookup had an answer: the others may start
        self._input_done = False
        self._stopping = False
        self._closed = False
        self._consumed = False
        self._started_at: float | None = None

    # ---- input ---------------------------------------------------------------------------

    def add(self, parsed: ParsedId) -> int | None:
        """Queue one id; its index, or None for an id already in the batch (or after
        :meth:`finish_input`)."""
        if self._input_done or parsed.id in self._index:
            return None
        index = len(self.items)
        self._index[parsed.id] = index
        self.items.append(Item(index, parsed))
        self._statuses["queued"] += 1
        self._wake.set()
        return index

    def add_all(self, ids: Iterable[ParsedId]) -> list[int]:
        """Queue several ids; the indexes of those that were new."""
        return [index for index in map(self.add, ids) if index is not None]

    def feed(self, lines: AsyncIterable[str]) -> None:
        """Add every new id of every line as it comes (ids mined by
        :func:`~inspector.core.ids.extract_ids`); the end of ``lines`` finishes the input.
        Call it from the event loop; the reading stops with the batch."""
        self._spawn(self._read(lines))

    async def _read(self, lines: AsyncIterable[str]) -> None:
        from inspector.core.ids import extract_ids

        try:
            async for line in lines:
                self.add_all(extract_ids(line).ids)
        finally:
            if not self._stopping:
                self.finish_input()

    def finish_input(self) -> None:
        """No more ids: :meth:`events` ends once every lookup has."""
        self._input_done = True
        self._wake.set()
        self._queue.put_nowait(_End())

    def index_of(self, gen_id: str) -> int | None:
        return self._index.get(gen_id)

    # ---- state -----------------------------------------------------------------------------

    def progress(self) -> Progress:
        count = self._statuses
        started = self._started_at
        return Progress(
            total=len(self.items),
            done=self._done,
            ok=count["ok"],
            failed=count["failed"],
            pending=count["pending"],
            waiting=count["waiting"],
            in_flight=self.gate.in_flight,
            elapsed=self._clock() - started if started is not None else 0.0,
            paused_for=self.gate.paused_for(),
        )

    @property
    def finished(self) -> bool:
        """Stopped, or every id of a finished input is done."""
        return self._stopping or (self._input_done and self._done == len(self.items))

    # ---- running ---------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[BatchEvent]:
        """Run the batch: every event of every lookup as it happens, with its index.

        One consumer per batch. Ends when :attr:`finished`; leaving the loop early, a
        cancellation or Ctrl+C cancel what is still running and record what finished.
        """
        if self._consumed:
            raise RuntimeError("a batch runs once")
        self._consumed = True
        self._started_at = self._clock()
        self._spawn(self._schedule())
        self._spawn(self._write_history())
        try:
            while not (self.finished and self._queue.empty()):
                item = await self._queue.get()
                if isinstance(item, _Crash):
                    raise item.error
                if isinstance(item, BatchEvent):
                    yield item
        finally:
            self.close()

    def stop(self) -> None:
        """End the batch after what has finished (lookups still running are cancelled)."""
        if not self._stopping:
            self._stopping = True
            self._cancel_tasks()
            self._queue.put_nowait(_End())

    def close(self) -> None:
        """Cancel what still runs and record what finished. Idempotent, never blocks on
        the network (the history write is one transaction)."""
        if self._closed:
            return
        self._stopping = True
        self._closed = True
        self._cancel_tasks()
        self.flush()

    def flush(self) -> int:
        """Record the finished outcomes not yet recorded, now (one transaction); rows
        written. A write already under way on the worker thread finishes first."""
        return self._write(self._take())

    def _take(self) -> list[Outcome]:
        outcomes, self._unrecorded = self._unrecorded, []
        self._full.clear()
        return outcomes

    def _write(self, outcomes: list[Outcome]) -> int:
        if not outcomes or not self._record:
            return 0
        return self.session.recorder.record_many(outcomes)

    # ---- internals ---------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Future[None]) -> None:
        """A task that raised (a bug, or a signal landing in it) ends the consumer's loop
        with that exception."""
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None and not self._closed:
            self._queue.put_nowait(_Crash(task.exception()))  # type: ignore[arg-type]

    def _cancel_tasks(self) -> None:
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()

    def _may_start(self) -> bool:
        if not self._key_answered:
            return self._next == 0  # the first lookup alone, until the key is answered
        return self._busy < self.jobs

    async def _schedule(self) -> None:
        while not self._stopping:
            while self._next < len(self.items) and self._may_start():
                item = self.items[self._next]
                self._next += 1
                self._busy += 1
                self._spawn(self._look_up(item))
            if self._input_done and self._next >= len(self.items):
                return
            self._wake.clear()
            await self._wake.wait()

    async def _write_history(self) -> None:
        """The one writer: every ``record_every`` outcomes or ``record_seconds``, a
        transaction on a worker thread (cancelling the wait leaves the write to finish)."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._full.wait(), self._record_seconds)
            outcomes = self._take()
            if outcomes and self._record:
                recorder = self.session.recorder  # built here, on the loop's thread
                await asyncio.to_thread(recorder.record_many, outcomes)

    async def _look_up(self, item: Item) -> None:
        async for event in self.session.lookup(item.parsed, foreground=False, gate=self.gate):
            self._on_event(item, event)

    def _set_status(self, item: Item, status: ItemStatus) -> None:
        self._statuses[item.status] -= 1
        self._statuses[status] += 1
        item.status = status

    def _on_event(self, item: Item, event: LookupEvent) -> None:
        if self._closed:
            return
        if isinstance(event, Attempting):
            if item.status in ("waiting", "pending"):
                self._busy += 1  # back from a wait
            item.attempts = event.attempt
            self._set_status(item, "looking up")
        elif isinstance(event, Waiting):
            item.waiting = event
            self._busy -= 1  # a wait holds no place
            self._set_status(item, "pending" if event.decision.kind == "pending" else "waiting")
        else:
            if self._keep_outcomes:
                item.outcome = event
            item.attempts = event.attempts
            self._busy -= 1
            self._done += 1
            self._set_status(item, "ok" if isinstance(event, Succeeded) else "failed")
            self._unrecorded.append(event)
            if len(self._unrecorded) >= self._record_every:
                self._full.set()
        if not isinstance(event, Attempting):
            self._key_answered = True
        self._wake.set()
        self._queue.put_nowait(BatchEvent(item.index, event))
        if isinstance(event, Failed) and isinstance(event.error, AuthError | MissingKeyError):
            self.stopped_by = event
            self.stop()
