"""The API key: where it comes from, where it is kept, and how it is shown.

Resolution order: ``OPENROUTER_API_KEY`` → the OS keyring (service ``orinspect``,
username ``api-key``) → a key kept in memory for this session → none.

Every keyring call runs in a daemon thread and is waited for with a timeout, because a
backend can block (an unlock prompt, a dead D-Bus peer). Any failure of the keyring, of
whatever kind, becomes :class:`KeyringUnavailable` (or a ``problem`` on the resolved key):
never a traceback. The key itself never appears in a repr, an exception message or a log
line; show it with :func:`mask_key`.

Nothing happens at import time: the ``keyring`` package is imported and its backend chosen
on the first call, inside the worker thread.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from inspector.infra import config

if TYPE_CHECKING:
    import httpx
    from keyring.backend import KeyringBackend

    from inspector.core.errors import InspectorError
    from inspector.infra.client import KeyInfo

T = TypeVar("T")

Source = Literal["environment", "keyring", "session", "none"]

_KNOWN_PREFIX = re.compile(r"^sk-or-(?:v\d+-)?")
_MIN_HIDDEN = 8  # never show a masked form that hides fewer characters than this
_HIDDEN = "••••"
_NO_KEY = "(none)"
_REASON_MAX = 160
_DISABLED_BACKENDS = ("keyring.backends.null.Keyring",)


def mask_key(key: str | None) -> str:
    """A display form of ``key`` that is safe to print: ``"sk-or-v1-…a1b2"``.

    Keys without the known prefix show only their last four characters (``"…a1b2"``);
    keys too short to hide enough, or with odd characters at the end, show ``"••••"``.
    ``None`` and the empty string show ``"(none)"``.
    """
    if not key:
        return _NO_KEY
    tail = key[-4:]
    if not tail.isascii() or not tail.isalnum():
        return _HIDDEN
    match = _KNOWN_PREFIX.match(key)
    prefix = match.group(0) if match else ""
    if len(key) - len(prefix) - 4 < _MIN_HIDDEN:
        return _HIDDEN
    return f"{prefix}…{tail}"


class InvalidKeyText(ValueError):
    """The text given as a key cannot be one (empty, spaces inside, control characters).

    The message describes the problem only; it never contains the text.
    """


def normalize_key(text: str) -> str:
    """The key in ``text``: surrounding whitespace, quotes and ``Bearer `` removed.

    Raises :class:`InvalidKeyText` when nothing usable is left or the key contains
    whitespace or control characters.
    """
    key = text.strip().strip("\"'").strip()
    if key.lower().startswith("bearer "):
        key = key[7:].strip()
    if not key:
        raise InvalidKeyText("no key given")
    if any(ch.isspace() for ch in key):
        raise InvalidKeyText("the key contains spaces or line breaks")
    if not key.isprintable() or not key.isascii():
        raise InvalidKeyText("the key contains control or non-ASCII characters")
    return key


@dataclass(frozen=True)
class ResolvedKey:
    """The key to use now and where it came from. Its repr shows only the masked key."""

    key: str | None = field(repr=False)
    source: Source
    problem: str | None = None  # e.g. "keyring unavailable: no backend (…)"

    @property
    def masked(self) -> str:
        """The key in its safe display form."""
        return mask_key(self.key)

    def __repr__(self) -> str:
        return f"ResolvedKey(key={self.masked!r}, source={self.source!r}, problem={self.problem!r})"

    __str__ = __repr__


class KeyringUnavailable(Exception):
    """The OS keyring could not be used. ``reason`` is one line, without the key."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"keyring unavailable: {reason}")
        self.reason = reason


