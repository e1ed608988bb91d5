"""The error state: one explanation per error class (from ``inspector.app.explain``):
a title, what happened and why, the evidence, and the next step, with the key that does
it. The whole text can be copied (``c``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Static

from inspector.app.explain import Explanation
from inspector.core.errors import InspectorError, LookupCancelled
from inspector.core.textsafe import clean_multiline
from inspector.tui.keymap import bind
from inspector.tui.widgets.key_hints import Hint, KeyHints
from inspector.tui.widgets.state_base import StateWidget
from inspector.tui.widgets.stylesheet import tcss_beside

__all__ = ["ErrorState"]


class ErrorState(StateWidget):
    """``✕ Key rejected · 401`` and what to do about it."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("app.copy", "app.copy_error", "copy message"),
        bind("app.api_key", "enter_key", "enter key"),
        bind("app.retry", "app.retry_now", "try again"),
    ]
    pane_title = "Error"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.explanation: Explanation | None = None
        self.gen_id: str | None = None
        self.error: InspectorError | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="error-title")
        yield Static(id="error-cause")
        yield Static(id="error-detail")
        yield Static(id="error-next")
        yield KeyHints(id="error-keys")

    def show(self, gen_id: str | None, error: InspectorError, explanation: Explanation) -> None:
        """Show ``explanation`` of ``error`` (for ``gen_id``), from the application layer."""
        self.gen_id, self.error = gen_id, error
        self.explanation = explanation
        self.pane_title = explanation.title
        self.set_class(isinstance(error, LookupCancelled), "-cancelled")
        self._paint(explanation)
        self.refresh_bindings()

    def _paint(self, explanation: Explanation) -> None:
        mark = "■" if self.has_class("-cancelled") else "✕"
        self.query_one("#error-title", Static).update(Content(f"{mark} {explanation.title}"))
        self.query_one("#error-cause", Static).update(Content(explanation.cause))
        detail = self.query_one("#error-detail", Static)
        detail.update(Content(clean_multiline(explanation.detail or "")))
        detail.display = bool(explanation.detail)
        self.query_one("#error-next", Static).update(
            Content.assemble(("→ ", "bold $text-accent"), explanation.next_step)
        )
        self.query_one("#error-keys", KeyHints).show(self._hints(explanation))

    def _hints(self, explanation: Explanation) -> list[Hint]:
        hints: list[Hint] = []
        if self._key_helps(explanation):
            hints.append(Hint("app.api_key", "enter a key", "app.enter_key"))
        hints.append(Hint("app.retry", "try again", "app.retry_now"))
        hints.append(Hint("app.copy", "copy this message", "app.copy_error"))
        return hints

    def _key_helps(self, explanation: Explanation | None) -> bool:
        """A key is the way out (401, 403, 404) and one can be entered here (not in the
        demo, whose key is its own)."""
        return (
            explanation is not None
            and explanation.action == "enter_key"
            and bool(self.app.check_action("enter_key", ()))
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The key entry is offered only where it helps and works."""
        if action == "enter_key":
            return self._key_helps(self.explanation)
        return True

    async def action_enter_key(self) -> None:
        """``k``: the app's key prompt."""
        await self.run_action("app.enter_key")

    def error_text(self) -> str | None:
        """The explanation as plain text, with the id, for copying."""
        if self.explanation is None:
            return None
        text = self.explanation.as_text()
        return f"{text}\n\nGeneration id: {self.gen_id}" if self.gen_id else text
