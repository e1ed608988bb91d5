"""The concurrent transport: httpx's async one (the client's default, and the CLI batch's:
many requests in flight on one loop), with the proxy and deadline rules of the other. The
app and the one-shot commands use :class:`~.transport.ThreadedTransport`, which needs none
of anyio's set-up.

httpx turns off its own environment proxies as soon as a transport is given, so this one
routes each request itself (:func:`.proxy.select_proxy`, one pooled httpx transport per
proxy) and runs every socket operation under the attempt's deadline (:mod:`.deadline`).
The body is passed on undecoded, as httpx's transport gives it; :mod:`.body` decodes it.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Mapping
from typing import Any

import httpcore
import httpx

from inspector.infra.http.deadline import budget
from inspector.infra.http.transport import deadline_routes

__all__ = ["AsyncTransport"]


class _DeadlineStream(httpcore.AsyncNetworkStream):
    """A socket whose every operation ends by the deadline."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, budget(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, budget(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        limit = budget(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(await self._inner.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        limit = budget(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, limit, local_address, socket_options)
        return _DeadlineStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        limit = budget(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_unix_socket(path, limit, socket_options)
        return _DeadlineStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class AsyncTransport(httpx.AsyncBaseTransport):
    """httpx's async transport per proxy route, under the deadline.

    ``env`` (default: ``os.environ`` at each request) is where proxies are read from; other
    keyword arguments go to :class:`httpx.AsyncHTTPTransport`.
    """

    def __init__(self, *, env: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        self._routes = deadline_routes(
            self, httpx.AsyncHTTPTransport, _DeadlineBackend, env, kwargs
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._routes.for_url(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self._routes.take_all():
            await transport.aclose()
