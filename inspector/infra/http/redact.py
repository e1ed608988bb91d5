"""Secrets stay in the client: the API key and the credentials of the base URL are replaced
by their masks in every message, every error body start, and every string of every record
the client hands out, however a server echoes them.

The key becomes :func:`inspector.infra.keystore.mask_key` (``sk-or-v1-…a1b2``); a URL's
password (and a user name standing alone, which is often a token) becomes ``•••``, in both
its plain and its percent-encoded form. Secrets shorter than :data:`MIN_SECRET` characters
are left alone in records (replacing every ``pw`` in a record would garble it and hide
nothing); the base URL itself is only ever shown through ``display_url``.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

import httpx

from inspector.infra.keystore import mask_key

__all__ = ["MIN_SECRET", "Redactor"]

MIN_SECRET = 4
_URL_MASK = "•••"


class Redactor:
    """Replaces each known secret by its mask in any text."""

    def __init__(self, key: str | None, url: httpx.URL | None = None) -> None:
        pairs: dict[str, str] = {}
        if url is not None:
            password = url.password
            secret = password if password else url.username
            if secret:
                for form in (secret, quote(secret, safe=""), unquote(secret)):
                    pairs[form] = _URL_MASK
        if key:
            pairs[key] = mask_key(key)
        # Longest first, so that a secret inside another is never half-replaced.
        self._pairs = sorted(
            ((s, m) for s, m in pairs.items() if len(s) >= MIN_SECRET),
            key=lambda pair: -len(pair[0]),
        )

    def __bool__(self) -> bool:
        return bool(self._pairs)

    def __repr__(self) -> str:
        return f"Redactor({len(self._pairs)} secrets)"

    def text(self, value: str) -> str:
        """``value`` with every secret masked (the same object when none was in it)."""
        for secret, mask in self._pairs:
            if secret in value:
                value = value.replace(secret, mask)
        return value
