"""``orinspect key set|status|delete``: the API key in the OS keyring.

The key is read from stdin (when piped) or a hidden prompt, never from argv, and is never
printed: output shows only its masked form (``sk-or-v1-…a1b2``).

Every command line builds this module's parser, ``get`` included: so the key store,
asyncio and getpass are imported by the ``key`` actions when they run, not at load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from inspector.cli import exitcodes
from inspector.cli.output import print_error, print_line, print_note, safe
from inspector.core.errors import (
    AuthError,
    InspectorError,
)
from inspector.infra import config
from inspector.infra.keystore import (
    InvalidKeyText,
    KeyringUnavailable,
    KeyStore,
    check_key,
    mask_key,
    normalize_key,
)

if TYPE_CHECKING:
    from inspector.infra.keystore import KeyCheck, KeyStore, ResolvedKey

KEYRING_TIMEOUT = 30.0  # seconds; generous: the desktop may be showing an unlock prompt
ENV_KEYRING_TIMEOUT = "INSPECTOR_KEYRING_TIMEOUT"  # overrides KEYRING_TIMEOUT (seconds)
MAX_KEY_INPUT = 4096  # characters read from stdin; a key is ~75
PROMPT = "OpenRouter API key (input hidden): "
_SOURCES = {
    "environment": f"environment ({config.ENV_API_KEY})",
    "keyring": "OS keyring",
    "session": "this session only",
    "none": "none",
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``key`` and its actions to the top-level subcommands."""
    parser = sub.add_parser(
        "key",
        parents=[common],
        help="store, check or delete the API key in the OS keyring",
        description="Manage the OpenRouter API key kept in the OS keyring. "
        f"{config.ENV_API_KEY} overrides the stored key.",
    )
    parser.set_defaults(func=lambda _args: _usage(parser))
    actions = parser.add_subparsers(dest="key_command", metavar="ACTION")
    common_of = {"parents": [common]}

    set_parser = actions.add_parser(
        "set",
        **common_of,
        help="validate a key and store it (read from stdin when piped, else a hidden prompt)",
        description="Read a key from stdin (when piped) or a hidden prompt, check it with "
        "GET /key, then store it in the OS keyring. Never pass the key as an argument.",
    )
    set_parser.add_argument(
        "--skip-validation",
        action="store_true",
        help="store the key without asking the API whether it works",
    )
    # Catches a key typed on the command line so that argparse never echoes it back.
    set_parser.add_argument("refused", nargs="*", help=argparse.SUPPRESS)
    set_parser.set_defaults(func=run_set)

    status_parser = actions.add_parser(
        "status",
        **common_of,
        help="show where the key comes from, masked, and what the API says of it",
    )
    status_parser.add_argument(
        "--offline", action="store_true", help="do not ask the API (GET /key)"
    )
    status_parser.set_defaults(func=run_status)

    delete_parser = actions.add_parser(
        "delete", **common_of, help="remove the key from the OS keyring"
    )
    delete_parser.set_defaults(func=run_delete)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return exitcodes.USAGE


# -- key set ----------------------------------------------------------------------------------


def run_set(args: argparse.Namespace) -> int:
    """Read, validate, then store the key. Nothing is stored unless every step passes."""

    if args.refused:
        return _fail(
            "refusing a key given on the command line (it would stay in shell history and "
            "show in `ps`); pipe it on stdin or run `key set` for a hidden prompt",
            exitcodes.USAGE,
        )
    try:
        key = read_key()
    except InvalidKeyText as exc:
        return _fail(f"invalid key: {exc}; nothing was stored", exitcodes.USAGE)
    check: KeyCheck | None = None
    if not args.skip_validation:
        check = asyncio.run(check_key(key, args.base_url))
        if not check.ok:
            return _report_failed_check(check, stored=False)
    store = _keystore()
    try:
        store.store(key)
    except KeyringUnavailable as exc:
        return _fail(
            f"{exc}; the key was not stored (use {config.ENV_API_KEY} instead)",
            exitcodes.KEYRING,
        )
    print_line(f"Stored {mask_key(key)} in the keyring{_backend_suffix(store)}.")
    if check is not None:
        _print_lines(_describe_check(check, key))
    if store.env_key():
        print_note(f"{config.ENV_API_KEY} is set in this environment and overrides the stored key")
    return exitcodes.OK


def read_key(prompt: Callable[[str], str] | None = None, stdin: TextIO | None = None) -> str:
    """The key from piped stdin, else from a hidden prompt (``getpass`` unless ``prompt``
    is given). Raises InvalidKeyText."""

    stream = sys.stdin if stdin is None else stdin
    if stream is None:
        raise InvalidKeyText("no key given (no stdin)")
    if stream.isatty():
        if prompt is None:
            import getpass

            prompt = getpass.getpass
        try:
            text = prompt(PROMPT)
        except EOFError:
            text = ""
    else:
        text = stream.read(MAX_KEY_INPUT)
    return normalize_key(text or "")


# -- key status -------------------------------------------------------------------------------


