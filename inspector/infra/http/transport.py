"""httpx's synchronous transport driven from the event loop, each blocking call in a daemon
thread: the app's and the one-shot CLI's.

It spares the process httpcore's async machinery (anyio's asyncio backend) and its set-up
on the first request: about 25 ms before the first record (``tests/benchmarks``). The loop
never waits on a socket, so the attempt's safety timer (:mod:`.client`) can always end an
attempt, even one stuck where no socket timeout reaches (a resolver that never answers).
A cancelled call is abandoned, not waited for: its thread ends by the attempt's deadline
and closes what it got.

Like the CLI batch's transport (:mod:`.async_transport`) it

- picks its proxy per request from the environment (:func:`.proxy.select_proxy`);
- keeps the attempt's deadline (:mod:`.deadline`) on every socket operation;
- hands the body on *undecoded*, with its ``Content-Encoding``, as a stream read on demand:
  decoding and the size cap are :mod:`.body`'s, the same for every transport.
"""

from __future__ import annotations

import asyncio
import contextvars
import ssl
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar

import httpcore
import httpx

from inspector.infra.http import tls as tls_context
from inspector.infra.http.deadline import budget
from inspector.infra.http.proxy import ProxyRoutes

__all__ = ["ThreadedTransport", "deadline_routes", "install_backend", "tls_settings"]

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


def tls_settings(tls: bool, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """``kwargs`` for httpx's transport, with the TLS context of a route (:mod:`.tls`):
    the verified one, built once per process, or for plain http one that loads no CA.
    A ``verify`` the caller gave is kept as given."""
    if "verify" in kwargs:
        return dict(kwargs)
    verify = tls_context.verified_context() if tls else tls_context.unverifiable_context()
    return {**kwargs, "verify": verify}


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


def deadline_routes(
    owner: object,
    transport: Callable[..., T],
    wrap_backend: Callable[[Any], Any],
    env: Mapping[str, str] | None,
    kwargs: Mapping[str, Any],
) -> ProxyRoutes[T]:
    """The routes of a transport class: one httpx ``transport`` per proxy and TLS setting,
    made on first use with the route's TLS context and ``kwargs``, its network backend
    wrapped by ``wrap_backend`` (the deadline). ``owner`` names the class in the error
    for a ``proxy`` argument: proxies come from the environment."""
    if "proxy" in kwargs:
        raise TypeError(f"{type(owner).__name__} takes its proxy from the environment")

    def make(proxy: httpx.URL | None, tls: bool) -> T:
        return install_backend(transport(proxy=proxy, **tls_settings(tls, kwargs)), wrap_backend)

    return ProxyRoutes(make, env)


async def _sync_request(request: httpx.Request) -> httpx.Request:
    """``request`` with a body the sync transport can send (read here, on the loop)."""
    if isinstance(request.stream, httpx.SyncByteStream):
        return request
    content = b"".join([chunk async for chunk in request.stream])
    return httpx.Request(
        request.method,
        request.url,
        headers=request.headers,
        content=content,
        extensions=request.extensions,
    )


def _async_response(
    response: httpx.Response, body: Callable[[httpx.Response], httpx.AsyncByteStream]
) -> httpx.Response:
    """The sync transport's ``response`` for the async client, its body read by ``body``."""
    extensions = {k: v for k, v in response.extensions.items() if k != "network_stream"}
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=body(response),
        extensions=extensions,
    )


def _in_thread(call: Callable[[], T]) -> Future[T]:
    """``call()`` in a daemon thread of its own, in a copy of the caller's context (the
    attempt's deadline goes along). A daemon: a call left running (its lookup was
    cancelled, the app quit) never holds the process's exit up until its deadline."""
    future: Future[T] = Future()
    context = contextvars.copy_context()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = context.run(call)
        except BaseException as error:  # handed to the awaiting task, raised there
            future.set_exception(error)
        else:
            future.set_result(result)

    threading.Thread(target=run, name="http", daemon=True).start()
    return future


async def _result(future: Future[T], abandoned: Callable[[T], object]) -> T:
    """The call's result. When the awaiting task is cancelled, the call is left to finish
    by its deadline and ``abandoned(result)`` cleans up after it."""
    inner = asyncio.wrap_future(future)
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        future.add_done_callback(lambda done: _clean_up(done, abandoned))
        # Its late failure (the deadline, a reset) is nobody's now: retrieved here, so
        # asyncio does not print "exception was never retrieved" over the screen.
        inner.add_done_callback(lambda done: done.cancelled() or done.exception())
        raise


def _clean_up(done: Future[T], abandoned: Callable[[T], object]) -> None:
    if not done.cancelled() and done.exception() is None:
        abandoned(done.result())


class _ThreadedBody(httpx.AsyncByteStream):
    """The sync response's raw body, each chunk read in a worker thread. Closing it while a
    read is still running (the read was cancelled) closes it once that read ends."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._reading: Future[bytes | None] | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        stream = self._response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        chunks: Iterator[bytes] = iter(stream)
        while True:
            self._reading = _in_thread(lambda: next(chunks, None))
            chunk = await _result(self._reading, _ignore)
            if chunk is None:
                return
            yield chunk

    async def aclose(self) -> None:
        reading = self._reading
        if reading is not None and not reading.done():
            reading.add_done_callback(lambda _: self._response.close())
            return
        self._response.close()  # no network wait: the connection is released or dropped


def _ignore(_: object) -> None:
    return None


class ThreadedTransport(httpx.AsyncBaseTransport):
    """An async transport that runs httpx's synchronous one, every blocking call in a
    worker thread (the UI and the CLI never wait on a socket).

    ``env`` (default: ``os.environ`` at each request) is where proxies are read from; other
    keyword arguments go to :class:`httpx.HTTPTransport` (``verify``, ``retries`` …).
    """

    def __init__(self, *, env: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        self._routes = deadline_routes(self, httpx.HTTPTransport, _DeadlineBackend, env, kwargs)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request = await _sync_request(request)
        route = self._routes.for_url(request.url)  # ConfigError for a bad proxy: at once
        response = await _result(_in_thread(lambda: route.handle_request(request)), _close)
        return _async_response(response, _ThreadedBody)

    async def aclose(self) -> None:
        for transport in self._routes.take_all():
            transport.close()


def _close(response: httpx.Response) -> None:
    response.close()
