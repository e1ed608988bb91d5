"""How typing and pasting reach the id field from anywhere on the main screen.

The rules (the help screen says the same):

* **A paste** (bracketed) anywhere on the main screen, outside the history filter and the
  dialogs, goes to the id field and is looked up at once when it holds an id.
* **A printable key that is not a command here** starts the id field with that character;
  the rest of what is typed follows it there, so the letters of an id never run commands.
* **``gen-``**: ``g`` is "first" in a list, and every id starts with it. A ``g`` is held
  back for a moment: ``e`` next makes it the start of an id; anything else (or nothing for
  :data:`HOLD` seconds) lets it act. A ``g`` that acted and is followed by ``e`` is undone
  (the list goes back where it was) and the id field gets ``ge``.

This runs where the app receives a key from the terminal, before the key is handed to the
focused widget: afterwards the next keys would already be on their way to that widget
(events bubble through queues), and an ``r`` in the id would refresh the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import Widget

    from inspector.tui.widgets.id_input import IdInput

__all__ = ["HOLD", "Restorable", "TypeAhead"]

HOLD = 0.25  # seconds a "g" waits for an "e"
ID_START = "ge"  # every generation id starts with "gen-"


@runtime_checkable
class Restorable(Protocol):
    """A widget whose ``g`` (first) can be undone."""

    def jump_state(self) -> object: ...

    def restore_jump(self, state: object) -> None: ...


class TypeAhead:
    """The app's key and paste filter for the main screen (see the module's rules)."""

    def __init__(self, app: App[Any], id_input: IdInput) -> None:
        self.app = app
        self.id_input = id_input
        self._held: events.Key | None = None
        self._timer: Timer | None = None
        self._released: events.Key | None = None  # a held key, let through on its way back
        self._acted: tuple[Widget, object] | None = None  # a "g" that acted, and where from

    # ---- entry points (from App.on_event) --------------------------------------------

    async def key(self, event: events.Key) -> bool:
        """True when ``event`` was taken here (the focused widget must not see it)."""
        if event is self._released:
            self._released = None
            return False
        acted, self._acted = self._acted, None
        if not self._watching():
            await self._release()
            return False
        if self._held is not None:
            if event.character == ID_START[1]:
                self._drop_held()
                self._start(ID_START)
                return True
            await self._release()
            self._acted = None  # the key after the "g" is this one, not an "e"
        elif acted is not None and event.character == ID_START[1] and not self._bound(event):
            widget, state = acted
            if widget.is_attached and isinstance(widget, Restorable):
                widget.restore_jump(state)
            self._start(ID_START)
            return True
        character = event.character
        if character == ID_START[0] and self._bound(event):
            self._held = event
            self._timer = self.app.set_timer(HOLD, self._timeout)
            return True
        typed = character is not None and character.isprintable() and not character.isspace()
        if typed and character is not None and not self._bound(event):
            self._start(character)
            return True
        return False

    async def paste(self, event: events.Paste) -> bool:
        """True when the paste went to the id field (and was looked up if it held ids)."""
        await self._release()
        if not self._on_main_screen():
            return False
        focused = self.app.focused
        if isinstance(focused, Input) and focused is not self.id_input.field:
            return False  # the history filter: text for it
        if self.id_input.take_paste(event.text):
            return True
        if focused is self.id_input.field:
            return False  # no id in it: the field inserts it as typed text
        self._start(" ".join(event.text.split())[:200])
        return True

    # ---- where we are ------------------------------------------------------------------

    def _on_main_screen(self) -> bool:
        app = self.app
        return len(app.screen_stack) == 1 and self.id_input.is_attached

    def _watching(self) -> bool:
        """Keys are filtered on the main screen while no text field has the focus."""
        return self._on_main_screen() and not isinstance(self.app.focused, Input)

    def _bound(self, event: events.Key) -> bool:
        """A key that runs a command here now."""
        active = self.app.screen.active_bindings.get(event.key)
        return active is not None and active.enabled

    # ---- acting ------------------------------------------------------------------------

    def _start(self, text: str) -> None:
        self.id_input.start_typing(text)

    def _drop_held(self) -> None:
        self._held = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def _release(self) -> None:
        """Let a held ``g`` act now (before the key that follows it)."""
        held = self._held
        if held is None:
            return
        self._drop_held()
        self._remember(self.app.focused)
        await App.on_event(self.app, held)

    def _timeout(self) -> None:
        """Nothing followed the ``g``: it acts (re-sent through the app, let through)."""
        held = self._held
        if held is None:
            return
        self._drop_held()
        self._remember(self.app.focused)
        self._released = events.Key(held.key, held.character)
        self.app.post_message(self._released)

    def _remember(self, widget: Widget | None) -> None:
        """Where ``widget`` is before a ``g`` acts on it, so an ``e`` can undo it."""
        if widget is not None and isinstance(widget, Restorable):
            self._acted = (widget, widget.jump_state())
