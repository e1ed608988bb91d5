"""The pending state: a young id that OpenRouter has not indexed yet, polled until it is
``deadline_age`` old. Shows the id's age, the next check as a countdown, the attempt."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Static

from inspector.core import formatting as fmt
from inspector.core.textsafe import clean
from inspector.tui.keymap import bind
from inspector.tui.widgets.key_hints import STOP, Hint, KeyHints
from inspector.tui.widgets.stylesheet import tcss_beside
from inspector.tui.widgets.wait_state import WaitState

if TYPE_CHECKING:
    from inspector.app.lookup import Waiting

__all__ = ["PendingState"]

WHY = (
    "OpenRouter publishes a generation's stats shortly after the call completes: usually "
    "within seconds, sometimes minutes. Ids of failed requests never appear."
)


class PendingState(WaitState):
    """``gen-… was created 12 s ago`` and ``Next check in 4 s ▕███░░▏ attempt 3``."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("app.retry", "app.retry_now", "check now"),
        bind("app.cancel", "app.cancel_lookup", "stop"),
    ]
    pane_title = "Not indexed yet"

    id_age: float | None = None
    attempt: int = 1
    deadline_age: float | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("◌ Not indexed yet", "bold $text-warning"), id="pending-title")
        yield Static(id="pending-age")
        yield Static(Content(WHY), id="pending-why")
        yield Static(id="pending-countdown")
        yield KeyHints(
            [Hint("app.retry", "check now", "app.retry_now"), STOP],
            id="pending-keys",
        )

    def show(self, event: Waiting, *, id_age: float | None) -> None:
        """Show the wait described by ``event`` for an id ``id_age`` seconds old."""
        decision = event.decision
        self.id_age = id_age
        self.attempt = decision.attempt
        self.deadline_age = decision.deadline_age
        self.begin_wait(event.gen_id, decision.delay)

    def _age_line(self) -> Content:
        gen_id = (clean(self.gen_id), "bold")
        if self.id_age is None:
            return Content.assemble(gen_id, " is not in OpenRouter's records yet.")
        age = self.id_age + self.elapsed
        return Content.assemble(gen_id, " was created ", (f"{fmt.age(age)} ago", "bold"), ".")

    def _suffix(self) -> Content:
        parts = [f"attempt {self.attempt}"]
        if self.deadline_age is not None:
            parts.append(f"until {fmt.age(self.deadline_age)} old")
        return Content.styled(" · ".join(parts), "$foreground-muted")

    def tick(self) -> None:
        """Redraw the age and the countdown."""
        self.query_one("#pending-age", Static).update(self._age_line())
        line = self.countdown_line("Next check in", self._suffix())
        self.query_one("#pending-countdown", Static).update(line)
