"""The one-shot CLI's transport: httpx's synchronous one, driven from the event loop.

:class:`BlockingTransport` runs each request on httpx's sync transport and blocks the loop
meanwhile, which spares the CLI the import of anyio and httpcore's async machinery (tens of
milliseconds per run); the CLI does one request at a time, so nothing waits on the loop.
Like the UI's transport (:mod:`.async_transport`) it

- picks its proxy per request from the environment (:func:`.proxy.select_proxy`);
- keeps the attempt's deadline (:mod:`.deadline`) on every socket operation;
- hands the body on *undecoded*, with its ``Content-Encoding``, as a stream read on demand:
  decoding and the size cap are :mod:`.body`'s, the same for every transport.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpcore
import httpx

from inspector.infra.http.deadline import budget
from inspector.infra.http.proxy import ProxyRoutes

__all__ = ["BlockingTransport", "install_backend"]

T = TypeVar("T")


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every operation ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = budget(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        limit = budget(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.connect_tcp(host, port, limit, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        limit = budget(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, limit, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install_backend(transport: T, wrap: Callable[[Any], Any]) -> T:
    """Put ``wrap(backend)`` under ``transport``'s connection pool; returns ``transport``.

    httpx does not let a caller choose the network backend, so this reaches one level in
    (``transport._pool._network_backend``, httpx 0.28 / httpcore 1.x, both pinned). A
    missing attribute fails loudly here, and the deadline tests fail with it.
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None:
        raise RuntimeError("httpx's transport has no network backend to wrap (httpx changed?)")
    pool._network_backend = wrap(backend)  # type: ignore[union-attr]
    return transport


class _BlockingBody(httpx.AsyncByteStream):
    """The sync response's raw body, read chunk by chunk when the client asks for it."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        stream = self._response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        for chunk in stream:  # httpx's ResponseStream: errors already mapped to httpx's
            yield chunk

    async def aclose(self) -> None:
        self._response.close()


class BlockingTransport(httpx.AsyncBaseTransport):
    """An async transport that runs httpx's synchronous one, blocking the loop meanwhile.

    ``env`` (default: ``os.environ`` at each request) is where proxies are read from; other
    keyword arguments go to :class:`httpx.HTTPTransport` (``verify``, ``retries`` …).
    """

    def __init__(self, *, env: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        if "proxy" in kwargs:
            raise TypeError("BlockingTransport takes its proxy from the environment")

        def make(proxy: httpx.URL | None) -> httpx.HTTPTransport:
            return install_backend(httpx.HTTPTransport(proxy=proxy, **kwargs), _DeadlineBackend)

        self._routes = ProxyRoutes(make, env)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.SyncByteStream):
            content = b"".join([chunk async for chunk in request.stream])
            request = httpx.Request(
                request.method,
                request.url,
                headers=request.headers,
                content=content,
                extensions=request.extensions,
            )
        response = self._routes.for_url(request.url).handle_request(request)
        extensions = {k: v for k, v in response.extensions.items() if k != "network_stream"}
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_BlockingBody(response),
            extensions=extensions,
        )

    async def aclose(self) -> None:
        for transport in self._routes.take_all():
            transport.close()
