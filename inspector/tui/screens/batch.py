"""The batch view: many ids looked up at once, a row each, filling in as lookups finish.

Opened by pasting or submitting several ids, or by ``orinspect --follow FILE`` (the file
followed as ``tail -F`` does, every new id in it looked up). A line at the top says how far
the batch is (done/total, ok/pending/failed, rate, ETA: the batch's own figures, in the
words the command line uses); the table (:class:`~inspector.tui.widgets.batch_table.
BatchTable`) has a row per id and a totals row, sorts by any column (``s`` the next one,
``S`` the other way, or a click on a title) and keeps the rows that match a filter
(``/``). Enter opens a row's record (or its error) in the main screen's detail pane, with
every key that works there; Esc there comes back here.

One :class:`~inspector.app.batch.Batch` on the app's session, in one worker
(:mod:`inspector.tui.batch_worker`): the same concurrency, rate-limit gate, key rule and
history transactions as ``orinspect get``. Esc or Ctrl+C stops it, q stops it and closes
the view; what finished is recorded either way. ``r`` looks the ids that failed (or never
finished) up again.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from inspector.app.batch import DEFAULT_JOBS, Batch
from inspector.app.batch_text import SEP, progress_text
from inspector.app.lookup import Failed
from inspector.core.errors import MissingKeyError
from inspector.core.textsafe import clean
from inspector.tui.batch_commands import BatchCommands
from inspector.tui.batch_keys import FILTER_BINDINGS, SCREEN_BINDINGS
from inspector.tui.batch_rows import BatchRows, Row
from inspector.tui.batch_worker import BatchRunner, follow_lines
from inspector.tui.messages import BatchChanged, BatchEnded, BatchNotice, HistoryChanged
from inspector.tui.widgets.batch_table import BatchRowsView, BatchTable
from inspector.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from inspector.app.facts import RecordFacts
    from inspector.core.ids import ParsedId
    from inspector.infra.client import FetchResult
    from inspector.tui.app import InspectorApp

__all__ = ["BatchFilter", "BatchScreen"]

TICK = 0.5  # seconds between two redraws of the progress line while the batch runs
BAR = 16  # cells of the progress bar, at most (less on a narrow screen, none at all)


class BatchFilter(Input):
    """The filter field: rows are kept as it is typed; Enter goes back to the table with
    the filter, Esc clears it."""

    BINDINGS: ClassVar[list[BindingType]] = FILTER_BINDINGS

    def action_clear(self) -> None:
        self.value = ""
        screen = self.screen
        if isinstance(screen, BatchScreen):
            screen.focus_table()


class BatchScreen(ModalScreen[None]):
    """The batch view over the main screen (the main screen's keys do not apply here)."""

    CSS_PATH = "batch.tcss"
    BINDINGS: ClassVar[list[BindingType]] = SCREEN_BINDINGS
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {BatchCommands}

    def __init__(
        self, ids: Sequence[ParsedId] = (), *, follow: Path | None = None, jobs: int = DEFAULT_JOBS
    ) -> None:
        super().__init__()
        self.follow = follow
        self.jobs = jobs
        self.rows = BatchRows(self._facts_of)
        self.active_batch: Batch | None = None
        self.stopped = False  # stopped by the person (Esc, Ctrl+C, q) before it finished
        self.ended = False  # the batch's end is drawn (every row final)
        self.notice = ""
        self._first_ids = list(ids)
        self._parsed: dict[int, ParsedId] = {}  # row position -> its id
        self._by_id: dict[str, Row] = {}
        self._rows_of: list[Row] = []  # the current batch's items -> their rows

    @property
    def inspector(self) -> InspectorApp:
        return self.app  # type: ignore[return-value]

    def _facts_of(self, result: FetchResult) -> RecordFacts:
        return self.inspector.session.facts(result)

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="batch-progress")
        yield Static(id="batch-notice")
        yield BatchTable(self.rows, id="batch-table")
        yield BatchFilter(placeholder="filter: id, status, model or provider", id="batch-filter")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#batch-filter").display = False
        self.query_one("#batch-notice").display = False
        self.focus_table()
        self.set_interval(TICK, self._tick)
        self.start(self._first_ids)

    @property
    def table(self) -> BatchTable:
        return self.query_one(BatchTable)

    def focus_table(self) -> None:
        self.table.body.focus()

    # ---- running -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.active_batch is not None and not self.active_batch.finished

    def start(self, ids: Sequence[ParsedId]) -> None:
        """A new batch of ``ids`` (and, following a file, of every id appended to it)."""
        batch = Batch(self.inspector.session, jobs=self.jobs)
        self.active_batch, self.stopped, self.ended = batch, False, False
        self._rows_of = []
        batch.add_all(ids)
        lines: AsyncIterable[str] | None = None
        if self.follow is not None:
            lines = follow_lines(self.follow, self.post_message)
        else:
            batch.finish_input()
        self._sync_rows(batch)
        self._redraw()
        self.refresh_bindings()  # Esc stops now
        self._run(batch, lines)

    @work(exclusive=True, group="batch", exit_on_error=False)
    async def _run(self, batch: Batch, lines: AsyncIterable[str] | None) -> None:
        await BatchRunner(batch, self.post_message).run(lines)

    def _sync_rows(self, batch: Batch) -> None:
        """A row for every item of the batch (the followed file adds items as it grows)."""
        for item in batch.items[len(self._rows_of) :]:
            row = self._by_id.get(item.gen_id)
            if row is None:
                row = self.rows.add(item.gen_id)
                self._by_id[item.gen_id] = row
                self._parsed[row.position] = item.parsed
            self._rows_of.append(row)

    @on(BatchChanged)
    def _batch_changed(self, event: BatchChanged) -> None:
        batch = event.batch
        if batch is not self.active_batch:
            return
        self._sync_rows(batch)
        for index in event.indexes:
            self.rows.update(self._rows_of[index], batch.items[index])
        self._redraw()

    @on(BatchEnded)
    def _batch_ended(self, event: BatchEnded) -> None:
        batch = event.batch
        if batch is not self.active_batch or _closing(self):
            return
        self._sync_rows(batch)
        for index, item in enumerate(batch.items):
            row = self._rows_of[index]
            self.rows.update(row, item)
            self.rows.stopped(row)  # (a row whose lookup did not end)
        self.ended = True
        self._redraw()
        self.refresh_bindings()
        self.app.post_message(HistoryChanged())
        stopped_by = batch.stopped_by
        if stopped_by is not None:
            self.inspector.key_failed(stopped_by.error)
            self.inspector.offer_key_prompt(stopped_by.error)

    @on(BatchNotice)
    def _batch_notice(self, event: BatchNotice) -> None:
        self.notice = clean(event.text)
        notice = self.query_one("#batch-notice", Static)
        notice.update(Content(self.notice))
        notice.display = bool(self.notice)

    def _tick(self) -> None:
        if self.running:
            self._draw_progress()

    def _redraw(self) -> None:
        self.table.body.empty_text = self._empty_text()
        self.table.show()
        self._draw_progress()

    def _empty_text(self) -> str:
        if self.rows.filtered:
            return f"no row matches {self.rows.filter_text!r}"
        if self.follow is not None:
            return f"waiting for generation ids in {clean(str(self.follow))}…"
        return ""

    def _draw_progress(self) -> None:
        self.query_one("#batch-progress", Static).update(Content(self.progress_line()))

    def progress_line(self) -> str:
        """``Batch · 412 of 1,000 ━━━━━━╺─────── ok 400 · pending 2 · … · ETA 6 s``."""
        batch = self.active_batch
        if batch is None:
            return ""
        now = batch.progress()
        where = f"Following {clean(str(self.follow))}" if self.follow is not None else "Batch"
        done = f"{now.done:,} of {now.total:,}"
        if not batch.finished:
            figures = progress_text(now)
            room = self.size.width - 2 - len(f"{where}{SEP}{done}    {figures}")
            bar = _bar(now.done, now.total, min(room, BAR))
            return SEP.join((where, f"{done}  {bar}  {figures}" if bar else f"{done}  {figures}"))
        outcomes = f"ok {now.ok:,}{SEP}failed {now.failed:,}"
        if batch.stopped_by is not None:
            error = batch.stopped_by.error
            why = "no API key" if isinstance(error, MissingKeyError) else clean(error.summary)
            return SEP.join((where, f"stopped: {why}", f"{done} done", outcomes))
        if self.stopped:
            return SEP.join((where, f"stopped after {done}", outcomes, "what finished is kept"))
        return SEP.join((where, f"{now.done:,} done", outcomes))

    # ---- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        batch = self.active_batch
        if action == "stop":
            return self.running
        if action == "done":
            return not self.running
        if action == "retry":
            return not self.running and any(_again(row) for row in self.rows.rows)
        if action == "enter_key":
            stopped_by = batch.stopped_by if batch is not None else None
            return stopped_by is not None and not self.inspector.demo
        if action == "copy_id":
            return self.is_mounted and self.table.body.highlighted is not None
        return True

    def stop_batch(self) -> None:
        """Stop the lookups (what finished is recorded); the rows stay."""
        if self.running and self.active_batch is not None:
            self.stopped = True
            self.active_batch.stop()
            self.refresh_bindings()

    def action_stop(self) -> None:
        self.stop_batch()

    def action_done(self) -> None:
        self.inspector.close_batch()

    def action_close(self) -> None:
        self.stop_batch()
        self.inspector.close_batch()

    def action_filter(self) -> None:
        field = self.query_one(BatchFilter)
        field.display = True
        field.focus()

    @on(Input.Changed, "#batch-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.rows.set_filter(event.value)
        self._redraw()

    @on(Input.Submitted, "#batch-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.focus_table()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        field = self.query_one(BatchFilter)
        if not field.value and not field.has_focus:
            field.display = False

    def action_sort(self) -> None:
        self.rows.next_sort()
        self._redraw()

    def action_reverse(self) -> None:
        self.rows.reverse()
        self._redraw()

    @on(BatchTable.SortClicked)
    def _sort_clicked(self, event: BatchTable.SortClicked) -> None:
        if self.rows.sort_column == event.column:
            self.rows.reverse()
        else:
            self.rows.sort_by(event.column)
        self._redraw()

    def action_copy_id(self) -> None:
        row = self.table.body.highlighted
        if row is not None:
            self.inspector.clipboard_service.copy(self._parsed[row.position].id, "generation id")

    def action_retry(self) -> None:
        again = [row for row in self.rows.rows if _again(row)]
        if self.running or not again:
            return
        for row in again:
            self.rows.reset(row)
        self.start([self._parsed[row.position] for row in again])

    def action_open_row(self) -> None:
        self.table.body.action_open()

    def action_enter_key(self) -> None:
        self.inspector.action_enter_key()

    def action_help(self) -> None:
        self.inspector.action_help()

    @on(BatchRowsView.Opened)
    async def _opened(self, event: BatchRowsView.Opened) -> None:
        outcome = event.row.outcome
        if outcome is None:
            self.notify("Still looking it up", timeout=3, markup=False)
            return
        await self.inspector.show_batch_outcome(outcome)

    def on_unmount(self) -> None:
        if self.active_batch is not None:
            self.active_batch.close()  # records what finished (the worker's end does too)


def _closing(screen: BatchScreen) -> bool:
    """The app is quitting (its workers are cancelled): nothing is worth drawing."""
    return bool(getattr(screen.app, "_exit", False)) or not screen.is_attached


def _again(row: Row) -> bool:
    """A row ``r`` looks up again: failed, or never finished (the batch was stopped)."""
    return row.outcome is None or isinstance(row.outcome, Failed)


def _bar(done: int, total: int, width: int) -> str:
    """``━━━━━━────`` (empty below 4 cells: no room for a bar worth the name)."""
    if width < 4:
        return ""
    filled = width * done // total if total > 0 else 0
    return "━" * filled + "─" * (width - filled)