def _one_line(text: str, limit: int = _REASON_MAX) -> str:
    """``text`` squeezed onto one line, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _first_sentence(text: str) -> str:
    """The first sentence of ``text`` (backend messages can be paragraphs)."""
    flat = " ".join(text.split())
    head, dot, _ = flat.partition(". ")
    return head + ("." if dot else "")


def describe_failure(exc: BaseException, secret: str | None = None) -> str:
    """A one-line reason for a keyring failure, with ``secret`` scrubbed out of it."""
    from keyring import errors as kerr

    detail = _first_sentence(str(exc))
    if secret:
        detail = detail.replace(secret, mask_key(secret))
    kinds: tuple[tuple[type[BaseException], str], ...] = (
        (kerr.NoKeyringError, "no backend"),
        (kerr.KeyringLocked, "the keyring is locked"),
        (kerr.InitError, "the keyring could not be initialised"),
        (kerr.PasswordSetError, "the keyring refused to store the key"),
        (kerr.PasswordDeleteError, "the keyring refused to delete the key"),
        (kerr.KeyringError, "keyring error"),
        (ImportError, "the keyring backend could not be loaded"),
    )
    label = next((text for kind, text in kinds if isinstance(exc, kind)), type(exc).__name__)
    return _one_line(f"{label} ({detail})" if detail else label)


@dataclass
class _Outcome:
    """What a worker thread produced: a value or an exception."""

    value: Any = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class KeyStore:
    """Resolves, stores and deletes the API key.

    ``env`` defaults to ``os.environ`` (read at each call). ``timeout`` bounds each keyring
    call, in seconds. ``backend`` overrides the process-wide keyring backend (tests, tools);
    by default ``keyring.get_keyring()`` is asked, in the worker thread, on each call.

    All keyring methods BLOCK for up to ``timeout``: the UI must call them from a thread
    worker. If an earlier call is still stuck (an unlock prompt nobody answers), later calls
    fail at once instead of piling up threads.
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = 5.0,
        backend: KeyringBackend | None = None,
    ) -> None:
        self._env = env
        self.timeout = timeout
        self._backend = backend
        self._session_key: str | None = None
        self._stuck: threading.Thread | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        session = "set" if self._session_key else "unset"
        return f"KeyStore(timeout={self.timeout!r}, session_key={session})"

    # -- resolution -------------------------------------------------------------------

    def resolve(self) -> ResolvedKey:
        """The key to use: environment > keyring > session key > none. Never raises."""
        at_once = self.resolve_at_once()
        if at_once is not None:
            return at_once
        problem: str | None = None
        try:
            stored = self.read_keyring()
        except KeyringUnavailable as exc:
            stored, problem = None, str(exc)
        if stored:
            return ResolvedKey(stored, "keyring")
        if self._session_key:
            return ResolvedKey(self._session_key, "session", problem)
        return ResolvedKey(None, "none", problem)

    def resolve_at_once(self) -> ResolvedKey | None:
        """The key when no keyring call is needed to know it (the environment's, which
        wins), else None: :meth:`resolve` then asks the keyring, which can block."""
        env_key = self.env_key()
        return ResolvedKey(env_key, "environment") if env_key else None

    def env_key(self) -> str | None:
        """``OPENROUTER_API_KEY`` stripped, or None when unset or blank."""
        env = os.environ if self._env is None else self._env
        value = (env.get(config.ENV_API_KEY) or "").strip()
        return value or None

    def use_for_session(self, key: str) -> None:
        """Keep ``key`` in memory only, for this process (used when the keyring is unusable)."""
        self._session_key = normalize_key(key)

    def forget_session_key(self) -> None:
        """Drop the in-memory session key."""
        self._session_key = None

    # -- keyring operations -------------------------------------------------------------

    def read_keyring(self) -> str | None:
        """The key stored in the keyring, or None. Raises :class:`KeyringUnavailable`."""
        value = self._call(_get_password)
        if not isinstance(value, str):
            return None
        return value.strip() or None

    def store(self, key: str) -> None:
        """Store (or replace) ``key`` in the keyring. Raises :class:`KeyringUnavailable`.

        Raises :class:`InvalidKeyText` when ``key`` cannot be a key.
        """
        clean = normalize_key(key)
        self._call(lambda backend: _set_password(backend, clean), secret=clean)

    def delete(self) -> bool:
        """Remove the stored key; False if there was none. Raises :class:`KeyringUnavailable`."""
        return bool(self._call(_delete_password))

    def backend_name(self) -> str:
        """The keyring backend's name, e.g. ``"SecretService Keyring"``.

        Raises :class:`KeyringUnavailable`.
        """
        return str(self._call(_backend_label))

    # -- the worker thread ----------------------------------------------------------------

    def _call(self, op: Callable[[KeyringBackend], T], *, secret: str | None = None) -> T:
        """Run ``op(backend)`` in a daemon thread; wait at most ``timeout`` seconds."""
        with self._lock:
            if self._stuck is not None and self._stuck.is_alive():
                raise KeyringUnavailable(
                    "an earlier keyring call is still waiting (an unlock prompt?)"
                )
            self._stuck = None
        outcome = _Outcome()
        thread = threading.Thread(
            target=self._work, args=(op, outcome), name="inspector-keyring", daemon=True
        )
        thread.start()
        if not outcome.done.wait(self.timeout):
            with self._lock:
                self._stuck = thread
            raise KeyringUnavailable(
                f"no answer within {self.timeout:g}s (locked keyring waiting for an unlock?)"
            )
        if outcome.error is not None:
            reason = describe_failure(outcome.error, secret)
            outcome.error = None  # drop the original: it may hold data we never want to show
            raise KeyringUnavailable(reason)
        return outcome.value

    def _work(self, op: Callable[[KeyringBackend], Any], outcome: _Outcome) -> None:
        """Thread body: choose the backend, run the operation, record what happened."""
        try:
            outcome.value = op(self._backend or _default_backend())
        except BaseException as exc:  # any backend failure, even odd ones, becomes a reason
            outcome.error = exc
        finally:
            outcome.done.set()


