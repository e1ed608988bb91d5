"""Async client for ``GET /generation``, ``GET /key`` and the model listings (``GET /models``,
``GET /models/{author}/{slug}/endpoints``): one typed error per case.

The client makes exactly one request per call and never retries (that is
:mod:`inspector.core.retry` and :mod:`inspector.app.lookup`). What each call promises:

- **one deadline**: ``timeout`` bounds the whole attempt — connecting, the proxy tunnel,
  TLS, sending and every read of the answer (:mod:`.deadline`); past it, a
  :class:`NetworkError` of kind ``"timeout"`` whose message names the deadline;
- **bounded bodies**: gzip/deflate (and brotli when installed) are decoded once, and a body
  over :data:`.body.MAX_BODY_BYTES` once decoded is refused ("answer too large") without
  ever being held whole;
- **proxies** from ``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` on every transport, and never a
  plain-http request through one (:mod:`.proxy`);
- **strict JSON out**: records are read by :mod:`inspector.core.jsonsafe` (no ``NaN``, no
  nesting past its limit, big ints kept);
- **no secrets out**: the key and the base URL's credentials are masked in every message
  and every string of every record returned (:mod:`.redact`); ``display_base_url`` is the
  base URL as it may be shown;
- redirects are not followed (a 3xx is an :class:`InvalidResponseError`).

Import cost matters for the one-shot CLI: the models are imported only when a
``Generation`` is asked for or an error body is parsed, so ``get --json`` never pays for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from inspector import __version__
from inspector.core.error_body import ErrorInfo
from inspector.core.errors import (
    ConfigError,
    InspectorError,
    InvalidResponseError,
    MalformedIdError,
)
from inspector.core.ids import utc_now
from inspector.core.urls import display_url
from inspector.infra.http import deadline
from inspector.infra.http.body import ACCEPT_ENCODING, BodyError, read_body
from inspector.infra.http.errors import Answer, api_error, network_error
from inspector.infra.http.proxy import is_loopback, select_proxy
from inspector.infra.http.ratelimit import finite_number
from inspector.infra.http.record import FetchResult, KeyInfo, read_data_list, read_data_object
from inspector.infra.http.redact import Redactor

if TYPE_CHECKING:
    from types import TracebackType


__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "FetchResult",
    "GenerationClient",
    "KeyInfo",
    "read_data_list",
    "read_data_object",
]

USER_AGENT = f"orinspect/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""30 s for the whole attempt, at most 10 of them connecting."""

_SAFETY_MARGIN = 0.5  # the event-loop timer behind the socket deadline (see _attempt)


