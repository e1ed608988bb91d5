"""The retrying state: a 429, a 5xx or a network failure that will be tried again.

Says what failed (status and the server's words), when the next attempt runs (a countdown),
which attempt it will be out of how many, and why that wait (the server's Retry-After, the
rate-limit reset time, or backoff).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Static

from inspector.core.errors import InspectorError, NetworkError, RateLimitedError
from inspector.core.retry import error_detail
from inspector.core.textsafe import clean
from inspector.tui.keymap import bind
from inspector.tui.widgets.key_hints import STOP, Hint, KeyHints
from inspector.tui.widgets.stylesheet import tcss_beside
from inspector.tui.widgets.wait_state import WaitState

if TYPE_CHECKING:
    from inspector.app.lookup import Waiting

__all__ = ["RetryingState", "wait_reason"]

MESSAGE_CHARS = 300
_SOURCES = {
    "Retry-After": "the server asked for this wait (Retry-After)",
    "X-RateLimit-Reset": "until the rate limit resets (X-RateLimit-Reset)",
    "backoff": "a growing wait between attempts (backoff)",
}


def wait_reason(source: str | None) -> str:
    """Why the wait is as long as it is, in words."""
    return _SOURCES.get(source or "", "the retry policy's wait")


def _title(error: InspectorError) -> Content:
    status = f" · {error.status}" if error.status is not None else ""
    style = "bold $text-warning" if isinstance(error, RateLimitedError) else "bold $text-error"
    return Content.styled(f"↻ {error.title}{status}", style)


def _message(error: InspectorError) -> Content:
    """The server's own words (or the start of a body that was not JSON), on one line."""
    words = error_detail(error.info) if error.info is not None else ""
    if isinstance(error, NetworkError) or not words:
        words = error.summary
    text = clean(words)
    if len(text) > MESSAGE_CHARS:
        text = text[: MESSAGE_CHARS - 1] + "…"
    lead = "OpenRouter said: " if error.info is not None and error.info.is_json else ""
    return Content.assemble((lead, "$foreground-muted"), text)


class RetryingState(WaitState):
    """``Retrying in 7 s ▕████░░▏ attempt 2 of 5`` under the status and message."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("app.retry", "app.retry_now", "retry now"),
        bind("app.cancel", "app.cancel_lookup", "stop"),
    ]
    pane_title = "Retrying"

    attempt: int = 2
    max_attempts: int | None = None
    source: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="retrying-title")
        yield Static(id="retrying-message")
        yield Static(id="retrying-countdown")
        yield Static(id="retrying-why")
        yield KeyHints(
            [Hint("app.retry", "retry now", "app.retry_now"), STOP],
            id="retrying-keys",
        )

    def show(self, event: Waiting) -> None:
        """Show the wait described by ``event``."""
        decision = event.decision
        self.attempt = decision.attempt
        self.max_attempts = decision.max_attempts
        self.source = decision.source
        self.pane_title = f"{event.error.title} · retrying"
        self.query_one("#retrying-title", Static).update(_title(event.error))
        self.query_one("#retrying-message", Static).update(_message(event.error))
        why = Content.styled(f"Why this wait: {wait_reason(decision.source)}.", "$foreground-muted")
        self.query_one("#retrying-why", Static).update(why)
        self.begin_wait(event.gen_id, decision.delay)

    def _suffix(self) -> Content:
        of = f" of {self.max_attempts}" if self.max_attempts else ""
        return Content.styled(f"attempt {self.attempt}{of}", "$foreground-muted")

    def tick(self) -> None:
        """Redraw the countdown."""
        line = self.countdown_line("Retrying in", self._suffix())
        self.query_one("#retrying-countdown", Static).update(line)
