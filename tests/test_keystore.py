"""KeyStore with in-memory keyring backends: resolution order, every failure path, masking."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

import keyring
import keyring.core
import pytest
from jeepney import DBusAddress, new_error, new_method_call
from jeepney.wrappers import DBusErrorResponse
from keyring import errors as kerr
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from secretstorage.exceptions import LockedException

from inspector.core.errors import AuthError, ConfigError, NetworkError
from inspector.infra import config
from inspector.infra.keystore import (
    InvalidKeyText,
    KeyringUnavailable,
    KeyStore,
    ResolvedKey,
    check_key,
    mask_key,
    normalize_key,
)
from inspector.testserver import FakeOpenRouter

FAKE_KEY = "sk-or-v1-fake-test-key-do-not-use-a1b2"  # == inspector.testserver.TEST_KEY
OTHER_KEY = "sk-or-v1-another-fake-key-zz99"
SERVICE, USER = config.KEYRING_SERVICE, config.KEYRING_USERNAME


class MemoryKeyring(KeyringBackend):
    """A working keyring that keeps entries in a dict and counts calls."""

    priority = -100  # never chosen by keyring's auto-detection

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        if (service, username) not in self.entries:
            raise kerr.PasswordDeleteError("not found")
        del self.entries[(service, username)]


class FailingKeyring(KeyringBackend):
    """A keyring whose every call raises the exception ``make(password)`` returns."""

    priority = -100

    def __init__(self, make: Callable[[str | None], BaseException]) -> None:
        super().__init__()
        self.make = make

    def get_password(self, service: str, username: str) -> str | None:
        raise self.make(None)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.make(password)

    def delete_password(self, service: str, username: str) -> None:
        raise self.make(None)


class HangingKeyring(KeyringBackend):
    """A keyring stuck in an unlock prompt until ``release`` is set."""

    priority = -100

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.value: str | None = FAKE_KEY

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return self.value

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(30)


def _dbus_error() -> DBusErrorResponse:
    """A real jeepney D-Bus error, as raised when no Secret Service is on the bus."""
    address = DBusAddress(
        "/org/freedesktop/secrets",
        bus_name="org.freedesktop.secrets",
        interface="org.freedesktop.Secret.Service",
    )
    call = new_method_call(address, "OpenSession", "sv", ("plain", ("s", "")))
    call.header.serial = 1
    reply = new_error(
        call, "org.freedesktop.DBus.Error.ServiceUnknown", "s", ("secrets not provided",)
    )
    return DBusErrorResponse(reply)


@pytest.fixture
def use_keyring() -> Iterator[Callable[[KeyringBackend], KeyringBackend]]:
    """Install a backend process-wide with ``keyring.set_keyring``; restore afterwards."""
    previous = keyring.core._keyring_backend

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.core._keyring_backend = previous


@pytest.fixture
def memory(use_keyring: Callable[[KeyringBackend], KeyringBackend]) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend


@pytest.fixture
def hanging(use_keyring: Callable[[KeyringBackend], KeyringBackend]) -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    use_keyring(backend)
    yield backend
    backend.release.set()  # lets the stuck daemon thread finish


def _store(env: dict[str, str] | None = None, timeout: float = 2.0) -> KeyStore:
    return KeyStore(env={} if env is None else env, timeout=timeout)


# -- masking and key text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        (FAKE_KEY, "sk-or-v1-…a1b2"),
        (OTHER_KEY, "sk-or-v1-…zz99"),
        ("sk-or-abcdefghijkl1234", "sk-or-…1234"),
        ("custom-token-abcdefgh9876", "…9876"),
        ("sk-or-v1-short1234", "••••"),  # would hide fewer than 8 characters
        ("abcd", "••••"),
        ("abcdefghijklmnop-_!~", "••••"),  # odd tail
        ("abcdefghijklmnop\x1b[2J", "••••"),
        (None, "(none)"),
        ("", "(none)"),
    ],
)
def test_mask_key(key: str | None, masked: str) -> None:
    assert mask_key(key) == masked


def test_masked_form_never_contains_the_key() -> None:
    assert FAKE_KEY not in mask_key(FAKE_KEY)
    assert len(mask_key(FAKE_KEY)) < len(FAKE_KEY) // 2


@pytest.mark.parametrize(
    "text",
    [FAKE_KEY, f"  {FAKE_KEY}\n", f'"{FAKE_KEY}"', f"Bearer {FAKE_KEY}", f"'{FAKE_KEY}'\r\n"],
)
def test_normalize_key_strips_wrapping(text: str) -> None:
    assert normalize_key(text) == FAKE_KEY


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no key"),
        ("  \n", "no key"),
        ("sk-or-v1-two words-a1b2", "spaces"),
        ("sk-or-v1-line\nbreak-a1b2", "spaces"),
        ("sk-or-v1-\x1b[31mred-a1b2", "control"),
        ("sk-or-v1-ключ-a1b2", "non-ASCII"),
    ],
)
def test_normalize_key_refuses_non_keys_without_echoing(text: str, why: str) -> None:
    with pytest.raises(InvalidKeyText) as caught:
        normalize_key(text)
    assert why in str(caught.value)
    if text.strip():
        assert text.strip() not in str(caught.value)


def test_resolved_key_repr_and_str_mask_the_key() -> None:
    resolved = ResolvedKey(FAKE_KEY, "keyring")
    for text in (repr(resolved), str(resolved), f"{resolved}", f"{resolved!r}"):
        assert FAKE_KEY not in text
        assert "sk-or-v1-…a1b2" in text
    assert resolved.masked == "sk-or-v1-…a1b2"


def test_keyring_unavailable_message() -> None:
    exc = KeyringUnavailable("no backend (x)")
    assert str(exc) == "keyring unavailable: no backend (x)"
    assert exc.reason == "no backend (x)"


def test_keystore_repr_hides_session_key() -> None:
    store = _store()
    store.use_for_session(FAKE_KEY)
    assert FAKE_KEY not in repr(store)


# -- resolution order -------------------------------------------------------------------------


def test_environment_wins_and_keyring_is_not_touched(memory: MemoryKeyring) -> None:
    memory.entries[(SERVICE, USER)] = OTHER_KEY
    store = _store({"OPENROUTER_API_KEY": FAKE_KEY})
    store.use_for_session("sk-or-v1-session-key-only-q7q7")
    resolved = store.resolve()
    assert (resolved.key, resolved.source, resolved.problem) == (FAKE_KEY, "environment", None)
    assert memory.calls == []


def test_environment_value_is_stripped(memory: MemoryKeyring) -> None:
    assert _store({"OPENROUTER_API_KEY": f"  {FAKE_KEY}\n"}).resolve().key == FAKE_KEY


def test_blank_environment_falls_through_to_keyring(memory: MemoryKeyring) -> None:
    memory.entries[(SERVICE, USER)] = OTHER_KEY
    resolved = _store({"OPENROUTER_API_KEY": "   "}).resolve()
    assert (resolved.key, resolved.source) == (OTHER_KEY, "keyring")


def test_keyring_beats_session_key(memory: MemoryKeyring) -> None:
    memory.entries[(SERVICE, USER)] = OTHER_KEY
    store = _store()
    store.use_for_session(FAKE_KEY)
    assert store.resolve().source == "keyring"


def test_session_key_when_keyring_empty(memory: MemoryKeyring) -> None:
    store = _store()
    store.use_for_session(f" {FAKE_KEY}\n")
    resolved = store.resolve()
    assert (resolved.key, resolved.source, resolved.problem) == (FAKE_KEY, "session", None)
    store.forget_session_key()
    assert store.resolve().source == "none"


def test_nothing_anywhere(memory: MemoryKeyring) -> None:
    resolved = _store().resolve()
    assert (resolved.key, resolved.source, resolved.problem) == (None, "none", None)
    assert resolved.masked == "(none)"


def test_env_defaults_to_process_environment(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    assert KeyStore().resolve().source == "environment"
    monkeypatch.delenv("OPENROUTER_API_KEY")
    assert KeyStore().resolve().source == "none"


def test_explicit_backend_overrides_the_global_one(memory: MemoryKeyring) -> None:
    own = MemoryKeyring()
    own.entries[(SERVICE, USER)] = OTHER_KEY
    resolved = KeyStore(env={}, backend=own).resolve()
    assert (resolved.key, resolved.source) == (OTHER_KEY, "keyring")
    assert memory.calls == []


# -- store, replace, delete -------------------------------------------------------------------


def test_store_replace_delete_round_trip(memory: MemoryKeyring) -> None:
    store = _store()
    store.store(f"{FAKE_KEY}\n")
    assert memory.entries[(SERVICE, USER)] == FAKE_KEY
    assert store.read_keyring() == FAKE_KEY
    store.store(OTHER_KEY)
    assert store.resolve().key == OTHER_KEY
    assert store.delete() is True
    assert store.delete() is False
    assert store.read_keyring() is None
    assert store.backend_name() == "test keystore MemoryKeyring"


def test_store_refuses_non_keys(memory: MemoryKeyring) -> None:
    with pytest.raises(InvalidKeyText):
        _store().store("two words")
    assert memory.entries == {}


# -- every failure path -----------------------------------------------------------------------

FAILURES: list[tuple[str, Callable[[str | None], BaseException], str]] = [
    ("no-backend", lambda _pw: kerr.NoKeyringError("No recommended backend. More."), "no backend"),
    ("init", lambda _pw: kerr.InitError("Failed to create the collection"), "initialised"),
    ("locked", lambda _pw: kerr.KeyringLocked("Failed to unlock the item!"), "locked"),
    ("keyring-error", lambda _pw: kerr.KeyringError("boom"), "keyring error (boom)"),
    ("dbus", lambda _pw: _dbus_error(), "DBusErrorResponse"),
    ("secretstorage-locked", lambda _pw: LockedException("Item is locked!"), "LockedException"),
    ("generic", lambda _pw: RuntimeError("backend exploded"), "RuntimeError (backend exploded)"),
    ("oserror", lambda _pw: OSError(5, "I/O error"), "OSError"),
    ("key-in-message", lambda pw: kerr.PasswordSetError(f"cannot store {pw}"), "refused"),
]


@pytest.mark.parametrize(
    ("make", "expected"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_every_keyring_failure_is_typed(
    use_keyring: Callable[[KeyringBackend], KeyringBackend],
    make: Callable[[str | None], BaseException],
    expected: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    use_keyring(FailingKeyring(make))
    store = _store()

    resolved = store.resolve()
    assert (resolved.key, resolved.source) == (None, "none")
    assert resolved.problem is not None
    assert resolved.problem.startswith("keyring unavailable: ")
    assert expected in resolved.problem

    with pytest.raises(KeyringUnavailable) as stored:
        store.store(FAKE_KEY)
    assert expected in str(stored.value)
    assert FAKE_KEY not in str(stored.value)
    assert stored.value.__cause__ is None and stored.value.__context__ is None

    with pytest.raises(KeyringUnavailable):
        store.delete()
    with pytest.raises(KeyringUnavailable):
        store.read_keyring()

    store.use_for_session(FAKE_KEY)
    resolved = store.resolve()
    assert (resolved.key, resolved.source) == (FAKE_KEY, "session")
    assert resolved.problem is not None and resolved.problem.startswith("keyring unavailable")
    assert FAKE_KEY not in caplog.text


def test_a_key_in_a_backend_message_is_masked(
    use_keyring: Callable[[KeyringBackend], KeyringBackend],
) -> None:
    use_keyring(FailingKeyring(lambda pw: kerr.PasswordSetError(f"cannot store {pw}")))
    with pytest.raises(KeyringUnavailable) as caught:
        _store().store(FAKE_KEY)
    assert str(caught.value) == (
        "keyring unavailable: the keyring refused to store the key (cannot store sk-or-v1-…a1b2)"
    )


def test_long_backend_messages_become_one_short_line(
    use_keyring: Callable[[KeyringBackend], KeyringBackend],
) -> None:
    use_keyring(FailingKeyring(lambda _pw: RuntimeError("x" * 500 + "\nsecond line")))
    problem = _store().resolve().problem
    assert problem is not None and "\n" not in problem and len(problem) < 200


def test_keyrings_fail_backend_means_no_backend(
    use_keyring: Callable[[KeyringBackend], KeyringBackend],
) -> None:
    use_keyring(fail.Keyring())
    resolved = _store().resolve()
    assert resolved.problem is not None
    assert resolved.problem.startswith("keyring unavailable: no backend (No recommended backend")


def test_null_keyring_is_refused_instead_of_silently_dropping_the_key(
    use_keyring: Callable[[KeyringBackend], KeyringBackend],
) -> None:
    use_keyring(null.Keyring())
    with pytest.raises(KeyringUnavailable, match="keyring disabled"):
        _store().store(FAKE_KEY)
    assert _store().resolve().problem == (
        "keyring unavailable: no backend (keyring disabled: keyring.backends.null.Keyring)"
    )


def test_backend_that_cannot_be_loaded(
    use_keyring: Callable[[KeyringBackend], KeyringBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.core._keyring_backend = None  # restored by use_keyring
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no_such_module_here.Keyring")
    resolved = _store().resolve()
    assert resolved.problem is not None
    assert resolved.problem.startswith("keyring unavailable: the keyring backend could not be")


def test_hanging_backend_times_out_fast(hanging: HangingKeyring) -> None:
    store = _store(timeout=0.05)
    store.use_for_session(OTHER_KEY)
    resolved = store.resolve()
    assert (resolved.key, resolved.source) == (OTHER_KEY, "session")
    assert resolved.problem == (
        "keyring unavailable: no answer within 0.05s (locked keyring waiting for an unlock?)"
    )
    # While the first call is still stuck, later calls fail at once without a new thread.
    threads = threading.active_count()
    with pytest.raises(KeyringUnavailable, match="still waiting"):
        store.store(FAKE_KEY)
    assert threading.active_count() == threads


def test_store_works_again_once_the_stuck_call_returns(hanging: HangingKeyring) -> None:
    store = _store(timeout=0.05)
    assert store.resolve().source == "none"
    hanging.release.set()
    for thread in threading.enumerate():
        if thread.name == "inspector-keyring":
            thread.join(5)
    store.timeout = 2.0
    assert store.resolve().source == "keyring"


# -- validation with GET /key -----------------------------------------------------------------


async def test_check_key_valid(fake_server: FakeOpenRouter) -> None:
    check = await check_key(FAKE_KEY, fake_server.base_url)
    assert check.ok and check.verdict == "valid" and check.error is None
    assert check.info is not None
    assert check.info.raw == fake_server.key_info
    assert FAKE_KEY not in repr(check)


async def test_check_key_rejected(fake_server: FakeOpenRouter) -> None:
    check = await check_key(OTHER_KEY, fake_server.base_url)
    assert (check.ok, check.verdict, check.info) == (False, "rejected", None)
    assert isinstance(check.error, AuthError)
    assert OTHER_KEY not in str(check.error)


async def test_check_key_network_error(make_fake_server: Callable[..., FakeOpenRouter]) -> None:
    gone = make_fake_server()
    url = gone.base_url
    gone.stop()
    check = await check_key(FAKE_KEY, url, timeout=5)
    assert check.verdict == "error"
    assert isinstance(check.error, NetworkError)
    assert FAKE_KEY not in str(check.error)


async def test_check_key_refuses_plain_http_to_a_remote_host() -> None:
    check = await check_key(FAKE_KEY, "http://example.invalid/api/v1")
    assert check.verdict == "error"
    assert isinstance(check.error, ConfigError)
    assert FAKE_KEY not in str(check.error)
