"""Stable exit codes, documented in the README."""

OK = 0
USAGE = 2  # usage error or malformed id
AUTH = 3  # no key, or the key was rejected
NOT_FOUND = 4  # not found (also a pending id that never appeared)
API_ERROR = 5  # any other API error, after retries
NETWORK = 6  # network error after retries
KEYRING = 7  # the OS keyring is unavailable (key set / key delete)
INTERRUPTED = 130
