"""The TLS context of every transport: built once per process, off the critical path.

Loading the CA bundle takes 25–35 ms, all of it inside OpenSSL with the GIL released, so
:func:`preload_for` builds the context in a daemon thread while the app paints its first frame,
and the first https request finds it ready (:func:`verified_context` waits for that thread
instead of building a second one). It is the context httpx would build itself
(``httpx.create_ssl_context()``: ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``, else certifi's
bundle), kept whole: verification is never loosened.

A plain-http request never does TLS (a proxy never carries plain http: :mod:`.proxy`),
so its transport gets :func:`unverifiable_context` instead, which loads no CA at all and
would fail every certificate if it were ever used: closed, not open.
"""

from __future__ import annotations

import os
import ssl
import threading
from urllib.parse import urlsplit

from inspector.core.errors import ConfigError

__all__ = ["needs_tls", "preload_for", "unverifiable_context", "verified_context"]

_Where = tuple[str | None, str | None]  # SSL_CERT_FILE, SSL_CERT_DIR

_lock = threading.Lock()
_contexts: dict[_Where, ssl.SSLContext] = {}
_errors: dict[_Where, ConfigError] = {}
_loaders: dict[_Where, threading.Thread] = {}


def _where() -> _Where:
    return os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None


def _build(where: _Where) -> ssl.SSLContext:
    """httpx's default context (``create_ssl_context(verify=True)``) for these settings."""
    cafile, capath = where
    if cafile:
        return ssl.create_default_context(cafile=cafile)
    if capath:
        return ssl.create_default_context(capath=capath)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _load(where: _Where) -> None:
    try:
        context = _build(where)
    except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
        # A bad SSL_CERT_FILE, say: kept, and raised where a request needs the context.
        cafile, capath = where
        setting = (
            f"SSL_CERT_FILE={cafile}"
            if cafile
            else f"SSL_CERT_DIR={capath}"
            if capath
            else "certifi's CA bundle"
        )
        problem = ConfigError(f"{setting}: the CA certificates cannot be loaded ({error})")
        with _lock:
            _errors[where] = problem
        return
    with _lock:
        _contexts[where] = context


def needs_tls(scheme: str) -> bool:
    """Whether requests to a URL of this scheme speak TLS (everything but plain http)."""
    return scheme.lower() != "http"


def preload_for(base_url: str) -> None:
    """For a base URL that speaks TLS, start building the verified context in a daemon
    thread (once per process and CA setting)."""
    if not needs_tls(urlsplit(base_url).scheme):
        return
    where = _where()
    with _lock:
        if where in _loaders or where in _contexts:
            return
        loader = _loaders[where] = threading.Thread(
            target=_load, args=(where,), name="tls-context", daemon=True
        )
    loader.start()


def verified_context() -> ssl.SSLContext:
    """The verified context for the current CA setting: the preloaded one (waiting for its
    thread), else built now. Raises :class:`ConfigError` when the CA certificates cannot
    be loaded (an unreadable ``SSL_CERT_FILE``, say); the next call tries again."""
    where = _where()
    with _lock:
        loader = _loaders.pop(where, None)
    if loader is not None:
        loader.join()
    else:
        with _lock:
            known = where in _contexts or where in _errors
        if not known:
            _load(where)
    with _lock:
        if where in _contexts:
            return _contexts[where]
        error = _errors.pop(where)
    raise error


def unverifiable_context() -> ssl.SSLContext:
    """For a transport that only ever speaks plain http: verification on, no CA loaded."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
