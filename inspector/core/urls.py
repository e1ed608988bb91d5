"""Base URLs as they may be shown: never with the password (or user) they may carry."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["display_url", "has_credentials"]


def has_credentials(url: str) -> bool:
    """True when ``url`` carries a user name or password (``https://user:pw@host``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


def display_url(url: str) -> str:
    """``url`` with any credentials replaced by ``•••``: safe to print, log or store."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(a base URL that cannot be parsed)" if "@" in url else url
    if parts.username is None and parts.password is None:
        return url
    netloc = f"•••@{host}" + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
