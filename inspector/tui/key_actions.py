"""The API key in the app: resolved once after the first frame, the key prompt, forgetting.

No lookup is sent before the key is resolved (the session makes every lookup wait for that
one resolution); ids typed or given on the command line before then wait here and go once
the key is known. With no key at all nothing is sent: the state is "no key" and the prompt
asks for one (never "rejected").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from inspector.core.errors import AuthError, InspectorError, MissingKeyError
from inspector.core.textsafe import clean
from inspector.infra import config
from inspector.tui.app_base import AppBase
from inspector.tui.messages import KeyResolved
from inspector.tui.widgets.key_status import KeyStatus

if TYPE_CHECKING:
    from inspector.infra.keystore import ResolvedKey

__all__ = ["ApiKeyActions"]


class ApiKeyActions(AppBase):
    """Resolving, entering and forgetting the key."""

    key_prompt_declined = False

    @work(exclusive=True, group="key", exit_on_error=False)
    async def resolve_key(self) -> None:
        self.post_message(KeyResolved(await self.session.resolve_key()))

    @on(KeyResolved)
    def _key_resolved(self, event: KeyResolved) -> None:
        self.show_key(event.resolved)
        if event.resolved.key is None and not self.demo:
            self.paint_hold.release()  # the prompt paints at once
            self.action_enter_key(reason=no_key_reason(event.resolved))
            return
        self.lookup_initial_ids()

    def show_key(self, resolved: ResolvedKey) -> None:
        self.query_one(KeyStatus).show_key(resolved)
        self.refresh_bindings()

    def lookup_initial_ids(self) -> None:
        if self.initial_ids is not None:
            text, self.initial_ids = self.initial_ids, None
            self.id_input.submit_text(text)

    def key_failed(self, error: InspectorError) -> None:
        """A lookup failed for want of a (valid) key: mark it, offer the prompt."""
        key = self.session.key
        if isinstance(error, AuthError) and key is not None:
            self.query_one(KeyStatus).show_rejected(key)

    def offer_key_prompt(self, error: InspectorError) -> None:
        wants_key = isinstance(error, AuthError | MissingKeyError)
        if wants_key and not (self.key_prompt_declined or self.demo):
            self.action_enter_key(reason=key_reason(error, self.session.key))

    def action_enter_key(self, reason: str | None = None) -> None:
        from inspector.tui.screens.key_prompt import KeyPromptScreen

        if isinstance(self.screen, KeyPromptScreen):
            return
        key = self.session.key
        problem = key.problem if key is not None else None
        self.push_screen(
            KeyPromptScreen(self.keystore, self.base_url, reason=reason, keyring_problem=problem),
            self._key_prompt_closed,
        )

    def _key_prompt_closed(self, resolved: ResolvedKey | None) -> None:
        if resolved is None:
            self.key_prompt_declined = True
        else:
            self.key_prompt_declined = False
            self.session.use_key(resolved)
            self.show_key(resolved)
            where = "this session only" if resolved.source == "session" else resolved.source
            self.notify(f"Using the key {resolved.masked} ({where})", timeout=4, markup=False)
            state = self.state
            if state.phase == "error" and state.parsed and self.initial_ids is None:
                self.lookup(state.parsed)
        self.lookup_initial_ids()

    def action_forget_key(self) -> None:
        from inspector.tui.screens.confirm import ConfirmScreen

        key = self.session.key
        if key is not None and key.source == "session":
            words = "The key of this session is forgotten (it was never saved)."
        else:
            words = "The key is removed from the keyring (and from this session)."
        self.push_screen(
            ConfirmScreen(
                "Forget the API key?",
                f"{words} {config.ENV_API_KEY}, if set, still applies.",
                confirm_label="Forget",
            ),
            self._forget_if_confirmed,
        )

    def _forget_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self._forget_key()

    @work(thread=True, exclusive=True, group="key", exit_on_error=False)
    def _forget_key(self) -> None:
        from inspector.infra.keystore import KeyringUnavailable

        keystore = self.keystore
        key = self.session.key
        had_session_key = key is not None and key.source == "session"
        keystore.forget_session_key()
        if had_session_key:
            note = "Forgot the key of this session"
        else:
            try:
                deleted = keystore.delete()
                note = "Removed the key from the keyring" if deleted else "No key in the keyring"
            except KeyringUnavailable as error:
                note = f"Keyring unavailable: {error.reason}"
        self.notify(clean(note), timeout=5, markup=False)
        resolved = keystore.resolve()
        self.call_from_thread(self.session.use_key, resolved)
        self.post_message(KeyResolved(resolved))


def key_reason(error: InspectorError, resolved: ResolvedKey | None) -> str:
    """Why the prompt opens after a lookup failed for want of a key. Without one, the
    same words as when the resolution found none (:func:`no_key_reason`): a lookup sent
    as the key resolved can fail before the resolution's own prompt opens."""
    if isinstance(error, MissingKeyError):
        if resolved is not None:
            return no_key_reason(resolved)
        return "No API key is set. Enter one to look generations up."
    return "OpenRouter did not accept the key. Enter another one."


def no_key_reason(resolved: ResolvedKey) -> str:
    if resolved.problem:
        problem = resolved.problem.removeprefix("keyring unavailable: ")
        where = f"No key in {config.ENV_API_KEY}, and the keyring cannot be used here ({problem})."
    else:
        where = f"No key in {config.ENV_API_KEY} or the keyring."
    return f"{where} Enter your OpenRouter API key to look generations up."
