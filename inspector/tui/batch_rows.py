"""The rows of the batch view: one per id, in input order, sorted and filtered for the table,
and the totals of the rows shown.

No Textual here: the screen feeds the batch's items in (:meth:`BatchRows.update`), the table
widget draws :attr:`BatchRows.view`. Every text of a row is the application layer's: a
record's cells are its brief (:func:`inspector.app.brief.brief`, from the record's facts),
a failure's status is the history's outcome in words, the totals are a
:class:`~inspector.app.totals.Totals`. Sorting reads the facts' values (the figures behind
the texts); rows without a value for the sorted column (not done yet, failed) come last,
in input order, whichever the direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from rich.cells import cell_len

# The facts module (the models behind it) is imported with the view, while the first
# requests are on the wire, rather than when the first record comes in.
import inspector.app.facts  # noqa: F401
from inspector.app.batch_text import outcome_counts, outcome_word
from inspector.app.brief import brief, cost_fact
from inspector.app.lookup import Succeeded
from inspector.app.recording import outcome_name
from inspector.app.totals import Totals
from inspector.core import formatting as fmt
from inspector.core.textsafe import clean

if TYPE_CHECKING:
    from inspector.app.batch import Item, Outcome
    from inspector.app.facts import RecordFacts
    from inspector.infra.client import FetchResult

__all__ = ["COLUMNS", "NUMERIC", "STATUS_ORDER", "BatchRows", "Row", "Tone"]

COLUMNS: tuple[str, ...] = ("id", "status", "model", "provider", "cost", "tokens", "latency")
NUMERIC = frozenset({"cost", "tokens", "latency"})
Tone = Literal["ok", "failed", "warning", "busy", "queued"]

# What a lookup still running is called in the table (the batch's item statuses).
LIVE_WORDS = {"queued": "queued", "looking up": "looking up", "waiting": "retrying"}
# Failures first, then what is still running, then the records.
STATUS_ORDER = (
    "failed",
    "not found",
    "pending",
    "stopped",
    "retrying",
    "looking up",
    "queued",
    "ok",
)

FactsOf = Callable[["FetchResult"], "RecordFacts"]


@dataclass
class Row:
    """One id of the batch and what the table shows of it."""

    position: int  # input order
    gen_id: str  # terminal-safe
    status: str = "queued"
    tone: Tone = "queued"
    outcome: Outcome | None = None
    facts: RecordFacts | None = None
    cells: dict[str, str] = field(default_factory=dict)  # model, provider, cost, tokens, latency
    note: str = ""  # a failure's one-line summary (shown where the model would be)
    search: str = ""

    def text(self, column: str) -> str:
        if column == "id":
            return self.gen_id
        if column == "status":
            return self.status
        return self.cells.get(column, "")

    def sort_key(self, column: str) -> Any:
        """The value this row sorts by in ``column``; None when it has none."""
        if column == "id":
            return self.gen_id
        if column == "status":
            return STATUS_ORDER.index(self.status) if self.status in STATUS_ORDER else 0
        facts = self.facts
        if facts is None:
            return None
        if column in ("model", "provider"):
            known = (facts.model if column == "model" else facts.provider).value
            return str(known).casefold() if known else None
        if column == "cost":
            return cost_fact(facts).value
        if column == "latency":
            return facts.latency.value
        prompt, completion = facts.prompt.value, facts.completion.value
        if prompt is None and completion is None:
            return None
        return (prompt or 0, completion or 0)

    def matches(self, terms: list[str]) -> bool:
        return all(term in self.search for term in terms)

    def _index(self) -> None:
        """What the filter looks in: the id, the status, the model and the provider (or a
        failure's message)."""
        cells = self.cells
        parts = [
            self.gen_id,
            self.status,
            self.note,
            cells.get("model", ""),
            cells.get("provider", ""),
        ]
        self.search = " ".join(parts).casefold()


class BatchRows:
    """Every row, the rows shown (``view``: filtered, sorted) and their totals."""

    def __init__(self, facts_of: FactsOf) -> None:
        self._facts_of = facts_of
        self.rows: list[Row] = []
        self.sort_column: str | None = None  # None: input order
        self.descending = False
        self.filter_text = ""
        self.widths: dict[str, int] = dict.fromkeys(COLUMNS, 0)  # widest text seen per column
        self._terms: list[str] = []
        self._view: list[Row] | None = None
        self._totals = Totals()  # of every finished row
        self._shown_totals: Totals | None = None  # of the rows the filter keeps

    # ---- input ---------------------------------------------------------------------------

    def add(self, gen_id: str) -> Row:
        """A new row (queued), at the end of the input order."""
        row = Row(len(self.rows), clean(gen_id))
        row._index()
        self.rows.append(row)
        self._widen(row)
        self._view = None
        return row

    def update(self, row: Row, item: Item) -> None:
        """Show where ``item`` (the batch's item for ``row``) stands now."""
        outcome = item.outcome
        if outcome is not None:
            if outcome is not row.outcome:
                self._finish(row, outcome)
        else:
            row.status = LIVE_WORDS.get(item.status, item.status)
            row.tone = "queued" if item.status == "queued" else "busy"
        row._index()
        self._widen(row)
        if self.sort_column is not None or self._terms:
            self._view = None

    def stopped(self, row: Row) -> None:
        """The batch ended before this row's lookup did (stopped, or a key problem)."""
        if row.outcome is None:
            row.status, row.tone = "stopped", "queued"
            row._index()
            self._view = None

    def reset(self, row: Row) -> None:
        """The row is looked up again (a retry): back to queued, out of the totals."""
        row.status, row.tone, row.outcome, row.facts = "queued", "queued", None, None
        row.cells, row.note = {}, ""
        row._index()
        self._retotal()

    def _finish(self, row: Row, outcome: Outcome) -> None:
        if row.outcome is not None:  # a retry ended: the totals are counted again
            row.outcome = outcome
            self._retotal()
        else:
            row.outcome = outcome
            self._totals.add(outcome)
        if isinstance(outcome, Succeeded):
            facts = self._facts_of(outcome.result)
            line = brief(facts, outcome.result.generation)
            row.facts, row.status, row.tone, row.note = facts, "ok", "ok", ""
            row.cells = {
                "model": line.model,
                "provider": line.provider,
                "cost": line.cost,
                "tokens": line.tokens,
                "latency": line.latency,
            }
        else:
            name = outcome_name(outcome.error)
            row.facts, row.cells = None, {}
            row.status = outcome_word(name)
            row.tone = "warning" if name == "pending" else "failed"
            row.note = clean(outcome.error.summary)
        row._index()
        if self._shown_totals is not None and row.matches(self._terms):
            self._shown_totals.add(outcome)

    def _retotal(self) -> None:
        self._totals = Totals()
        for row in self.rows:
            if row.outcome is not None:
                self._totals.add(row.outcome)
        self._shown_totals = None
        self._view = None

    def _widen(self, row: Row) -> None:
        widths = self.widths
        for column in COLUMNS:
            width = cell_len(row.text(column))
            if width > widths[column]:
                widths[column] = width

    # ---- sorting and filtering -------------------------------------------------------------

    def sort_by(self, column: str | None, *, descending: bool | None = None) -> None:
        """Sort by ``column`` (None: input order); a new column starts ascending, except the
        figures (cost, tokens, latency), which start with the largest."""
        if column is not None and column not in COLUMNS:
            raise ValueError(f"no column {column!r}")
        if descending is None:
            descending = column in NUMERIC
        self.sort_column, self.descending = column, descending
        self._view = None

    def next_sort(self) -> None:
        """The next column (after the last: input order again)."""
        order: list[str | None] = [None, *COLUMNS]
        self.sort_by(order[(order.index(self.sort_column) + 1) % len(order)])

    def reverse(self) -> None:
        self.descending = not self.descending
        self._view = None

    def set_filter(self, text: str) -> None:
        """Keep the rows whose id, status, model or provider hold every word of ``text``
        (any case)."""
        self.filter_text = text
        self._terms = text.casefold().split()
        self._shown_totals = None
        self._view = None

    @property
    def filtered(self) -> bool:
        return bool(self._terms)

    @property
    def view(self) -> list[Row]:
        """The rows shown, in the order shown."""
        if self._view is None:
            self._view = self._compute()
        return self._view

    def _compute(self) -> list[Row]:
        terms = self._terms
        rows = [row for row in self.rows if row.matches(terms)] if terms else self.rows
        column = self.sort_column
        if column is None:
            return list(reversed(rows)) if self.descending else list(rows)
        keyed = [(row.sort_key(column), row) for row in rows]
        known = [pair for pair in keyed if pair[0] is not None]
        known.sort(key=lambda pair: pair[0], reverse=self.descending)
        return [row for _, row in known] + [row for key, row in keyed if key is None]

    # ---- totals ----------------------------------------------------------------------------

    @property
    def totals(self) -> Totals:
        """The totals of the rows shown (all of them unless filtered)."""
        if not self._terms:
            return self._totals
        if self._shown_totals is None:
            shown = Totals()
            for row in self.rows:
                if row.outcome is not None and row.matches(self._terms):
                    shown.add(row.outcome)
            self._shown_totals = shown
        return self._shown_totals

    def totals_cells(self) -> dict[str, str]:
        """The totals row: ``label`` and ``outcomes`` (spanning id to provider), ``cost``
        (what the rows shown cost: true spend, the sum of the cost column) and ``tokens``."""
        totals = self.totals
        shown = len(self.view)
        label = f"totals of {shown:,}" + (f" of {len(self.rows):,}" if self._terms else "")
        cells = {"label": label, "outcomes": outcome_counts(totals) if totals.lookups else ""}
        if totals.records:
            cells["cost"] = fmt.money(float(totals.true_spend))
            prompt, completion = totals.prompt_tokens, totals.completion_tokens
            cells["tokens"] = f"{fmt.tokens(prompt)} → {fmt.tokens(completion)}"
        return cells
