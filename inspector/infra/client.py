"""Async client for ``GET /generation`` and ``GET /key``: one typed error per case.

The client makes exactly one request per call and never retries (that is
:mod:`inspector.core.retry` and :mod:`inspector.app.lookup`). Every failure becomes one
of the errors of :mod:`inspector.core.errors`; the API key never appears in any message.

Import cost matters for the one-shot CLI: pydantic (the models) is imported only when a
``Generation`` is asked for or an error body is parsed, so ``get --json`` never pays for it.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import math
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from inspector import __version__
from inspector.core.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConfigError,
    ForbiddenError,
    InspectorError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    PaymentError,
    RateLimitedError,
    UpstreamError,
)
from inspector.core.ids import utc_now
from inspector.core.retry import error_detail

if TYPE_CHECKING:
    from types import TracebackType

    from inspector.core.models import ErrorInfo, Generation

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "BlockingTransport",
    "FetchResult",
    "GenerationClient",
    "KeyInfo",
    "parse_rate_limit_reset",
    "parse_retry_after",
    "utc_now",
]

USER_AGENT = f"orinspect/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_MASK = "sk-or-…(hidden)"


class FetchResult:
    """A successful lookup: the parsed ``generation`` and the ``data`` object as received.

    Behaves as a frozen dataclass with fields ``generation`` and ``raw``. The
    ``Generation`` model is built on first access, so callers that only need ``raw``
    (``get --json``) never import pydantic.
    """

    __slots__ = ("_generation", "raw")
    raw: dict[str, Any]
    _generation: Generation | None

    def __init__(self, generation: Generation | None = None, raw: dict[str, Any] | None = None):
        if generation is None and raw is None:
            raise TypeError("FetchResult needs a generation or the raw data object")
        if raw is None:
            assert generation is not None
            raw = generation.model_dump(mode="json", exclude_none=False)
        object.__setattr__(self, "raw", raw)
        object.__setattr__(self, "_generation", generation)

    @property
    def generation(self) -> Generation:
        """The permissive model of ``raw`` (parsed once, on first use)."""
        generation: Generation | None = self._generation
        if generation is None:
            from inspector.core.models import Generation

            generation = Generation.model_validate(self.raw)
            object.__setattr__(self, "_generation", generation)
        return generation

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"FetchResult is frozen; cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FetchResult) and other.raw == self.raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FetchResult(id={self.raw.get('id')!r}, fields={len(self.raw)})"


@dataclass(frozen=True)
class KeyInfo:
    """What ``GET /key`` says about the current key (``raw`` holds everything it said)."""

    label: str | None
    limit: float | None
    limit_remaining: float | None
    usage: float | None
    is_free_tier: bool | None
    raw: dict[str, Any] = field(repr=False)


# ---- small parsers (pure, tested directly) ---------------------------------------------


def _number(value: Any) -> float | None:
    """A finite float from a number or numeric string; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse_retry_after(value: str, now: datetime) -> float | None:
    """``Retry-After``: delta seconds or an HTTP date; seconds to wait from ``now``."""
    seconds = _number(value.strip())
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def parse_rate_limit_reset(value: str, now: datetime) -> float | None:
    """``X-RateLimit-Reset``: epoch milliseconds (OpenRouter); seconds to wait from ``now``.

    Epoch seconds and small delta-seconds values are accepted too.
    """
    number = _number(str(value).strip())
    if number is None:
        return None
    if number > 1e11:  # epoch milliseconds
        return max(number / 1000.0 - now.timestamp(), 0.0)
    if number > 1e9:  # epoch seconds
        return max(number - now.timestamp(), 0.0)
    return max(number, 0.0)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    """Case-insensitive lookup in a plain mapping (``error.metadata.headers``)."""
    lowered = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == lowered and value is not None:
            return str(value)
    return None


def rate_limit_wait(
    headers: Mapping[str, Any], metadata: Mapping[str, Any] | None, now: datetime
) -> tuple[float | None, str | None]:
    """The server's requested wait for a 429 and where it came from."""
    sources: list[Mapping[str, Any]] = [headers]
    meta_headers = (metadata or {}).get("headers")
    if isinstance(meta_headers, Mapping):
        sources.append(meta_headers)
    for source in sources:
        for name, parse in (
            ("Retry-After", parse_retry_after),
            ("X-RateLimit-Reset", parse_rate_limit_reset),
        ):
            value = _header(source, name)
            wait = parse(value, now) if value is not None else None
            if wait is not None:
                return wait, name
    return None, None


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _exception_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


