"""The history sidebar: newest first, a filter over the whole store, open/delete/clear.

It draws and asks; it never touches the store. Asking is a message to the app
(:class:`HistorySidebar.QueryChanged`, ``Opened``, ``DeleteRequested``,
``ClearRequested``), which has the history service do it in a thread and hands the answer
back (:meth:`HistorySidebar.show_page`). The list holds a bounded window of entries (an
OptionList, not a ListView) and a line says how many more match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from inspector.core import formatting
from inspector.core.ids import short_id
from inspector.core.textsafe import clean
from inspector.tui.keymap import bind
from inspector.tui.messages import HistoryPage
from inspector.tui.widgets.nav_list import NavList
from inspector.tui.widgets.stylesheet import tcss_beside

if TYPE_CHECKING:
    from inspector.infra.history import HistoryEntry

DEBOUNCE = 0.15
ROW_WIDTH = 30


def tick_after(youngest: float | None) -> float:
    """Seconds until the relative times ("12 s ago") should be drawn again, given the age
    of the youngest entry shown: every second in its first minute, then every 10 s, then
    every minute (what changes in "3 h ago" is slower)."""
    if youngest is None or youngest >= 3600:
        return 60.0
    return 1.0 if youngest < 60 else 10.0


_DATE_SUFFIX = re.compile(r"-\d{4}-?\d{2}-?\d{2}$")  # -20251001 or -2025-04-14

BADGES = {
    "ok": ("✓", "green"),
    "pending": ("◌", "yellow"),
    "not_found": ("✕", "red"),
    "error": ("!", "bold red"),
}


def short_model(model: str | None) -> str:
    """``anthropic/claude-4.5-haiku-20251001`` → ``claude-4.5-haiku``."""
    if not model:
        return ""
    name = model.rsplit("/", 1)[-1]
    return _DATE_SUFFIX.sub("", name) or name


def entry_line(entry: HistoryEntry, now: datetime) -> Text:
    """Two lines: badge, short id, model / cost (or outcome) and relative time."""
    mark, style = BADGES.get(entry.outcome, ("?", "dim"))
    model = clean(short_model(entry.model))
    text = Text.assemble((mark, style), " ", (clean(short_id(entry.gen_id)), "bold"), "  ")
    text.append(model[: max(ROW_WIDTH - len(text), 0)])
    when = formatting.relative_age((now - entry.last_seen).total_seconds())
    text.append(f"\n    {outcome_words(entry)} · {when}", style="dim")
    return text


def outcome_words(entry: HistoryEntry) -> str:
    if entry.outcome == "ok":
        return formatting.money(entry.total_cost, precise=False)
    if entry.outcome == "pending":
        return "pending"
    if entry.outcome == "not_found":
        return "404 not found"
    return f"error {entry.status}" if entry.status else "error"


class HistorySidebar(Vertical):
    """History of lookups; Enter opens the stored record with no network."""

    DEFAULT_CSS = tcss_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("history.delete", "delete_entry", "delete"),
        bind("history.clear", "clear_all", "clear all", show=False),
        bind("app.filter", "focus_filter", "filter", show=False),
        bind("field.down", "focus_list", "to the list", show=False),
        bind("history.back", "back", "back", show=False),
    ]

    class Opened(Message):
        """An entry was chosen: the app shows it (or looks it up if no record was kept)."""

        def __init__(self, gen_id: str) -> None:
            super().__init__()
            self.gen_id = gen_id

    class QueryChanged(Message):
        """The list needs the page for ``text`` (``seq`` numbers the queries)."""

        def __init__(self, text: str, seq: int) -> None:
            super().__init__()
            self.text = text
            self.seq = seq

    class DeleteRequested(Message):
        """The person asked to delete one entry (the app asks to confirm)."""

        def __init__(self, gen_id: str) -> None:
            super().__init__()
            self.gen_id = gen_id

    class ClearRequested(Message):
        """The person asked to clear the whole history (the app asks to confirm)."""

    class Closed(Message):
        """The overlay was closed from the keyboard: focus goes back to the detail."""

    class Hidden(Message):
        """The sidebar went off screen (folded away by a narrow terminal, or closed) while
        the focus was in it: the focus must not stay in a hidden filter box or list."""

    def __init__(
        self, *, id: str | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        """``clock``: the wall clock the relative times are read against (tests move it)."""
        super().__init__(id=id)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._tick: Timer | None = None
        self._page = HistoryPage(query="", entries=[], total=0)
        self._debounce: Timer | None = None
        self._shown_notices: set[str] = set()
        self._shown_lines: list[tuple[str, str]] = []  # (id, markup) of the options shown
        self._shown_more: str | None = None  # the text of the line under the list
        self._query_seq = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter id, model, provider", id="history-filter", compact=True)
        yield NavList(id="history-list")
        yield Static(id="history-more")

    def on_mount(self) -> None:
        self.border_title = "History"
        self._render_more()
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        """Draw the times again when the youngest one shown would read differently."""
        if self._tick is not None:
            self._tick.stop()
        now = self.clock()
        ages = [(now - entry.last_seen).total_seconds() for entry in self._page.entries]
        self._tick = self.set_timer(tick_after(min(ages, default=None)), self._on_tick)

    def _on_tick(self) -> None:
        self._render_entries()
        self._schedule_tick()

    # -- public API used by the app --------------------------------------------------------

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#history-list", OptionList)

    @property
    def filter_text(self) -> str:
        return self.query_one("#history-filter", Input).value

    @property
    def entries(self) -> list[HistoryEntry]:
        return list(self._page.entries)

    @property
    def total(self) -> int:
        return self._page.total

    def reload(self) -> None:
        """Ask for the page of the current filter again."""
        self._query_seq += 1
        self.post_message(self.QueryChanged(self.filter_text, self._query_seq))

    def highlighted_id(self) -> str | None:
        index = self.option_list.highlighted
        if index is None:
            return None
        return self.option_list.get_option_at_index(index).id

    # -- pages ---------------------------------------------------------------------------

    def show_page(self, page: HistoryPage, seq: int) -> None:
        """Draw the answer to query ``seq`` (an older query's late answer is dropped)."""
        for notice in page.notices:
            if notice not in self._shown_notices:
                self._shown_notices.add(notice)
                self.notify(
                    clean(notice), title="History", severity="warning", timeout=10, markup=False
                )
        if seq != self._query_seq:
            return  # an older query finished after a newer one started
        self._page = page
        self._render_entries()
        self._schedule_tick()
        self.refresh_bindings()  # "d delete" only while there is an entry to delete

    def _render_entries(self) -> None:
        page = self._page
        now = self.clock()
        option_list = self.option_list
        # While the person browses the list, the highlight stays on its entry; otherwise it
        # goes back to the top (the newest lookup).
        keep = self.highlighted_id() if option_list.has_focus else None
        lines = [(entry.gen_id, entry_line(entry, now)) for entry in page.entries]
        shown = [(gen_id, line.markup) for gen_id, line in lines]
        if shown != self._shown_lines:  # rebuilding the list lays the screen out again
            self._shown_lines = shown
            if lines:  # in one go (clearing first would lay it out twice)
                option_list.set_options(Option(line, id=gen_id) for gen_id, line in lines)
            else:
                option_list.clear_options()
        ids = [gen_id for gen_id, _ in lines]
        if ids:
            option_list.highlighted = ids.index(keep) if keep in ids else 0
        self.border_title = f"History  {page.total:,}"
        self._render_more()

    def _render_more(self) -> None:
        text = self._more_text()
        if text != self._shown_more:  # an update lays the screen out again
            self._shown_more = text
            line = self.query_one("#history-more", Static)
            line.update(Text(text, style="dim") if text else "")

    def _more_text(self) -> str:
        """The line under the list: how many more match, or why it is empty."""
        page = self._page
        more = page.total - len(page.entries)
        if more > 0:
            where = f" “{clean(page.query)}”" if page.query else ""
            return f"{more:,} more match{where} — refine the filter"
        if page.query and not page.entries:
            return f"nothing matches “{clean(page.query)}”"
        if not page.enabled:
            return "History is off (--no-history, INSPECTOR_HISTORY=off or the config file)."
        if not page.entries:
            return "Lookups appear here."
        return ""

    # -- events ------------------------------------------------------------------------------

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self.reload)

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self) -> None:
        self.option_list.focus()

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Opened(event.option.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_filter = self.query_one("#history-filter", Input).has_focus
        if action == "focus_list":
            return in_filter
        if action == "back":
            return in_filter or self.has_class("-overlay")
        if action == "focus_filter":
            return not in_filter
        if action == "delete_entry":
            return not in_filter and self.highlighted_id() is not None
        if action == "clear_all":
            return not in_filter and self._page.total > 0
        return True

    def action_focus_list(self) -> None:
        self.option_list.focus()

    def action_back(self) -> None:
        """Esc: from the filter to the list; from the list, close the overlay."""
        if self.query_one("#history-filter", Input).has_focus:
            self.option_list.focus()
        elif self.has_class("-overlay"):
            self.close_overlay()
            self.post_message(self.Closed())

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_delete_entry(self) -> None:
        gen_id = self.highlighted_id()
        if gen_id is not None:
            self.post_message(self.DeleteRequested(gen_id))

    def action_clear_all(self) -> None:
        self.post_message(self.ClearRequested())

    # -- showing and hiding ------------------------------------------------------------------

    def on_hide(self) -> None:
        if self.has_focus_within or self.app.focused is None:
            self.post_message(self.Hidden())

    def toggle(self, *, narrow: bool) -> bool:
        """Show or hide the sidebar; on narrow screens it opens as an overlay. True if shown."""
        if narrow:
            self.set_class(not self.has_class("-overlay"), "-overlay")
            shown = self.has_class("-overlay")
        else:
            self.set_class(not self.has_class("-collapsed"), "-collapsed")
            shown = not self.has_class("-collapsed")
        if shown:  # focus once it is displayed again
            self.call_after_refresh(self.option_list.focus)
        return shown

    def close_overlay(self) -> None:
        self.remove_class("-overlay")

    def reveal(self, *, narrow: bool) -> None:
        """Make sure the sidebar is visible (used by "filter history")."""
        self.set_class(narrow, "-overlay")
        self.remove_class("-collapsed")
