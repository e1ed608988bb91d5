"""The network edge's public names, kept where callers import them from.

The implementation lives in :mod:`inspector.infra.http` (one module per concern); see
:mod:`inspector.infra.http.client` for what a call promises.
"""

from __future__ import annotations

from inspector.core.ids import utc_now
from inspector.infra.http.body import MAX_BODY_BYTES
from inspector.infra.http.client import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    FetchResult,
    GenerationClient,
    KeyInfo,
)
from inspector.infra.http.ratelimit import (
    parse_rate_limit_reset,
    parse_retry_after,
    rate_limit_wait,
)
from inspector.infra.http.transport import ThreadedTransport

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BODY_BYTES",
    "USER_AGENT",
    "FetchResult",
    "GenerationClient",
    "KeyInfo",
    "ThreadedTransport",
    "parse_rate_limit_reset",
    "parse_retry_after",
    "rate_limit_wait",
    "utc_now",
]
