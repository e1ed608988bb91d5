"""The id input at the top: type or paste, Enter looks up; explains text that holds no id.

A paste that holds ids is looked up at once (wherever it was pasted on the main screen:
:mod:`inspector.tui.typeahead` brings it here). The hint under the field is about the text
it was said for: editing the text takes it away, and opening a history entry puts that
entry's id in the field (:meth:`IdInput.show_id`), so the field never shows an id other
than the one Enter would look up.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from inspector.core.errors import MalformedIdError
from inspector.core.ids import Extracted, ParsedId, extract_ids, parse_id
from inspector.core.textsafe import clean
from inspector.tui.keymap import bind
from inspector.tui.widgets.stylesheet import tcss_beside

PLACEHOLDER = "paste a generation id, a URL or a log line — Enter looks it up"


class IdField(Input):
    """The text field itself: pasted text is mined for ids instead of cut at its first line."""

    BINDINGS: ClassVar[list[BindingType]] = [bind("field.submit", "submit", "look up")]

    keep_cursor = False
    """Set when typing began elsewhere: the next focus keeps the cursor after the text
    instead of selecting it all (the keys already on their way must add to it)."""

    def _on_focus(self, event: events.Focus) -> None:
        if not self.keep_cursor:
            return  # Input's handler runs next (selects all on focus)
        self.keep_cursor = False
        event.prevent_default()  # instead of Input's: the same, without the selection
        select, self.select_on_focus = self.select_on_focus, False
        try:
            super()._on_focus(event)
        finally:
            self.select_on_focus = select

    def _on_paste(self, event: events.Paste) -> None:
        owner = self.parent.parent if self.parent is not None else None
        if isinstance(owner, IdInput) and owner.take_paste(event.text):
            event.prevent_default()
            event.stop()
        # else: no id in it; Input's own handler inserts the first line


class IdInput(Vertical):
    """``id ▸ [field]`` with a one-line explanation under it when there is something to say."""

    DEFAULT_CSS = tcss_beside(__file__)

    class LookupRequested(Message):
        """The person asked to look these ids up (the first one is shown). Posted to the
        app itself, not bubbled up through the screen: between those hops the screen
        repaints the field and its hint (20–30 ms the first time), and the request would
        leave after that paint instead of before it."""

        def __init__(self, ids: list[ParsedId]) -> None:
            super().__init__()
            self.ids = ids

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hint_text: str | None = None  # the field's text the hint was said about

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
        self._set_text(text)
        return self._submit(text)

    def take_paste(self, text: str) -> bool:
        """A paste: when it holds ids, they replace the field's text and are looked up at
        once (True); otherwise nothing happens here (False)."""
        found = extract_ids(text)
        if not found.ids:
            return False
        self._set_text(" ".join(parsed.id for parsed in found.ids))
        self.say(mined_words(found), "info")
        self.app.post_message(self.LookupRequested(found.ids))
        return True

    def start_typing(self, text: str) -> None:
        """The first characters of an id typed elsewhere: they replace the field's text,
        and the field takes the focus now, so the keys that follow land here."""
        self._set_text(text)
        self.say(None)
        field = self.field
        field.keep_cursor = True
        self.screen.set_focus(field)

    def show_id(self, gen_id: str) -> None:
        """The record shown is ``gen_id`` (opened from history): the field says so."""
        self._set_text(gen_id)
        self.say(None)

    def _set_text(self, text: str) -> None:
        field = self.field
        field.value = text
        field.cursor_position = len(text)

    @on(Input.Submitted, "#id-field")
    def _on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    @on(Input.Changed, "#id-field")
    def _on_changed(self, event: Input.Changed) -> None:
        if event.value != self._hint_text:
            self.say(None)  # the hint was about other text

    def _submit(self, text: str) -> list[ParsedId]:
        ids, problem = read_ids(text)
        if problem is not None:
            self.say(problem, "error")
            return []
        self.say(describe(ids), "warning" if any(p.warning for p in ids) else "info")
        self.app.post_message(self.LookupRequested(ids))
        return ids

    def say(self, message: str | None, level: str = "info") -> None:
        """Show ``message`` under the field (None hides the line); it stays while the text
        stays as it is now."""
        self._hint_text = self.field.value if message else None
        hint = self.query_one("#id-hint", Static)
        if message is None and hint.has_class("-empty"):
            return  # already hidden: an update would lay the screen out again for nothing
        hint.set_classes(f"-{level}" if message else "-empty")
        hint.update(Text(clean(message)) if message else "")


def mined_words(found: Extracted) -> str:
    """What the hint says about a paste that held ids."""
    count = len(found.ids)
    if count > 1:
        message = f"{count} ids found — looking them all up in the batch view"
    else:
        message = "id found in the pasted text — looking it up"
    skipped = len(found.request_ids)
    if skipped:
        message += f"; {skipped} request id{'s' if skipped > 1 else ''} (req-…) left out"
    return message


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
        parts.append(f"Looking up {len(ids)} ids in the batch view.")
    if odd:
        parts.append(f"⚠ {odd[0].id}: {odd[0].warning} — looking it up anyway.")
    return " ".join(parts) or None