# ---- transports --------------------------------------------------------------------------


class BlockingTransport(httpx.AsyncBaseTransport):
    """An async transport that runs httpx's synchronous one, blocking the loop meanwhile.

    Made for the one-shot CLI, which does one request at a time: it spares the import of
    anyio and httpcore's async machinery (tens of milliseconds per run). Timeouts still
    apply. The UI uses httpx's default async transport instead.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._sync = httpx.HTTPTransport(**kwargs)

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
        response = self._sync.handle_request(request)
        try:
            body = response.read()
        finally:
            response.close()
        extensions = {k: v for k, v in response.extensions.items() if k != "network_stream"}
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, extensions=extensions
        )

    async def aclose(self) -> None:
        self._sync.close()


# ---- the client ------------------------------------------------------------------------


class GenerationClient:
    """Looks up generations and the key: exactly one HTTP request per call."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        """Raises :class:`ConfigError` for a bad base URL, or a key bound for plain http
        to a host that is not loopback."""
        from inspector.infra.config import base_url as configured_base_url

        self.base_url = configured_base_url(base_url)
        self._key = (api_key or "").strip() or None
        self._check_config()
        self._now = now
        self._http = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def _check_config(self) -> None:
        try:
            url = httpx.URL(self.base_url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise ConfigError(f"the base URL {self.base_url!r} is not a URL ({exc})") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigError(
                f"the base URL must start with https:// (or http:// for a local server), "
                f"got {self.base_url!r}"
            )
        if self._key and url.scheme == "http" and not _is_loopback(url.host):
            raise ConfigError(
                f"refusing to send the API key over plain http:// to {url.host}: "
                "use https://, or http:// only to this machine (localhost, 127.0.0.1, ::1)"
            )
        if self._key and not (self._key.isascii() and self._key.isprintable()):
            raise ConfigError("the API key contains characters that cannot be sent in a header")

    @property
    def has_key(self) -> bool:
        """Whether requests carry an ``Authorization`` header."""
        return self._key is not None

    def __repr__(self) -> str:
        return f"GenerationClient(base_url={self.base_url!r}, key={'set' if self._key else 'none'})"

    async def __aenter__(self) -> GenerationClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    # ---- public calls ------------------------------------------------------------------

    async def get_generation(self, gen_id: str) -> FetchResult:
        """``GET /generation?id=…``: the record, or one typed error (see module docs)."""
        response = await self._request("/generation", {"id": gen_id})
        if response.status_code != 200:
            raise self._api_error(response, gen_id)
        return FetchResult(raw=self._data_object(response))

    async def get_key_info(self) -> KeyInfo:
        """``GET /key``: what OpenRouter knows of the key; 401 -> :class:`AuthError`."""
        response = await self._request("/key", None)
        if response.status_code != 200:
            raise self._api_error(response, None)
        data = self._data_object(response)
        label = data.get("label")
        free = data.get("is_free_tier")
        return KeyInfo(
            label=label if isinstance(label, str) else None,
            limit=_number(data.get("limit")),
            limit_remaining=_number(data.get("limit_remaining")),
            usage=_number(data.get("usage")),
            is_free_tier=free if isinstance(free, bool) else None,
            raw=data,
        )

    # ---- internals ---------------------------------------------------------------------

    async def _request(self, path: str, params: dict[str, str] | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        try:
            return await self._http.get(f"{self.base_url}{path}", params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise self._network_error(exc) from None
        except OSError as exc:  # defensive: anything below httpx that it did not wrap
            raise NetworkError(self._scrub(f"network failure: {exc}"), kind="network") from None

    def _network_error(self, exc: httpx.HTTPError) -> NetworkError:
        """Name the failure: dns, connect, tls, timeout, reset, truncated or network."""
        where = httpx.URL(self.base_url).netloc.decode("ascii", "replace")
        chain = _exception_chain(exc)
        text = next((str(e) for e in chain if str(e)), type(exc).__name__)
        if isinstance(exc, httpx.TimeoutException):
            phase = {
                httpx.ConnectTimeout: "connecting to",
                httpx.ReadTimeout: "waiting for the answer from",
                httpx.WriteTimeout: "sending the request to",
                httpx.PoolTimeout: "waiting for a free connection to",
            }.get(type(exc), "talking to")
            kind, summary = "timeout", f"timed out {phase} {where}"
        elif any(isinstance(e, socket.gaierror) for e in chain) or _looks_like_dns(text):
            kind, summary = "dns", f"could not resolve the host name of {where} ({text})"
        elif any(isinstance(e, ssl.SSLError) for e in chain):
            kind, summary = "tls", f"TLS handshake with {where} failed ({text})"
        elif isinstance(exc, httpx.ConnectError):
            kind, summary = "connect", f"could not connect to {where} ({text})"
        elif isinstance(exc, httpx.RemoteProtocolError) and "complete message body" in text:
            kind, summary = "truncated", f"the answer from {where} was cut off ({text})"
        elif isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
            kind, summary = "reset", f"the connection to {where} was closed or reset ({text})"
        else:
            kind, summary = "network", f"network failure talking to {where} ({text})"
        return NetworkError(self._scrub(summary), kind=kind)

    def _data_object(self, response: httpx.Response) -> dict[str, Any]:
        """The ``data`` object of a 200, or :class:`InvalidResponseError`."""
        try:
            payload = json.loads(response.content)
        except ValueError:
            payload = None
            problem = "the body is not JSON"
        else:
            problem = "the body is JSON without a `data` object"
        if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
            return payload["data"]
        info = self._error_info(response, force_text=True)
        detail = error_detail(info)
        raise InvalidResponseError(
            self._scrub(f"200 Unexpected answer: {problem} ({detail})"), info=info
        )

    def _error_info(self, response: httpx.Response, *, force_text: bool = False) -> ErrorInfo:
        from inspector.core.models import ErrorInfo, parse_error_body

        content_type = response.headers.get("content-type", "")
        if force_text:
            text = response.content[:2048].decode("utf-8", errors="replace")
            info = ErrorInfo(
                status=response.status_code,
                content_type=content_type,
                body_start=text,
                is_json=False,
            )
        else:
            info = parse_error_body(response.status_code, content_type, response.content)
        if self._key and (self._key in info.message or self._key in info.body_start):
            info = info.model_copy(
                update={
                    "message": self._scrub(info.message),
                    "body_start": self._scrub(info.body_start),
                }
            )
        return info

    def _api_error(self, response: httpx.Response, gen_id: str | None) -> InspectorError:
        """Turn a non-200 answer into its typed error."""
        status = response.status_code
        info = self._error_info(response)
        detail = error_detail(info) or response.reason_phrase
        if status == 404 and not info.is_json:
            return InvalidResponseError(
                self._scrub(
                    f"404 from {self.base_url}: not OpenRouter's API ({detail}); check the base URL"
                ),
                info=info,
            )
        if status == 404 and gen_id is not None:
            # Whether a young id is "not indexed yet" is the domain's rule
            # (inspector.core.pending), applied by the lookup: here it is just a 404.
            return NotFoundError(self._scrub(f"404 Not found: {detail}"), info=info)
        if status == 429:
            wait, source = rate_limit_wait(response.headers, info.metadata, self._now())
            after = f" (retry after {_seconds(wait)})" if wait is not None else ""
            return RateLimitedError(
                self._scrub(f"429 Rate limited: {detail}{after}"),
                info=info,
                retry_after=wait,
                retry_after_source=source,
            )
        cls = _STATUS_ERRORS.get(status)
        if cls is None:
            if 500 <= status <= 599:
                cls = UpstreamError
            elif 300 <= status <= 399 or 200 <= status <= 299:
                cls = InvalidResponseError
                where = response.headers.get("location")
                detail = f"{detail} (redirect to {where})" if where else detail
            else:
                cls = ApiError
        return cls(self._scrub(f"{status} {cls.title}: {detail}"), info=info)

    def _scrub(self, text: str) -> str:
        """Never let the key into a message, even if a server echoes it."""
        return text.replace(self._key, _MASK) if self._key else text


def _seconds(value: float) -> str:
    """``0.2 s``, ``7 s``: a wait as people read it."""
    return f"{value:.1f} s" if value < 10 and not float(value).is_integer() else f"{value:.0f} s"


def _looks_like_dns(text: str) -> bool:
    lowered = text.lower()
    return any(
        marker in lowered
        for marker in (
            "name or service not known",
            "nodename nor servname",
            "temporary failure in name resolution",
            "getaddrinfo failed",
            "no address associated",
        )
    )


_STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthError,
    402: PaymentError,
    403: ForbiddenError,
    404: NotFoundError,
}
