"""DetailPane: the middle of the screen. Shows one state at a time (empty, loading,
pending, retrying, error) or a record, and answers the app's questions about what it shows
(the focused field, the error text, the current record).

The app shell calls the ``show_*`` methods; everything else happens inside. Switching
keeps focus in the pane when it was there, and stops the timers of the state left behind.

Only the empty state is part of the first frame. Every other state is imported, built and
mounted the first time it is shown (see :meth:`DetailPane._make_state`): the record view
alone brings the models, the record's sections and pygments along, and mounting all six
states up front doubled the time to the first frame. A state shown for the first time is
painted as soon as it is composed, a moment later; everything the pane reports
(``state``, ``current``) is already true when ``show_*`` returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher

from inspector.core.errors import InspectorError, PendingError
from inspector.core.textsafe import clean
from inspector.tui.widgets.empty_state import DemoList, EmptyState
from inspector.tui.widgets.pane_focus import leave_input_for
from inspector.tui.widgets.pane_states import PaneState, make_state, source_words
from inspector.tui.widgets.state_base import StateWidget
from inspector.tui.widgets.stylesheet import tcss_beside

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport
    from inspector.app.explain import Explanation
    from inspector.app.facts import RecordFacts
    from inspector.app.lookup import Waiting
    from inspector.core.models import Generation
    from inspector.tui.state import LookupState
    from inspector.tui.widgets.error_state import ErrorState
    from inspector.tui.widgets.loading_state import LoadingState
    from inspector.tui.widgets.pending_state import PendingState
    from inspector.tui.widgets.record_view import RecordView
    from inspector.tui.widgets.retrying_state import RetryingState
    from inspector.tui.widgets.wait_state import WaitState

__all__ = ["DetailPane", "PaneState"]

_W = TypeVar("_W", bound=Widget)

LOADING_DELAY = 0.12  # seconds before the loading state is painted (most answers are sooner)


class DetailPane(Vertical):
    """The states and the record view, one at a time."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        demo_ids: Sequence[tuple[str, str]] = (),
        demo: bool = False,
        follow_state: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``follow_state``: draw the app's ``state`` reactive (the inspector app does;
        tests drive the ``show_*`` methods directly)."""
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self.demo_ids = tuple(demo_ids)
        self.demo = demo
        self._follow = follow_state
        self._latest: LookupState | None = None
        self._record: tuple[Generation, dict[str, Any]] | None = None
        self._mounting: dict[PaneState, AwaitMount] = {}

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="empty", id="detail-switcher"):
            yield EmptyState(id="empty")

    def on_mount(self) -> None:
        self.border_title = Content(EmptyState.pane_title)
        if self._follow:
            self.show_empty(self.demo_ids, demo=self.demo)
            self.watch(self.app, "state", self.show_state, init=False)

    # ---- the app's state ------------------------------------------------------------

    def show_state(self, old: LookupState, new: LookupState) -> None:
        """Draw ``new``, the app's lookup state (called by the watcher)."""
        self._latest = new
        if new.phase == "empty":
            self.show_empty(self.demo_ids, demo=self.demo)
        elif new.phase == "loading" and new.parsed is not None:
            if old.phase == "waiting" and old.seq == new.seq:
                self.show_loading(new.parsed.id)  # the wait's state says "checking now"
            else:
                seq = new.seq
                self.set_timer(LOADING_DELAY, lambda: self._loading_if_still(seq))
            return
        elif new.phase == "waiting" and new.waiting is not None:
            self.show_waiting(new.waiting, id_age=new.waiting.parsed.age_seconds())
        elif new.phase == "record" and new.record is not None:
            shown = new.record
            self.show_record(
                shown.generation,
                shown.raw,
                facts=shown.facts,
                source=shown.source,
                looked_up_at=shown.looked_up_at,
                bill=shown.bill,
            )
        elif new.phase == "error" and new.failure is not None:
            failure = new.failure
            self.show_error(
                new.gen_id,
                failure.error,
                explanation=failure.explanation,
                attempts=failure.attempts,
            )
        else:
            return
        self._focus_from_input()

    def _loading_if_still(self, seq: int) -> None:
        state = self._latest
        if (
            state is not None
            and state.seq == seq
            and state.phase == "loading"
            and state.parsed is not None
        ):
            # The loading state takes no focus: whoever is typing the next id in the
            # field keeps it (Enter there must look that id up, not land in the pane).
            self.show_loading(state.parsed.id)

    def _focus_from_input(self) -> None:
        """Leave the id field for the pane's content (see :mod:`.pane_focus`)."""
        leave_input_for(self, self._latest.gen_id if self._latest is not None else None)

    # ---- the states, built when first shown ---------------------------------------------

    def _make_state(self, state: PaneState) -> Widget:
        return make_state(state, self.clock)

    def _state_widget(self, state: PaneState) -> Widget:
        """The widget of ``state``, mounted (hidden) the first time it is asked for."""
        switcher = self.query_one(ContentSwitcher)
        try:
            return switcher.get_child_by_id(state)
        except NoMatches:
            widget = self._make_state(state)
            widget.display = False
            self._mounting[state] = switcher.mount(widget)
            return widget

    async def prepare(self, *states: PaneState) -> None:
        """Build the widgets of ``states`` (hidden) if they are not there yet and wait until
        they are composed: showing them afterwards paints at once. The app prepares the
        record view in idle time (:mod:`inspector.tui.warm_up`) or while the first request
        is in flight, and waits for it before showing the first record."""
        for state in states:
            widget = self._state_widget(state)
            mounting = self._mounting.get(state)  # None for the state composed at first
            if mounting is not None and not widget.is_mounted:
                await mounting

    def _paint(self, state: PaneState, paint: Callable[[_W], object]) -> _W:
        """Run ``paint`` on the widget of ``state`` now, or once it is composed."""
        widget = cast("_W", self._state_widget(state))
        if _closing(self):
            return widget
        if widget.is_mounted:
            paint(widget)
        else:  # its queue runs after its compose and mount: the children exist by then
            widget.call_later(self._paint_later, widget, paint)
        return widget

    @staticmethod
    def _paint_later(widget: _W, paint: Callable[[_W], object]) -> None:
        """A deferred paint, unless the app is closing (a signal, ^q at the first frame):
        then the widget's children may be gone already."""
        if widget.is_attached and not _closing(widget):
            paint(widget)

    def _shown(self, state: PaneState) -> Widget | None:
        """The widget of ``state`` if it is showing and composed."""
        if self.state != state:
            return None
        widget = self.query_one(ContentSwitcher).get_child_by_id(state)
        return widget if widget.is_mounted else None

    # ---- what is shown ----------------------------------------------------------------

    @property
    def state(self) -> PaneState:
        """Which state (or the record) is showing."""
        current = self.query_one(ContentSwitcher).current
        return current if current is not None else "empty"  # type: ignore[return-value]

    def _switch(self, state: PaneState, title: str, subtitle: str = "") -> None:
        switcher = self.query_one(ContentSwitcher)
        had_focus = self.has_focus_within
        previous = switcher.visible_content
        if isinstance(previous, StateWidget) and previous.id != state:
            previous.deactivate()
        switcher.current = state
        self._set_titles(title, subtitle)
        if had_focus:
            self.focus_content()

    def _set_titles(self, title: str, subtitle: str = "") -> None:
        self.border_title = Content(title)
        self.border_subtitle = Content(subtitle) if subtitle else None

    def focus_content(self) -> bool:
        """Focus what the visible state offers (the fields, a state's keys, the demo list)."""
        state = self.state
        widget = self._state_widget(state)
        if not widget.is_mounted:  # first showing: focus it once it is composed
            widget.call_later(self.focus_content)
            return True
        target = self._focus_target(state, widget)
        if target is None:
            return False
        target.focus()
        return True

    def _focus_target(self, state: PaneState, widget: Widget) -> Widget | None:
        if state == "record":
            return cast("RecordView", widget).focus_target()
        if state == "empty":
            demo = widget.query_one(DemoList)
            return demo if demo.display else None
        return widget

    # ---- the accent border while focus is inside ------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_focus()

    def _show_focus(self) -> None:
        """What ``:focus-within`` would do, for this widget's border alone.

        ``:focus-within`` (like any class change) restyles every descendant on each focus
        change, dozens of widgets here; only this border depends on it, so only this
        widget is restyled.
        """
        focused = self.has_focus_within
        if self.has_class("-focus-within") != focused:
            self.set_class(focused, "-focus-within", update=False)
            self.app.stylesheet.update_nodes([self], animate=True)

    # ---- the app's API --------------------------------------------------------------

    def show_empty(self, demo_ids: Sequence[tuple[str, str]] = (), demo: bool = False) -> None:
        """First launch: what to do; in demo mode, the demo ids (``(label, id)`` pairs)."""
        self._record = None
        self._paint("empty", lambda state: cast(EmptyState, state).show(demo_ids, demo))
        self._switch("empty", EmptyState.pane_title, "demo" if demo else "")

    def show_loading(self, gen_id: str) -> None:
        """A lookup of ``gen_id`` is running. During a wait for the same id, the wait's
        state stays up and says "checking now" instead of flashing a spinner."""
        state = self.state
        if state in ("pending", "retrying"):
            waiting = cast("WaitState | None", self._shown(state))
            if waiting is not None and waiting.gen_id == gen_id:
                waiting.mark_checking()
                return
        self._record = None
        self._paint("loading", lambda loading: cast("LoadingState", loading).show(gen_id))
        self._switch("loading", clean(gen_id), "looking up")

    def show_waiting(self, event: Waiting, *, id_age: float | None) -> None:
        """A wait before the next attempt: pending (young id) or retrying, by
        ``event.decision.kind``."""
        self._record = None
        if event.decision.kind == "pending":
            if id_age is None and isinstance(event.error, PendingError):
                id_age = event.error.age
            age = id_age
            self._paint(
                "pending", lambda state: cast("PendingState", state).show(event, id_age=age)
            )
            self._switch("pending", clean(event.gen_id), "not indexed yet")
        else:
            self._paint("retrying", lambda state: cast("RetryingState", state).show(event))
            self._switch("retrying", clean(event.gen_id), "retrying")

    def show_record(
        self,
        generation: Generation,
        raw: dict[str, Any],
        *,
        facts: RecordFacts | None = None,
        source: str = "network",
        looked_up_at: datetime | None = None,
        bill: BillReport | None = None,
    ) -> None:
        """Show a record and its facts (built here when not given); ``source`` "history"
        means it was read back from the store; ``bill`` its bill once explained."""
        if facts is None:
            from inspector.app.facts import record_facts

            facts = record_facts(generation, raw)
        shown = facts
        self._record = (generation, raw)
        self._paint(
            "record", lambda view: cast("RecordView", view).show(generation, raw, shown, bill)
        )
        title = clean(generation.id or raw.get("id") or "record")
        self._switch("record", title, source_words(source, looked_up_at))

    def show_error(
        self,
        gen_id: str | None,
        error: InspectorError,
        *,
        explanation: Explanation | None = None,
        attempts: int = 1,
    ) -> None:
        """Show why the lookup of ``gen_id`` failed and what to do next (the application
        layer's explanation; made here from the error alone when not given)."""
        self._record = None
        if explanation is None:
            from inspector.app.explain import explain

            explanation = explain(error, gen_id=gen_id, attempts=attempts)
        explained = explanation

        def paint(widget: Widget) -> None:
            state = cast("ErrorState", widget)
            state.show(gen_id, error, explained)
            if self.state == "error":  # the title comes from the explanation
                self._error_titles(gen_id, state.pane_title)

        widget = self._paint("error", paint)
        self._switch("error", "")
        self._error_titles(gen_id, cast("ErrorState", widget).pane_title)

    def _error_titles(self, gen_id: str | None, title: str) -> None:
        if gen_id:
            self._set_titles(clean(gen_id), title)
        else:
            self._set_titles(title)

    def focused_field(self) -> tuple[str, str] | None:
        """``(field name, exact raw value)`` under the cursor of the record view."""
        view = cast("RecordView | None", self._shown("record"))
        return view.focused_field() if view is not None else None

    def error_text(self) -> str | None:
        """The error shown, as plain text for copying (None when no error shows)."""
        state = cast("ErrorState | None", self._shown("error"))
        return state.error_text() if state is not None else None

    @property
    def current(self) -> tuple[Generation, dict[str, Any]] | None:
        """The record shown and its raw ``data`` object, or None."""
        return self._record if self.state == "record" else None

    @property
    def showing_raw(self) -> bool:
        """True while a record is shown as raw JSON."""
        view = cast("RecordView | None", self._shown("record"))
        return view is not None and view.showing_raw

    def toggle_raw_json(self) -> None:
        """Record view: fields ⇄ raw JSON."""
        view = cast("RecordView | None", self._shown("record"))
        if view is not None:
            view.toggle_raw_json()


def _closing(widget: Widget) -> bool:
    """True once the app was asked to exit: nothing is worth painting any more."""
    return bool(getattr(widget.app, "_exit", False))
