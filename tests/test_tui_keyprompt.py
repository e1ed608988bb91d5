"""The key prompt: opens without a key or after a 401, checks with GET /key, stores, masks."""

from __future__ import annotations

from pathlib import Path

from keyring.backends import null
from textual.widgets import Button, Input
from tui_shell_support import MemoryKeyring, look_up, make_app, screen_text, settle, started, until

from inspector.core.errors import AuthError, MissingKeyError
from inspector.infra.config import KEYRING_SERVICE, KEYRING_USERNAME
from inspector.infra.keystore import ResolvedKey
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.key_actions import key_reason, no_key_reason
from inspector.tui.screens.confirm import ConfirmScreen
from inspector.tui.screens.key_prompt import KeyPromptScreen


class RefusingKeyring(MemoryKeyring):
    """A keyring that reads (nothing stored) but refuses to store."""

    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import PasswordSetError

        raise PasswordSetError("the collection is read-only")


WRONG_KEY = "sk-or-v1-not-the-right-key-for-this-server-0000"


async def type_key(pilot: object, key: str) -> None:
    screen = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, KeyPromptScreen)
    screen.query_one("#key-field", Input).value = key
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_no_key_at_start_opens_the_prompt_and_the_key_is_stored(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    keyring = MemoryKeyring()
    app = make_app(fake_server, data_dir, env={}, backend=keyring)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, KeyPromptScreen)
        assert "No key in OPENROUTER_API_KEY or the keyring" in screen_text(app)
        await type_key(pilot, TEST_KEY)
        assert not isinstance(app.screen, KeyPromptScreen)
        assert keyring.passwords[(KEYRING_SERVICE, KEYRING_USERNAME)] == TEST_KEY
        assert app.resolved_key is not None and app.resolved_key.source == "keyring"
        assert "keyring ✓" in screen_text(app)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert app.phase == "record"


async def test_a_401_opens_the_prompt_and_a_good_key_retries(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=WRONG_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert isinstance(app.screen, KeyPromptScreen)
        assert "did not accept the key" in screen_text(app)
        await type_key(pilot, TEST_KEY)
        await settle(pilot)
        assert app.phase == "record"
        current = app.detail.current
        assert current is not None and current[0].id == catalog.CHAT_ID


async def test_a_rejected_key_keeps_the_prompt_open(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    keyring = MemoryKeyring()
    app = make_app(fake_server, data_dir, env={}, backend=keyring)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_key(pilot, WRONG_KEY)
        assert isinstance(app.screen, KeyPromptScreen)
        assert "rejected this key" in screen_text(app)
        assert keyring.passwords == {}
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, KeyPromptScreen)
        assert "key: none" in screen_text(app)


async def test_the_key_is_never_shown_unmasked(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, env={})
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, KeyPromptScreen)
        field = screen.query_one("#key-field", Input)
        assert field.password
        field.value = TEST_KEY
        await pilot.pause()
        assert TEST_KEY not in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert TEST_KEY not in screen_text(app)
        assert "sk-or-v1-…a1b2" in screen_text(app)


async def test_without_a_usable_keyring_the_prompt_says_so_and_offers_the_session_first(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, env={}, backend=null.Keyring())
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, KeyPromptScreen) and screen.session_first
        text = screen_text(app)
        # Said before anything was typed: no keyring, this session only.
        assert "No usable keyring here" in text and "for this session only" in text
        assert "then kept in your OS keyring" not in text
        buttons = [str(b.label) for b in screen.query(Button) if b.display]
        assert buttons[0] == "Check and use for this session", buttons
        footer = text.splitlines()[-1]
        assert "⏎ check and use for this session" in footer, footer
        await type_key(pilot, TEST_KEY)  # Enter in the field: checked, kept for the session
        assert not isinstance(app.screen, KeyPromptScreen)
        assert app.resolved_key is not None and app.resolved_key.source == "session"
        assert app.keystore.resolve().source == "session"
        assert fake_server.requests[-1].path.endswith("/key")
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert app.phase == "record"


async def test_a_keyring_that_fails_to_save_offers_the_session_and_the_footer_follows(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, env={}, backend=RefusingKeyring())
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, KeyPromptScreen) and not screen.session_first
        await type_key(pilot, TEST_KEY)
        text = screen_text(app)
        assert "no usable keyring" in text and "this session only" in text
        button = screen.query_one("#session", Button)
        assert button.display and app.focused is button
        footer = text.splitlines()[-1]
        assert "⏎ use for this session only" in footer, footer  # what Enter presses now
        assert "check and save" not in footer, footer
        await pilot.press("enter")
        await settle(pilot)
        assert app.resolved_key is not None and app.resolved_key.source == "session"


async def test_forget_with_a_session_key_confirms_it(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, env={}, backend=null.Keyring())
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_key(pilot, TEST_KEY)
        assert app.resolved_key is not None and app.resolved_key.source == "session"
        await app.run_action("forget_key")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "key of this session" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: app.resolved_key is not None and app.resolved_key.key is None)
        messages = [n.message for n in app._notifications]
        assert "Forgot the key of this session" in messages, messages
        assert not any("unavailable" in m for m in messages), messages


async def test_shift_k_opens_the_prompt_and_forget_removes_the_stored_key(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    keyring = MemoryKeyring()
    keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, TEST_KEY)
    app = make_app(fake_server, data_dir, env={}, backend=keyring)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.resolved_key is not None and app.resolved_key.source == "keyring"
        app.set_focus(None)
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, KeyPromptScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.check_action("forget_key", ()) is True
        await app.run_action("forget_key")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: app.resolved_key is not None and app.resolved_key.key is None)
        assert keyring.passwords == {}
        assert "key: none" in screen_text(app)


async def test_the_footer_shows_the_prompts_own_keys(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, env={}, backend=MemoryKeyring())
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, KeyPromptScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "⏎ check and save" in footer, footer
        assert "esc cancel" in footer, footer
        for main_screen_key in ("look up", "history", "copy"):
            assert main_screen_key not in footer, footer


def test_a_lookup_without_a_key_opens_the_prompt_with_the_resolutions_words() -> None:
    # An id sent as the key resolves can fail (no key) before the resolution's own prompt
    # opens: whichever opens it, the prompt says the same (the tmux race test reads it).
    for resolved in (
        ResolvedKey(None, "none"),
        ResolvedKey(None, "none", problem="keyring unavailable: no backend"),
    ):
        words = key_reason(MissingKeyError(), resolved)
        assert words == no_key_reason(resolved) and "No key in OPENROUTER_API_KEY" in words
    assert "No API key is set" in key_reason(MissingKeyError(), None)
    assert "did not accept" in key_reason(AuthError("401"), ResolvedKey(TEST_KEY, "environment"))
