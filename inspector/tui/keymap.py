"""The keymap: one id per binding, the keys it has by default, and the config file's remaps.

The design, in one paragraph (the help screen and the README say the same):

* **Movement is lazygit/k9s/vim**: ``j``/``k`` or ↓/↑, ``h``/``l`` or ←/→, ``g``/``G`` or
  Home/End, PgUp/PgDn, ``[``/``]`` between sections: in the record, the history list, the
  raw JSON and the help.
* **Commands are single letters that never start an id**: ``c`` copy what is under the
  cursor, ``y`` copy the id, ``C`` copy the JSON, ``m`` copy a summary, ``v`` raw JSON,
  ``r`` retry/refresh, ``H`` history, ``/`` filter, ``K`` API key, ``?`` help, ``q`` quit
  (or close a dialog).
* **Typing reaches the id field**: a printable key that is not a command here starts the id
  field with that character, and ``gen-…`` always does (a ``g`` followed by ``e`` is the
  start of an id, not "first field"); a paste anywhere on the main screen is looked up at
  once. ``i`` goes to the id field. See :mod:`inspector.tui.typeahead`.

Every binding has an ``id`` listed in :data:`BINDING_IDS`; ``[keymap]`` in the config file
(:mod:`inspector.app.user_config`) maps ids to other keys, applied with
:meth:`textual.app.App.set_keymap`, as posting does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["BINDING_IDS", "KEYS", "apply_keymap", "bind", "key_display", "keys_of", "list_bindings"]

# id -> (default keys, what they do): the one table of keys. Bindings are made from it
# (bind()); the help screen, the hints drawn in the states and the README's key table say
# what it says.
KEYS: dict[str, tuple[str, str]] = {
    "app.cancel": ("escape", "cancel the lookup; leave the id field"),
    "app.copy": ("c", "copy what is under the cursor: a field, the raw JSON, an error"),
    "app.copy_id": ("y", "copy the generation id"),
    "app.copy_json": ("C", "copy the whole record as JSON"),
    "app.copy_summary": ("m", "copy a Markdown summary (personal data masked)"),
    "app.raw_json": ("v", "raw JSON view on / off"),
    "app.retry": ("r", "retry now / try again / fetch the record again"),
    "app.history": ("H,f2", "show / hide the history sidebar"),
    "app.filter": ("slash", "filter the history"),
    "app.id_field": ("i", "go to the id field"),
    "app.api_key": ("K", "enter another API key"),
    "app.help": ("question_mark,f1", "help"),
    "app.quit": ("q", "quit (in a dialog: close it)"),
    "app.quit_now": ("ctrl+q", "quit, from anywhere"),
    "field.down": ("down", "from a text field down into its list"),
    "field.submit": ("enter", "look up what the id field holds"),
    "list.down": ("down,j", "down"),
    "list.up": ("up,k", "up"),
    "list.left": ("left,h", "left (in a record: past a row's start, the row before)"),
    "list.right": ("right,l", "right (in a record: past a row's end, the next row)"),
    "list.page_down": ("pagedown", "a screenful down"),
    "list.page_up": ("pageup", "a screenful up"),
    "list.first": ("home,g", "first (in a record: its very first field)"),
    "list.last": ("end,G", "last (in a record: its very last field)"),
    "list.next_section": ("right_square_bracket", "next section of a record"),
    "list.previous_section": ("left_square_bracket", "previous section of a record"),
    "list.open": ("enter", "open / look up"),
    "history.delete": ("d,delete", "delete the highlighted history entry (asks first)"),
    "history.clear": ("D", "clear the whole history (asks first)"),
    "history.back": ("escape", "from the filter to the list; close the overlay"),
    "dialog.close": ("escape,q", "close the dialog"),
    "dialog.yes": ("y", "answer yes"),
    "dialog.no": ("n,escape,q", "answer no"),
    # The batch view (inspector.tui.screens.batch) and the way back to it.
    "batch.stop": ("escape", "stop the lookups (what finished is kept); once done, close"),
    "batch.interrupt": ("ctrl+c", "stop the lookups (what finished is kept)"),
    "batch.close": ("q", "stop the lookups and close the batch view"),
    "batch.filter": ("slash", "filter the rows by id, status, model or provider"),
    "batch.filter_back": ("escape", "clear the filter, back to the rows"),
    "batch.sort": ("s", "sort by the next column (then input order again)"),
    "batch.reverse": ("S", "reverse the order"),
    "batch.retry": ("r", "look up again the ids that failed or never finished"),
    "batch.back": ("escape", "from a record opened in the batch view back to its table"),
}
BINDING_IDS = {binding_id: words for binding_id, (_, words) in KEYS.items()}


def bind(binding_id: str, action: str, description: str = "", **options: Any) -> Binding:
    """A binding with ``binding_id``'s default keys (from :data:`KEYS`)."""
    return Binding(KEYS[binding_id][0], action, description, id=binding_id, **options)


def list_bindings(actions: Mapping[str, str]) -> list[Binding]:
    """The movement bindings of a list: ``actions`` maps a ``list.*`` id to the list's
    action (``{"list.down": "move(1)", …}``); ids it leaves out are not bound."""
    return [
        bind(binding_id, action, KEYS[binding_id][1], show=False)
        for binding_id, action in actions.items()
    ]


def apply_keymap(app: App[Any], keymap: Mapping[str, str]) -> list[str]:
    """Use ``keymap`` (binding id -> keys) from now on; returns one line per entry left
    out (an id that names no binding)."""
    known = {k: v for k, v in keymap.items() if k in BINDING_IDS}
    problems = [
        f"keymap: no binding has the id {binding_id!r}; left out (see the help screen)"
        for binding_id in keymap
        if binding_id not in BINDING_IDS
    ]
    if known:
        app.set_keymap(dict(known))
    return problems


def keys_of(app: App[Any], binding: Binding) -> list[str]:
    """The keys ``binding`` answers to now (the keymap's, or its own)."""
    remapped = app._keymap.get(binding.id) if binding.id else None
    return [key.strip() for key in (remapped or binding.key).split(",") if key.strip()]


def key_display(app: App[Any], binding_id: str, *, in_text_field: bool = False) -> str:
    """How the first key of ``binding_id`` is shown now (``c``, ``esc``, ``?``), for hints
    drawn outside the footer (a state's own key line, the hint under a record).
    ``in_text_field``: the first key that works while a text field has the focus (not a
    printable one: the field would type it), e.g. ``f1`` rather than ``?``."""
    keys = [key.strip() for key in (app._keymap.get(binding_id) or KEYS[binding_id][0]).split(",")]
    if in_text_field:
        keys = [key for key in keys if not _printable(key)] or keys
    return app.get_key_display(Binding(keys[0], "", id=binding_id))


def _printable(key: str) -> bool:
    """True for a key that types a character (``q``, ``question_mark``, ``slash``)."""
    from textual.keys import key_to_character

    if len(key) == 1 or key == "slash":
        return True
    character = key_to_character(key)
    return character is not None and character.isprintable()
