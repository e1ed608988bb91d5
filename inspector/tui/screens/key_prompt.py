"""The key prompt: a masked field, checked against ``GET /key``, stored in the keyring.

Without a usable keyring (known when the key was resolved at start) it says so up front
and offers the key for this session only first; the keyring stays a second choice (it may
have been locked a moment). With a keyring, a failed save offers the session key then.
The footer says what Enter does where the focus is (the field, or the button focused).
The key is never shown: the field is a password field and messages use the masked form.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from inspector.core import formatting
from inspector.core.textsafe import clean
from inspector.infra.keystore import (
    InvalidKeyText,
    KeyringUnavailable,
    KeyStore,
    ResolvedKey,
    check_key,
    mask_key,
    normalize_key,
)
from inspector.tui.keymap import bind
from inspector.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from inspector.infra.client import KeyInfo

WHERE_TO_GET = (
    "Create one at openrouter.ai/settings/keys. It is checked with OpenRouter, then kept in "
    "your OS keyring."
)
SESSION_ONLY = (
    "Create one at openrouter.ai/settings/keys. No usable keyring here ({problem}): the key "
    "is checked with OpenRouter and kept for this session only (in memory, gone when the "
    "app exits). OPENROUTER_API_KEY keeps one for every run."
)


def describe_key(info: KeyInfo) -> str:
    """``label "ci-bot" · $4.21 of $10 left`` (label and remaining credit, as plain text)."""
    label = f'label "{clean(info.label)}"' if info.label else "no label"
    if info.limit is None:
        credit = "no credit limit"
    else:
        credit = f"{formatting.money(info.limit_remaining)} of {formatting.money(info.limit)} left"
    return f"{label} · {credit}"


class KeyPromptScreen(ModalScreen[ResolvedKey | None]):
    """Dismisses with the key now in use (source "keyring" or "session"), or None."""

    CSS_PATH = "key_prompt.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [bind("app.cancel", "cancel", "cancel")]

    def __init__(
        self,
        keystore: KeyStore,
        base_url: str,
        *,
        reason: str | None = None,
        keyring_problem: str | None = None,
    ) -> None:
        """``keyring_problem``: why the keyring could not be read at start (None: it can)."""
        super().__init__()
        self._keystore = keystore
        self._base_url = base_url
        self._reason = reason
        self._no_keyring = (keyring_problem or "").removeprefix("keyring unavailable: ") or None
        self._checked_key: str | None = None  # valid (or unverifiable) but not stored yet
        self._unverified: str | None = None  # could not be checked: Enter again saves it
        self._last_status = ""

    @property
    def session_first(self) -> bool:
        """No usable keyring: Enter keeps the key for this session."""
        return self._no_keyring is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("OpenRouter API key", id="key-title")
            if self._reason:
                yield Static(Text(self._reason), id="key-reason")
            where = SESSION_ONLY.format(problem=self._no_keyring) if self.session_first else None
            yield Static(Text(where or WHERE_TO_GET), id="key-where")
            yield Input(placeholder="sk-or-v1-…", password=True, id="key-field")
            yield Static(id="key-status")
            with Horizontal(id="key-buttons"):
                if self.session_first:
                    yield Button(
                        "Check and use for this session", id="check-session", variant="primary"
                    )
                    yield Button("Try the keyring", id="save")
                else:
                    yield Button("Check and save", id="save", variant="primary")
                yield Button("Use for this session only", id="session", classes="-hidden")
                yield Button("Cancel", id="cancel")
        yield KeyFooter(extra=[self._enter_hint()])

    def on_mount(self) -> None:
        self.query_one("#key-field", Input).focus()

    # -- what Enter does --------------------------------------------------------------------

    def _enter_hint(self) -> tuple[str, str, str]:
        """``(key, shown, words)`` for the footer: Enter in the field, or on a button."""
        focused = self.focused
        if isinstance(focused, Button):
            words = str(focused.label).lower()
        elif self.session_first:
            words = "check and use for this session"
        else:
            words = "check and save"
        return ("enter", "⏎", words)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.query_one(KeyFooter).set_extra([self._enter_hint()])

    # -- events ---------------------------------------------------------------------------

    @on(Input.Submitted, "#key-field")
    def _enter(self) -> None:
        self._go(session=self.session_first)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self._go(session=False)

    @on(Button.Pressed, "#check-session")
    def _check_session(self) -> None:
        self._go(session=True)

    def _go(self, *, session: bool) -> None:
        try:
            key = normalize_key(self.query_one("#key-field", Input).value)
        except InvalidKeyText as error:
            self._status(f"That is not a key: {error}.", "error")
            return
        self._check_and_keep(key, session=session)

    @on(Button.Pressed, "#session")
    def _session(self) -> None:
        if self._checked_key is None:
            return
        self._use_for_session(self._checked_key)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "key-check")
        self.dismiss(None)

    @on(Input.Changed, "#key-field")
    def _edited(self) -> None:
        self._checked_key = None
        self.query_one("#session").set_class(True, "-hidden")

    # -- the work ---------------------------------------------------------------------------

    @work(exclusive=True, group="key-check", exit_on_error=False)
    async def _check_and_keep(self, key: str, *, session: bool) -> None:
        if key != self._unverified and not await self._check(key):
            return
        self._checked_key = key
        if session:
            self._use_for_session(key)
            return
        try:
            await asyncio.wait_for(
                asyncio.to_thread(self._keystore.store, key), self._keystore.timeout + 1
            )
        except (KeyringUnavailable, TimeoutError) as error:
            reason = error.reason if isinstance(error, KeyringUnavailable) else "no answer"
            self._offer_session(reason)
            return
        self.dismiss(ResolvedKey(key, "keyring"))

    def _use_for_session(self, key: str) -> None:
        self._keystore.use_for_session(key)
        self.dismiss(ResolvedKey(key, "session"))

    async def _check(self, key: str) -> bool:
        """Ask ``GET /key``; True when the key may be kept."""
        self._status(f"Checking {mask_key(key)} with OpenRouter…", "busy")
        check = await check_key(key, self._base_url)
        if check.verdict == "rejected":
            detail = check.error.summary if check.error else "401"
            self._status(f"OpenRouter rejected this key: {detail}", "error")
            return False
        if check.verdict == "error" or check.info is None:
            detail = check.error.summary if check.error else "no answer"
            self._unverified = key
            self._status(
                f"Could not check the key ({detail}). Press Enter again to keep it unchecked.",
                "warning",
            )
            return False
        self._status(f"Key accepted: {describe_key(check.info)}", "ok")
        return True

    def _offer_session(self, reason: str) -> None:
        self._status(
            f"{self._last_status} — but no usable keyring here ({reason}). "
            "Use the key for this session only? It will not be saved.",
            "warning",
        )
        button = self.query_one("#session", Button)
        button.set_class(False, "-hidden")
        button.focus()

    def _status(self, message: str, level: str) -> None:
        self._last_status = message
        status = self.query_one("#key-status", Static)
        status.update(Text(clean(message)))
        status.set_classes(f"-{level}")
