"""An HTTP answer that is not the record, or a network failure, as one typed error.

Every message goes through the client's :class:`.redact.Redactor` and names the server by
its display form only (no credentials). What a 404 on a young id means is not decided here
(:mod:`inspector.core.pending`): a 404 is a :class:`NotFoundError`.
"""

from __future__ import annotations

import copy
import dataclasses
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from inspector.core.error_body import ErrorInfo, parse_error_body
from inspector.core.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ForbiddenError,
    InspectorError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    PaymentError,
    RateLimitedError,
    UpstreamError,
)
from inspector.core.jsonsafe import sanitize
from inspector.core.retry import error_detail
from inspector.infra.http.ratelimit import rate_limit_wait
from inspector.infra.http.redact import Redactor

__all__ = ["Answer", "api_error", "error_info", "network_error", "seconds_text"]

BODY_START = 2048  # characters of a body shown when it is not OpenRouter's JSON


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status, headers and the decoded body."""

    status: int
    reason: str
    headers: httpx.Headers
    body: bytes | bytearray

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def error_info(answer: Answer, redactor: Redactor, *, as_text: bool = False) -> ErrorInfo:
    """What the body says, secrets masked; ``as_text`` shows it as text whatever it is."""
    if as_text:
        start = bytes(answer.body[: BODY_START * 4]).decode("utf-8", errors="replace")
        info = ErrorInfo(
            status=answer.status,
            content_type=answer.content_type,
            body_start=start[:BODY_START],
            is_json=False,
        )
    else:
        info = parse_error_body(answer.status, answer.content_type, bytes(answer.body[:65536]))
    if not redactor:
        return info
    update: dict[str, Any] = {
        "message": redactor.text(info.message),
        "body_start": redactor.text(info.body_start),
    }
    if info.metadata is not None:  # e.g. the request's headers, copied back by a proxy
        update["metadata"] = sanitize(copy.deepcopy(info.metadata), replace=redactor.text)
    return dataclasses.replace(info, **update)


def api_error(
    answer: Answer,
    *,
    redactor: Redactor,
    base_url: str,
    now: datetime,
) -> InspectorError:
    """Turn a non-200 answer into its typed error (``base_url``: the display form)."""
    status = answer.status
    info = error_info(answer, redactor)
    detail = error_detail(info) or answer.reason
    if status == 404 and not info.is_json:
        summary = f"404 from {base_url}: not OpenRouter's API ({detail}); check the base URL"
        return InvalidResponseError(redactor.text(summary), info=info)
    if status == 429:
        wait, source = rate_limit_wait(answer.headers, info.metadata, now)
        after = f" (retry after {seconds_text(wait)})" if wait is not None else ""
        return RateLimitedError(
            redactor.text(f"429 Rate limited: {detail}{after}"),
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
            where = answer.headers.get("location")
            detail = f"{detail} (redirect to {where})" if where else detail
        else:
            cls = ApiError
    return cls(redactor.text(f"{status} {cls.title}: {detail}"), info=info)


def network_error(
    exc: BaseException,
    *,
    where: str,
    redactor: Redactor,
    deadline: float | None,
    expired: bool,
    answering: bool,
    proxy: str | None = None,
) -> NetworkError:
    """Name the failure: dns, connect, proxy, tls, timeout, reset, truncated or network.

    ``where`` is ``host:port``; ``deadline`` the attempt's seconds; ``expired`` whether it
    had passed; ``answering`` whether the answer's headers had arrived; ``proxy`` the
    display form of the proxy in use.
    """
    chain = _exception_chain(exc)
    text = next((str(e) for e in chain if str(e)), type(exc).__name__)
    via = f" via the proxy {proxy}" if proxy else ""
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        if answering:
            phase = "reading the answer from"
        else:
            phases: dict[type[BaseException], str] = {
                httpx.ConnectTimeout: "connecting to",
                httpx.WriteTimeout: "sending the request to",
                httpx.PoolTimeout: "waiting for a free connection to",
            }
            phase = phases.get(type(exc), "waiting for the answer from")
        if expired and deadline is not None:
            limit = f": the {seconds_text(deadline)} deadline for the whole request passed"
        else:
            limit = ""
        kind, summary = "timeout", f"timed out {phase} {where}{via}{limit}"
    elif isinstance(exc, httpx.ProxyError):
        kind, summary = "proxy", f"the proxy {proxy or ''} refused to connect to {where} ({text})"
    elif any(isinstance(e, socket.gaierror) for e in chain) or _looks_like_dns(text):
        kind, summary = "dns", f"could not resolve the host name of {where}{via} ({text})"
    elif any(isinstance(e, ssl.SSLError) for e in chain):
        kind, summary = "tls", f"TLS handshake with {where}{via} failed ({text})"
    elif isinstance(exc, httpx.ConnectError):
        kind, summary = "connect", f"could not connect to {where}{via} ({text})"
    elif isinstance(exc, httpx.RemoteProtocolError) and "complete message body" in text:
        kind, summary = "truncated", f"the answer from {where} was cut off ({text})"
    elif isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        kind, summary = "reset", f"the connection to {where}{via} was closed or reset ({text})"
    else:
        kind, summary = "network", f"network failure talking to {where}{via} ({text})"
    return NetworkError(redactor.text(summary), kind=kind)


def seconds_text(value: float) -> str:
    """``0.2 s``, ``7 s``: a wait as people read it."""
    return f"{value:.1f} s" if value < 10 and not float(value).is_integer() else f"{value:.0f} s"


def _exception_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


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