class GenerationClient:
    """Looks up generations and the key: exactly one HTTP request per call.

    ``timeout``: seconds for the whole attempt, or an :class:`httpx.Timeout` whose parts
    bound each phase and whose largest part is the deadline (see :mod:`.deadline`).
    ``transport``: httpx's async one with this module's rules when None (the CLI batch),
    or e.g. :class:`~inspector.infra.http.transport.ThreadedTransport` (the app and the
    CLI's other commands). ``env``: where
    proxy settings are read (``os.environ`` by default).
    """

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        now: Callable[[], datetime] = utc_now,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Raises :class:`ConfigError` for a bad base URL, timeout or proxy setting, and for
        a key or password bound for plain http to a host that is not loopback."""
        from inspector.infra.config import base_url as configured_base_url

        self.base_url = configured_base_url(base_url)
        """The base URL as configured (it may hold credentials: show ``display_base_url``)."""
        self.display_base_url = display_url(self.base_url)
        """The base URL as it may be printed, logged or stored: credentials masked."""
        self._key = (api_key or "").strip() or None
        url = self._check_url()
        self._redactor = Redactor(self._key, url)
        self._request_base = str(url.copy_with(username=None, password=None)).rstrip("/")
        # Credentials in the URL go as Basic auth when there is no key (a gateway that adds
        # its own); with a key, the key is the Authorization and they are not sent.
        self._auth: httpx.Auth | None = None
        if not self._key and url.userinfo:
            self._auth = httpx.BasicAuth(url.username, url.password)
        self._check_key()
        try:
            self.deadline = deadline.attempt_seconds(timeout)
            """Seconds one attempt may take, start to last byte (None: unbounded)."""
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        proxy = select_proxy(
            httpx.URL(self._request_base + "/generation"), env
        )  # ConfigError for a bad setting
        self.proxy = display_url(str(proxy)) if proxy is not None else None
        """The proxy requests go through (display form), or None when they go direct."""
        self._now = now
        if transport is None:
            from inspector.infra.http.async_transport import AsyncTransport

            transport = AsyncTransport(env=env)
        self._http = httpx.AsyncClient(
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # proxies and the rest are the transports' (see .proxy)
        )

    def _check_url(self) -> httpx.URL:
        shown = self.display_base_url
        try:
            url = httpx.URL(self.base_url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            # The parser's words may quote the URL: only when it holds no credentials.
            reason = f" ({exc})" if shown == self.base_url else ""
            raise ConfigError(f"the base URL {shown!r} is not a URL{reason}") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigError(
                f"the base URL must start with https:// (or http:// for a local server), "
                f"got {shown!r}"
            )
        secret = "the API key" if self._key else "credentials" if url.userinfo else None
        if secret and url.scheme == "http" and not is_loopback(url.host):
            raise ConfigError(
                f"refusing to send {secret} over plain http:// to {url.host}: "
                "use https://, or http:// only to this machine (localhost, 127.0.0.1, ::1)"
            )
        return url

    def _check_key(self) -> None:
        if self._key and not (self._key.isascii() and self._key.isprintable()):
            raise ConfigError("the API key contains characters that cannot be sent in a header")

    @property
    def has_key(self) -> bool:
        """Whether requests carry an ``Authorization`` header."""
        return self._key is not None

    def __repr__(self) -> str:
        key = "set" if self._key else "none"
        return f"GenerationClient(base_url={self.display_base_url!r}, key={key})"

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
        answer = await self._attempt("/generation", {"id": gen_id})
        if answer.status != 200:
            raise self._api_error(answer)
        return FetchResult(raw=read_data_object(answer, self._redactor))

    async def list_models(self) -> list[Any]:
        """``GET /models?output_modalities=all``: every listed model (the ``data`` list)."""
        answer = await self._attempt("/models", {"output_modalities": "all"})
        if answer.status != 200:
            raise self._api_error(answer)
        return read_data_list(answer, self._redactor)

    async def get_model_endpoints(self, model_id: str) -> dict[str, Any]:
        """``GET /models/{author}/{slug}/endpoints`` (``model_id`` is the ``/models`` id):
        the ``data`` object; a model no longer listed is a :class:`NotFoundError`."""
        parts = model_id.split("/")
        if len(parts) != 2 or any(part in ("", ".", "..") for part in parts):
            raise InvalidResponseError(f"not a model id: {model_id!r}")
        path = "/models/" + "/".join(quote(part, safe="") for part in parts) + "/endpoints"
        answer = await self._attempt(path, None)
        if answer.status != 200:
            raise self._api_error(answer)
        return read_data_object(answer, self._redactor)

    async def get_key_info(self) -> KeyInfo:
        """``GET /key``: what OpenRouter knows of the key; 401 -> :class:`AuthError`."""
        answer = await self._attempt("/key", None)
        if answer.status != 200:
            raise self._api_error(answer)
        data = read_data_object(answer, self._redactor)
        label = data.get("label")
        free = data.get("is_free_tier")
        return KeyInfo(
            label=label if isinstance(label, str) else None,
            limit=finite_number(data.get("limit")),
            limit_remaining=finite_number(data.get("limit_remaining")),
            usage=finite_number(data.get("usage")),
            is_free_tier=free if isinstance(free, bool) else None,
            raw=data,
        )

    # ---- internals ---------------------------------------------------------------------

    def _api_error(self, answer: Answer) -> InspectorError:
        return api_error(
            answer, redactor=self._redactor, base_url=self.display_base_url, now=self._now()
        )

    async def _attempt(self, path: str, params: dict[str, str] | None) -> Answer:
        """One request and its whole body, within the deadline."""
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        answering = False
        with deadline.window(self.deadline):
            try:
                # The transports end each socket operation by the deadline; this timer is
                # the safety net for what no socket timeout reaches (a resolver that never
                # answers) and for any other transport.
                async with asyncio.timeout(self._net_seconds()):
                    request = self._build_request(path, params, headers)
                    response = await self._http.send(request, stream=True, auth=self._auth)
                    answering = True
                    try:
                        length = finite_number(response.headers.get("content-length"))
                        body = await read_body(
                            response.aiter_raw(),
                            response.headers.get("content-encoding", ""),
                            content_length=int(length) if length is not None else None,
                        )
                    finally:
                        await response.aclose()
            except (httpx.HTTPError, TimeoutError) as exc:
                raise self._network_error(exc, answering) from None
            except BodyError as exc:
                raise self._body_error(response, str(exc)) from None
            except OSError as exc:  # defensive: anything below httpx that it did not wrap
                summary = self._redactor.text(f"network failure: {exc}")
                raise self._network_error(httpx.NetworkError(summary), answering) from None
        return Answer(response.status_code, response.reason_phrase, response.headers, body)

    def _build_request(
        self, path: str, params: dict[str, str] | None, headers: dict[str, str]
    ) -> httpx.Request:
        url = f"{self._request_base}{path}"
        try:
            return self._http.build_request("GET", url, params=params, headers=headers)
        except httpx.InvalidURL:  # only the id can be at fault: the base URL was checked
            size = sum(len(value) for value in (params or {}).values())
            raise MalformedIdError(
                f"the id is too long to be sent ({size:,} characters; a generation id has "
                "about 40), so nothing was looked up"
            ) from None

    def _net_seconds(self) -> float | None:
        return None if self.deadline is None else self.deadline + _SAFETY_MARGIN

    def _network_error(self, exc: BaseException, answering: bool) -> InspectorError:
        where = httpx.URL(self._request_base).netloc.decode("ascii", "replace")
        return network_error(
            exc,
            where=where,
            redactor=self._redactor,
            deadline=self.deadline,
            expired=deadline.expired() or isinstance(exc, TimeoutError),
            answering=answering,
            proxy=self.proxy,
        )

    def _body_error(self, response: httpx.Response, problem: str) -> InspectorError:
        info = ErrorInfo(
            status=response.status_code,
            content_type=response.headers.get("content-type", ""),
            is_json=False,
        )
        summary = f"{response.status_code} Unexpected answer: {problem}"
        return InvalidResponseError(self._redactor.text(summary), info=info)
