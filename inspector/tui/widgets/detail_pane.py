"""DetailPane: the middle of the screen. Shows one state at a time (empty, loading,
pending, retrying, error) or a record, and answers the app's questions about what it shows
(the focused field, the error text, the current record).

The app shell calls the ``show_*`` methods; everything else happens inside. Switching
keeps focus in the pane when it was there, and stops the timers of the state left behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from inspector.core import formatting as fmt
from inspector.core.errors import InspectorError, PendingError
from inspector.core.models import Generation
from inspector.core.textsafe import clean
from inspector.tui.widgets.empty_state import DemoList, EmptyState
from inspector.tui.widgets.error_state import ErrorState
from inspector.tui.widgets.loading_state import LoadingState
from inspector.tui.widgets.pending_state import PendingState
from inspector.tui.widgets.record_view import RecordView
from inspector.tui.widgets.retrying_state import RetryingState
from inspector.tui.widgets.state_base import StateWidget
from inspector.tui.widgets.stylesheet import tcss_beside
from inspector.tui.widgets.wait_state import WaitState

if TYPE_CHECKING:
    from inspector.core.lookup import Waiting

__all__ = ["DetailPane", "PaneState"]

PaneState = Literal["empty", "loading", "pending", "retrying", "error", "record"]


def _id_age(gen_id: str | None) -> float | None:
    """Age of an id from its embedded timestamp, when it has one."""
    if not gen_id:
        return None
    from inspector.core.ids import parse_id

    try:
        return parse_id(gen_id).age_seconds()
    except InspectorError:
        return None


class DetailPane(Vertical):
    """The states and the record view, one at a time."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self.base_url: str | None = None
        """Where lookups go; set by the app so network errors can name it."""
        self._record: tuple[Generation, dict[str, Any]] | None = None

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="empty", id="detail-switcher"):
            yield EmptyState(id="empty")
            yield LoadingState(clock=self.clock, id="loading")
            yield PendingState(clock=self.clock, id="pending")
            yield RetryingState(clock=self.clock, id="retrying")
            yield ErrorState(id="error")
            yield RecordView(id="record")

    def on_mount(self) -> None:
        self.border_title = Content(EmptyState.pane_title)

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
        self.border_title = Content(title)
        self.border_subtitle = Content(subtitle) if subtitle else None
        if had_focus:
            self.focus_content()

    def focus_content(self) -> bool:
        """Focus what the visible state offers (the fields, a state's keys, the demo list)."""
        target = self._focus_target()
        if target is None:
            return False
        target.focus()
        return True

    def _focus_target(self) -> Widget | None:
        state = self.state
        if state == "record":
            return self.query_one(RecordView).focus_target()
        if state == "empty":
            demo = self.query_one(DemoList)
            return demo if demo.display else None
        return self.query_one(f"#{state}", StateWidget)

    # ---- the app's API --------------------------------------------------------------

    def show_empty(self, demo_ids: Sequence[tuple[str, str]] = (), demo: bool = False) -> None:
        """First launch: what to do; in demo mode, the demo ids (``(label, id)`` pairs)."""
        self._record = None
        self.query_one(EmptyState).show(demo_ids, demo)
        self._switch("empty", EmptyState.pane_title, "demo" if demo else "")

    def show_loading(self, gen_id: str) -> None:
        """A lookup of ``gen_id`` is running. During a wait for the same id, the wait's
        state stays up and says "checking now" instead of flashing a spinner."""
        state = self.state
        if state in ("pending", "retrying"):
            waiting = self.query_one(f"#{state}", WaitState)
            if waiting.gen_id == gen_id:
                waiting.mark_checking()
                return
        self._record = None
        self.query_one(LoadingState).show(gen_id)
        self._switch("loading", clean(gen_id), "looking up")

    def show_waiting(self, event: Waiting, *, id_age: float | None) -> None:
        """A wait before the next attempt: pending (young id) or retrying, by
        ``event.decision.kind``."""
        self._record = None
        if event.decision.kind == "pending":
            if id_age is None and isinstance(event.error, PendingError):
                id_age = event.error.age
            pending = self.query_one(PendingState)
            pending.show(event, id_age=id_age)
            self._switch("pending", clean(event.gen_id), "not indexed yet")
        else:
            retrying = self.query_one(RetryingState)
            retrying.show(event)
            self._switch("retrying", clean(event.gen_id), "retrying")

    def show_record(
        self,
        generation: Generation,
        raw: dict[str, Any],
        *,
        source: str = "network",
        looked_up_at: datetime | None = None,
    ) -> None:
        """Show a record; ``source`` "history" means it was read back from the store."""
        self._record = (generation, raw)
        self.query_one(RecordView).show(generation, raw)
        title = clean(generation.id or raw.get("id") or "record")
        self._switch("record", title, _source_words(source, looked_up_at))

    def show_error(
        self,
        gen_id: str | None,
        error: InspectorError,
        *,
        attempts: int = 1,
        key_source: str | None = None,
        key_masked: str | None = None,
    ) -> None:
        """Explain why the lookup of ``gen_id`` failed and what to do next."""
        self._record = None
        state = self.query_one(ErrorState)
        state.show(
            gen_id,
            error,
            attempts=attempts,
            id_age=_id_age(gen_id),
            key_source=key_source,
            key_masked=key_masked,
            base_url=self.base_url,
        )
        if gen_id:
            self._switch("error", clean(gen_id), state.pane_title)
        else:
            self._switch("error", state.pane_title)

    def focused_field(self) -> tuple[str, str] | None:
        """``(field name, exact raw value)`` under the cursor of the record view."""
        if self.state != "record":
            return None
        return self.query_one(RecordView).focused_field()

    def error_text(self) -> str | None:
        """The error shown, as plain text for copying (None when no error shows)."""
        if self.state != "error":
            return None
        return self.query_one(ErrorState).error_text()

    @property
    def current(self) -> tuple[Generation, dict[str, Any]] | None:
        """The record shown and its raw ``data`` object, or None."""
        return self._record if self.state == "record" else None

    def toggle_raw_json(self) -> None:
        """Record view: fields ⇄ raw JSON."""
        if self.state == "record":
            self.query_one(RecordView).toggle_raw_json()


def _source_words(source: str, looked_up_at: datetime | None) -> str:
    """``from history · looked up 3 min ago`` for the border."""
    if source != "history":
        return ""
    if looked_up_at is None:
        return "from history"
    age = (datetime.now(UTC) - looked_up_at).total_seconds()
    return f"from history · looked up {fmt.relative_age(age)}"