def run_status(args: argparse.Namespace) -> int:
    """Print the key's source, its masked form and (unless --offline) what GET /key says."""

    store = _keystore()
    resolved = store.resolve()
    _print_lines(_describe_source(store, resolved))
    if resolved.key is None:
        return _fail(
            f"no API key: set {config.ENV_API_KEY} or run `orinspect key set`",
            exitcodes.AUTH,
        )
    if args.offline:
        return exitcodes.OK
    check = asyncio.run(check_key(resolved.key, args.base_url))
    if not check.ok:
        return _report_failed_check(check, stored=None)
    _print_lines(_describe_check(check, resolved.key))
    return exitcodes.OK


def _describe_source(store: KeyStore, resolved: ResolvedKey) -> list[str]:
    """Lines naming where the key comes from and the keyring's state."""
    source = _SOURCES[resolved.source]
    if resolved.source == "keyring":
        source += _backend_suffix(store)
    lines = [f"source:     {source}", f"key:        {resolved.masked}"]
    if resolved.problem:
        lines.append(f"keyring:    {resolved.problem}")
    elif resolved.source == "environment":
        lines.append(f"keyring:    {_keyring_shadowed(store)}")
    return lines


def _keyring_shadowed(store: KeyStore) -> str:
    """What the keyring holds when the environment variable wins."""

    try:
        stored = store.read_keyring()
    except KeyringUnavailable as exc:
        return str(exc)
    if stored is None:
        return "empty"
    return f"holds {mask_key(stored)} (not used: {config.ENV_API_KEY} wins)"


# -- key delete -------------------------------------------------------------------------------


def run_delete(args: argparse.Namespace) -> int:
    """Remove the stored key; deleting when nothing is stored is not an error."""

    store = _keystore()
    try:
        deleted = store.delete()
    except KeyringUnavailable as exc:
        return _fail(f"{exc}; nothing was deleted", exitcodes.KEYRING)
    if deleted:
        print_line(f"Deleted the key from the keyring{_backend_suffix(store)}.")
    else:
        print_line("No key was stored in the keyring.")
    if store.env_key():
        print_note(f"{config.ENV_API_KEY} is still set in this environment")
    return exitcodes.OK


# -- shared helpers ---------------------------------------------------------------------------


def _describe_check(check: KeyCheck, key: str) -> list[str]:
    """Lines for a successful GET /key: label, limit, remaining credit, usage."""
    info = check.info
    if info is None:
        return ["check:      valid"]
    label = _plain(info.label, key) if info.label else "(no label)"
    lines = ["check:      valid (GET /key)", f"label:      {label}"]
    lines.append(f"limit:      {_money(info.limit, 'no limit')}")
    lines.append(f"remaining:  {_money(info.limit_remaining, 'no limit')}")
    if info.usage is not None:
        lines.append(f"usage:      {_money(info.usage, '')}")
    if info.is_free_tier is not None:
        lines.append(f"free tier:  {'yes' if info.is_free_tier else 'no'}")
    return lines


def _report_failed_check(check: KeyCheck, *, stored: bool | None) -> int:
    """One stderr line for a rejected key or a failed check; returns the exit code."""
    tail = "" if stored is None else "; nothing was stored"
    error = check.error
    if check.verdict == "rejected" or isinstance(error, AuthError):
        return _fail(
            "key rejected (401): OpenRouter does not accept this key (revoked, deleted or "
            f"mistyped){tail}",
            exitcodes.AUTH,
        )
    hint = " (use --skip-validation to store it anyway)" if stored is False else ""
    if error is None:
        return _fail(f"could not check the key{tail}{hint}", exitcodes.API_ERROR)
    return _fail(
        f"could not check the key: {_error_line(error)}{tail}{hint}", exitcodes.for_error(error)
    )


def _error_line(error: InspectorError) -> str:
    """``Title (status): summary`` on one line."""
    status = f" ({error.status})" if error.status is not None else ""
    return _plain(f"{error.title}{status}: {error.summary}", None)


def _keystore() -> KeyStore:
    """A KeyStore with the CLI's keyring timeout (``INSPECTOR_KEYRING_TIMEOUT`` seconds)."""

    return KeyStore(timeout=keyring_timeout())


def keyring_timeout(env: Mapping[str, str] | None = None) -> float:
    """``INSPECTOR_KEYRING_TIMEOUT`` when it is a positive number, else ``KEYRING_TIMEOUT``."""
    env = os.environ if env is None else env
    try:
        value = float(env.get(ENV_KEYRING_TIMEOUT, ""))
    except ValueError:
        return KEYRING_TIMEOUT
    return value if 0 < value < float("inf") else KEYRING_TIMEOUT


def _backend_suffix(store: KeyStore) -> str:
    """`` (SecretService Keyring)``, or nothing if the backend cannot be named."""

    try:
        return f" ({store.backend_name()})"
    except KeyringUnavailable:
        return ""


def _money(value: float | None, none_text: str) -> str:
    """Dollars for display; small amounts keep more digits."""
    if value is None:
        return none_text
    return f"${value:,.2f}" if abs(value) >= 1 or value == 0 else f"${value:.4f}"


def _plain(text: str, key: str | None) -> str:
    """API text made safe for a terminal line; the key (if any) replaced by its mask."""

    flat = safe(text)
    return flat.replace(key, mask_key(key)) if key else flat


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        print_line(line)


def _fail(message: str, code: int) -> int:
    """Print one ``error:`` line on stderr and return ``code``."""
    print_error(message)
    return code
