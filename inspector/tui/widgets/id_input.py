"""The id input at the top: type or paste, Enter looks up; explains text that holds no id."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from inspector.core.errors import MalformedIdError
from inspector.core.ids import Extracted, ParsedId, extract_ids, parse_id
from inspector.core.textsafe import clean
from inspector.tui.widgets.stylesheet import tcss_beside

PLACEHOLDER = "paste a generation id, a URL or a log line — Enter looks it up"


class IdField(Input):
    """The text field itself: pasted text is mined for ids instead of cut at its first line."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit", "look up")]

    def _on_paste(self, event: events.Paste) -> None:
        found = extract_ids(event.text)
        if not found.ids:
            return  # Input's own handler inserts the first line
        event.prevent_default()
        event.stop()
        self.value = " ".join(parsed.id for parsed in found.ids)
        self.cursor_position = len(self.value)
        self.post_message(IdInput.Mined(found))


class IdInput(Vertical):
    """``id ▸ [field]`` with a one-line explanation under it when there is something to say."""

    DEFAULT_CSS = tcss_beside(__file__)

    class LookupRequested(Message):
        """The person asked to look these ids up (the first one is shown)."""

        def __init__(self, ids: list[ParsedId]) -> None:
            super().__init__()
            self.ids = ids

    class Mined(Message):
        """Pasted text held ids; the field now shows them."""

        def __init__(self, found: Extracted) -> None:
            super().__init__()
            self.found = found

    def compose(self) -> ComposeResult:
        with Horizontal(id="id-row"):
            yield Static("id ▸", id="id-label")
            yield IdField(placeholder=PLACEHOLDER, id="id-field", compact=True)
        yield Static(id="id-hint", classes="-empty")

    @property
    def field(self) -> IdField:
        return self.query_one(IdField)

    def focus_field(self) -> None:
        self.field.focus()

    def submit_text(self, text: str) -> list[ParsedId]:
        """Look ``text`` up as if typed and Enter pressed; returns the ids found."""
        self.field.value = text
        return self._submit(text)

    @on(Input.Submitted, "#id-field")
    def _on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    @on(Mined)
    def _on_mined(self, event: Mined) -> None:
        count = len(event.found.ids)
        if count > 1:
            message = f"{count} ids found — Enter looks them all up (the first is shown)"
        else:
            message = "id found in the pasted text — Enter looks it up"
        skipped = len(event.found.request_ids)
        if skipped:
            message += f"; {skipped} request id{'s' if skipped > 1 else ''} (req-…) left out"
        self.say(message, "info")

    @on(Input.Changed, "#id-field")
    def _on_changed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self.say(None)

    def _submit(self, text: str) -> list[ParsedId]:
        ids, problem = read_ids(text)
        if problem is not None:
            self.say(problem, "error")
            return []
        self.say(describe(ids), "warning" if any(p.warning for p in ids) else "info")
        self.post_message(self.LookupRequested(ids))
        return ids

    def say(self, message: str | None, level: str = "info") -> None:
        """Show ``message`` under the field (None hides the line)."""
        hint = self.query_one("#id-hint", Static)
        if message is None and hint.has_class("-empty"):
            return  # already hidden: an update would lay the screen out again for nothing
        hint.set_classes(f"-{level}" if message else "-empty")
        hint.update(Text(clean(message)) if message else "")


def read_ids(text: str) -> tuple[list[ParsedId], str | None]:
    """The ids in ``text``, or an explanation of why there are none (nothing is sent)."""
    if not text.strip():
        return [], "Type or paste a generation id (gen-<unix time>-<20 letters and digits>)."
    found = extract_ids(text)
    if found.ids:
        return found.ids, None
    try:
        return [parse_id(text)], None
    except MalformedIdError as error:
        return [], error.summary


def describe(ids: list[ParsedId]) -> str | None:
    """What the hint line says about a lookup that goes ahead."""
    odd = [p for p in ids if p.warning]
    parts: list[str] = []
    if len(ids) > 1:
        parts.append(f"Looking up {len(ids)} ids: the first is shown, all go to history.")
    if odd:
        parts.append(f"⚠ {odd[0].id}: {odd[0].warning} — looking it up anyway.")
    return " ".join(parts) or None
