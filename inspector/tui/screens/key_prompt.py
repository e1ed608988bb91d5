"""The key prompt: a masked field, checked against ``GET /key``, stored in the keyring.

Without a usable keyring it says so and offers to keep the key for this session only.
The key is never shown: the field is a password field and messages use the masked form.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
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
from inspector.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from inspector.infra.client import KeyInfo

WHERE_TO_GET = (
    "Create one at openrouter.ai/settings/keys. It is checked with OpenRouter, then kept in "
    "your OS keyring."
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
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, keystore: KeyStore, base_url: str, *, reason: str | None = None) -> None:
        super().__init__()
        self._keystore = keystore
        self._base_url = base_url
        self._reason = reason
        self._checked_key: str | None = None  # valid (or unverifiable) but not stored yet
        self._unverified: str | None = None  # could not be checked: Enter again saves it
        self._last_status = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("OpenRouter API key", id="key-title")
            if self._reason:
                yield Static(Text(self._reason), id="key-reason")
            yield Static(Text(WHERE_TO_GET), id="key-where")
            yield Input(placeholder="sk-or-v1-…", password=True, id="key-field")
            yield Static(id="key-status")
            with Horizontal(id="key-buttons"):
                yield Button("Check and save", id="save", variant="primary")
                yield Button("Use for this session only", id="session", classes="-hidden")
                yield Button("Cancel", id="cancel")
        yield KeyFooter(extra=[("enter", "⏎", "check and save")])

    def on_mount(self) -> None:
        self.query_one("#key-field", Input).focus()

    # -- events ---------------------------------------------------------------------------

    @on(Input.Submitted, "#key-field")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        try:
            key = normalize_key(self.query_one("#key-field", Input).value)
        except InvalidKeyText as error:
            self._status(f"That is not a key: {error}.", "error")
            return
        self._check_and_store(key)

    @on(Button.Pressed, "#session")
    def _session(self) -> None:
        if self._checked_key is None:
            return
        self._keystore.use_for_session(self._checked_key)
        self.dismiss(ResolvedKey(self._checked_key, "session"))

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
    async def _check_and_store(self, key: str) -> None:
        if key != self._unverified and not await self._check(key):
            return
        self._checked_key = key
        try:
            await asyncio.wait_for(
                asyncio.to_thread(self._keystore.store, key), self._keystore.timeout + 1
            )
        except (KeyringUnavailable, TimeoutError) as error:
            reason = error.reason if isinstance(error, KeyringUnavailable) else "no answer"
            self._offer_session(reason)
            return
        self.dismiss(ResolvedKey(key, "keyring"))

    async def _check(self, key: str) -> bool:
        """Ask ``GET /key``; True when the key may be stored."""
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
                f"Could not check the key ({detail}). Press Enter again to save it unchecked.",
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