def _default_backend() -> KeyringBackend:
    """The process-wide keyring backend (chosen by ``keyring`` on first use)."""
    import keyring

    return keyring.get_keyring()


def _check_usable(backend: KeyringBackend) -> None:
    """Refuse backends that silently drop what they are given (the null keyring)."""
    cls = type(backend)
    qualified = f"{cls.__module__}.{cls.__qualname__}"
    if qualified in _DISABLED_BACKENDS:
        from keyring.errors import NoKeyringError

        raise NoKeyringError(f"keyring disabled: {qualified}")


def _get_password(backend: KeyringBackend) -> str | None:
    _check_usable(backend)
    return backend.get_password(config.KEYRING_SERVICE, config.KEYRING_USERNAME)


def _set_password(backend: KeyringBackend, key: str) -> None:
    _check_usable(backend)
    backend.set_password(config.KEYRING_SERVICE, config.KEYRING_USERNAME, key)


def _delete_password(backend: KeyringBackend) -> bool:
    """Delete the entry; False when there was none (asked first: backends differ there)."""
    _check_usable(backend)
    if backend.get_password(config.KEYRING_SERVICE, config.KEYRING_USERNAME) is None:
        return False
    backend.delete_password(config.KEYRING_SERVICE, config.KEYRING_USERNAME)
    return True


def _backend_label(backend: KeyringBackend) -> str:
    name = getattr(backend, "name", None)
    return str(name) if name else type(backend).__name__


# -- validation against the API -------------------------------------------------------------

Verdict = Literal["valid", "rejected", "error"]


@dataclass(frozen=True)
class KeyCheck:
    """The result of ``GET /key``: ``valid`` (with ``info``), ``rejected`` (401) or ``error``."""

    verdict: Verdict
    info: KeyInfo | None = None
    error: InspectorError | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"


async def check_key(
    key: str,
    base_url: str | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 15.0,
) -> KeyCheck:
    """Ask ``GET {base}/key`` whether ``key`` works. Never raises :class:`InspectorError`."""
    from inspector.core.errors import AuthError, InspectorError
    from inspector.infra.client import GenerationClient

    try:
        async with GenerationClient(
            key, config.base_url(base_url), timeout=timeout, transport=transport
        ) as client:
            info = await client.get_key_info()
    except AuthError as exc:
        return KeyCheck("rejected", error=exc)
    except InspectorError as exc:
        return KeyCheck("error", error=exc)
    return KeyCheck("valid", info=info)
