"""Typed failures of a lookup: one class per case the user must act on differently.

Messages never contain the API key. Each error carries ``status`` (HTTP status or None)
and a one-line ``summary`` in plain language; the UI and the CLI add the next step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: keeps the models out of the CLI's fast path
    from inspector.core.error_body import ErrorInfo


class InspectorError(Exception):
    """Base of every error the core raises on purpose."""

    status: int | None = None
    title: str = "Error"

    def __init__(self, summary: str, *, info: ErrorInfo | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.info = info
        if info is not None:
            self.status = info.status


class MalformedIdError(InspectorError):
    """The text is not a generation id (or is a request id); nothing was sent."""

    title = "Not a generation id"


class ConfigError(InspectorError):
    """Bad configuration, e.g. a key about to be sent over plain http to a remote host."""

    title = "Configuration"


class MissingKeyError(InspectorError):
    """No API key anywhere (environment, keyring, session): nothing was sent."""

    title = "No API key"

    def __init__(self, summary: str = "no API key", *, problem: str | None = None) -> None:
        super().__init__(summary)
        self.problem = problem  # why the keyring could not help, if it could not


class ApiError(InspectorError):
    """Any answer from the API that is not the record."""

    title = "API error"


class BadRequestError(ApiError):
    status = 400
    title = "Bad request"


class AuthError(ApiError):
    """401: no key, or the key was rejected (revoked, deleted, mistyped)."""

    status = 401
    title = "Key rejected"


class PaymentError(ApiError):
    status = 402
    title = "Payment required"


class ForbiddenError(ApiError):
    status = 403
    title = "Forbidden"


class NotFoundError(ApiError):
    """404 on an id old enough that it should have been indexed."""

    status = 404
    title = "Not found"


class PendingError(NotFoundError):
    """404 on a young id: not indexed yet. ``age`` is the id's age in seconds, if known.

    Made by :func:`inspector.core.pending.not_found_error`, never by the client.
    """

    title = "Not indexed yet"

    def __init__(
        self, summary: str, *, info: ErrorInfo | None = None, age: float | None = None
    ) -> None:
        super().__init__(summary, info=info)
        self.age = age


class FutureIdError(NotFoundError):
    """404 on an id stamped in the future (clock skew, a mistyped digit): never polled.

    ``age`` is negative: how far ahead of this machine's clock the id's time is.
    """

    title = "Not found"

    def __init__(self, summary: str, *, info: ErrorInfo | None = None, age: float) -> None:
        super().__init__(summary, info=info)
        self.age = age


class LookupCancelled(InspectorError):
    """The person (or a signal) stopped the lookup. Shown, never recorded."""

    title = "Cancelled"

    def __init__(self, gen_id: str) -> None:
        super().__init__(f"the lookup of {gen_id} was cancelled")
        self.gen_id = gen_id


class RateLimitedError(ApiError):
    """429. ``retry_after`` is the server's requested wait in seconds, if it gave one."""

    status = 429
    title = "Rate limited"

    def __init__(
        self,
        summary: str,
        *,
        info: ErrorInfo | None = None,
        retry_after: float | None = None,
        retry_after_source: str | None = None,
    ) -> None:
        super().__init__(summary, info=info)
        self.retry_after = retry_after
        self.retry_after_source = retry_after_source  # "Retry-After" / "X-RateLimit-Reset"


class UpstreamError(ApiError):
    """500, 502, 503, 524, 529 and other 5xx, JSON or not."""

    title = "Server error"


class InvalidResponseError(ApiError):
    """An answer that is not OpenRouter's documented JSON (non-JSON body, wrong shape)."""

    title = "Unexpected answer"


class NetworkError(InspectorError):
    """DNS, connect, TLS, timeout, reset mid-body: no complete HTTP answer."""

    title = "Network error"

    def __init__(self, summary: str, *, kind: str = "network") -> None:
        super().__init__(summary)
        self.kind = kind  # "dns" | "connect" | "timeout" | "reset" | "network"
