"""Stable exit codes, documented in the README: new ones are added, never renumbered.

:func:`for_error` is the one place that maps a failure to its code (``get``, ``key`` and
every later command use it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.core.errors import InspectorError

OK = 0
HISTORY = 1  # history: the file could not be read or written
USAGE = 2  # usage error or malformed id; nothing was sent
AUTH = 3  # no key, or the key was rejected
NOT_FOUND = 4  # not found (also a pending id that never appeared)
API_ERROR = 5  # any other API error, after retries
NETWORK = 6  # network error after retries
KEYRING = 7  # the OS keyring is unavailable (key set / key delete)
CHECK_FAILED = 8  # check: a lookup succeeded but an assertion on it failed
INTERNAL = 70  # a bug in orinspect (EX_SOFTWARE): one line on stderr, please report it
OUTPUT = 74  # the output could not be written (a full disk, a device refusing it)
INTERRUPTED = 130  # Ctrl+C; SIGTERM, SIGHUP, SIGQUIT exit 128 + the signal (143, 129, 131)


def for_error(error: InspectorError) -> int:
    """The documented exit code for a final failure."""
    from inspector.core import errors

    if isinstance(error, errors.MalformedIdError | errors.ConfigError):
        return USAGE
    if isinstance(error, errors.AuthError | errors.MissingKeyError):
        return AUTH
    if isinstance(error, errors.NotFoundError):  # pending and future ids included
        return NOT_FOUND
    if isinstance(error, errors.NetworkError):
        return NETWORK
    if isinstance(error, errors.LookupCancelled):
        return INTERRUPTED
    return API_ERROR
