"""Which proxy a request goes through: the environment as curl and httpx read it, and two
rules that keep secrets off the wire in clear.

Variables (lower-case first, then upper-case): ``https_proxy`` for https:// targets,
``http_proxy`` for http:// ones, ``all_proxy`` for either when the scheme's own is unset;
``no_proxy`` lists hosts that go direct: ``*`` (all), names (``example.com`` also covers
``api.example.com``; a leading ``.`` or ``*.`` is the same), IP addresses and networks
(``10.0.0.0/8``), each optionally with ``:port``. As in curl and Python's urllib,
upper-case ``HTTP_PROXY`` is ignored when ``REQUEST_METHOD`` is set (a CGI environment,
where a request header could have set it: "httpoxy"). A value without a scheme means
``http://``.

The rules:

- a loopback target (``localhost``, ``127.0.0.0/8``, ``::1``) always goes direct: a proxy
  would connect to its own loopback, and a plain-http loopback URL is the one place the
  key may travel unencrypted;
- a plain ``http://`` target never goes through a proxy (the proxy would read the request,
  key included, in clear): :class:`ConfigError`. ``https://`` targets go through an
  ``http://`` proxy in a CONNECT tunnel, so the proxy only relays TLS.

Proxy URLs may be ``http://``, ``https://``, and ``socks5://``/``socks5h://`` when the
``socksio`` package is installed. Credentials in a proxy URL are sent to the proxy only,
and shown masked (:func:`inspector.core.urls.display_url`).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import httpx

from inspector.core.errors import ConfigError
from inspector.core.urls import display_url
from inspector.infra.http.tls import needs_tls

__all__ = ["ProxyRoutes", "bypasses_proxy", "is_loopback", "select_proxy"]

_SCHEMES = ("http", "https", "socks5", "socks5h")

T = TypeVar("T")


def is_loopback(host: str) -> bool:
    """``localhost`` (and ``*.localhost``), 127.0.0.0/8 and ``::1``."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _lookup(env: Mapping[str, str], name: str, *, cgi_safe: bool = False) -> tuple[str, str]:
    """``(variable, value)`` of ``name`` (lower-case first); empty strings when unset."""
    for variable in (name.lower(), name.upper()):
        if cgi_safe and variable == name.upper() and env.get("REQUEST_METHOD"):
            continue
        value = (env.get(variable) or "").strip()
        if value:
            return variable, value
    return "", ""


def _entry_matches(entry: str, host: str, port: int | None) -> bool:
    entry = entry.strip().lower()
    if not entry:
        return False
    if entry == "*":
        return True
    entry_port: int | None = None
    if entry.startswith("["):  # [v6] or [v6]:port
        inside, _, rest = entry[1:].partition("]")
        entry, entry_port = inside, _port(rest.removeprefix(":"))
    elif entry.count(":") == 1:
        entry, _, raw_port = entry.partition(":")
        entry_port = _port(raw_port)
    if entry_port is not None and entry_port != port:
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        try:
            return ip in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    name = entry.removeprefix("*").lstrip(".").rstrip(".")
    return bool(name) and (host == name or host.endswith("." + name))


def _port(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def bypasses_proxy(url: httpx.URL, env: Mapping[str, str] | None = None) -> bool:
    """True when ``url`` goes direct: a loopback host, or one that ``no_proxy`` lists."""
    env = os.environ if env is None else env
    host = url.host.strip("[]").rstrip(".").lower()
    if is_loopback(host):
        return True
    _, no_proxy = _lookup(env, "no_proxy")
    port = url.port or (443 if url.scheme == "https" else 80)
    entries = no_proxy.replace(",", " ").split()
    return any(_entry_matches(entry, host, port) for entry in entries)


def select_proxy(url: httpx.URL, env: Mapping[str, str] | None = None) -> httpx.URL | None:
    """The proxy for a request to ``url`` (None: go direct), from ``env`` (``os.environ``).

    Raises :class:`ConfigError` for a proxy URL that cannot be used, and for a plain
    ``http://`` target that a proxy would carry.
    """
    env = os.environ if env is None else env
    if bypasses_proxy(url, env):
        return None
    variable, value = _lookup(env, f"{url.scheme}_proxy", cgi_safe=url.scheme == "http")
    if not value:
        variable, value = _lookup(env, "all_proxy")
    if not value:
        return None
    proxy = _parse_proxy(variable, value)
    if url.scheme != "https":
        raise ConfigError(
            f"refusing to send a plain http:// request to {url.host} through the proxy "
            f"{display_url(str(proxy))} ({variable}): the proxy would read it in clear. "
            "Use https://, or list the host in NO_PROXY"
        )
    return proxy


def _parse_proxy(variable: str, value: str) -> httpx.URL:
    if "://" not in value:
        value = f"http://{value}"
    shown = display_url(value)
    try:
        proxy = httpx.URL(value)
    except (httpx.InvalidURL, ValueError):
        raise ConfigError(f"{variable}={shown} is not a proxy URL") from None
    if proxy.scheme not in _SCHEMES or not proxy.host:
        raise ConfigError(
            f"{variable}={shown} is not a usable proxy (use http://, https:// or socks5://"
            " with a host)"
        )
    if proxy.scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise ConfigError(
            f"{variable}={shown} is a SOCKS proxy, which needs the `socksio` package "
            "(pip install socksio)"
        )
    return proxy


class ProxyRoutes(Generic[T]):
    """One transport per route (direct or each proxy, and whether it speaks TLS), made by
    ``make(proxy, tls)`` on first use: ``tls`` is False for plain-http targets, whose
    transport then needs no CA bundle (:mod:`.tls`).

    ``env`` (default: ``os.environ`` at each request) is where proxies are read from.
    """

    def __init__(self, make: Callable[[httpx.URL | None, bool], T], env: Mapping[str, str] | None):
        self._make = make
        self._env = env
        self._routes: dict[tuple[str, bool], T] = {}

    def for_url(self, url: httpx.URL) -> T:
        """The transport for a request to ``url`` (:class:`ConfigError` as :func:`select_proxy`)."""
        proxy = select_proxy(url, self._env)
        tls = needs_tls(url.scheme)
        name = (str(proxy) if proxy is not None else "", tls)
        route = self._routes.get(name)
        if route is None:
            route = self._routes[name] = self._make(proxy, tls)
        return route

    def take_all(self) -> list[T]:
        """Every transport made so far, forgotten here (the caller closes them)."""
        routes, self._routes = list(self._routes.values()), {}
        return routes
