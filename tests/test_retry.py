"""The retry policy: pure decisions, deterministic with a seeded rng (no sleeping here)."""

from __future__ import annotations

import random

import pytest

from inspector.core.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConfigError,
    ForbiddenError,
    InspectorError,
    InvalidResponseError,
    MalformedIdError,
    NetworkError,
    NotFoundError,
    PaymentError,
    PendingError,
    RateLimitedError,
    UpstreamError,
)
from inspector.core.models import ErrorInfo
from inspector.core.pending import YOUNG_FOR
from inspector.core.retry import RetryDecision, RetryPolicy, describe_error, error_detail


def _info(status: int, message: str = "", **kw: object) -> ErrorInfo:
    return ErrorInfo(status=status, message=message, **kw)  # type: ignore[arg-type]


def rate_limited(wait: float | None, source: str | None = "Retry-After") -> RateLimitedError:
    return RateLimitedError(
        "429 Rate limited: Rate limit exceeded",
        info=_info(429, "Rate limit exceeded"),
        retry_after=wait,
        retry_after_source=source if wait is not None else None,
    )


def upstream(status: int = 502) -> UpstreamError:
    return UpstreamError(f"{status} Server error", info=_info(status, "Provider returned error"))


def pending(age: float | None = 5.0) -> PendingError:
    return PendingError("404 Not indexed yet", info=_info(404, "Generation x not found"), age=age)


def must(decision: RetryDecision | None) -> RetryDecision:
    """The decision, which must be a retry (not final)."""
    assert decision is not None
    return decision


def no_jitter(**kw: object) -> RetryPolicy:
    return RetryPolicy(jitter=0.0, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        NotFoundError("404 Not found", info=_info(404, "Generation x not found")),
        BadRequestError("400", info=_info(400, "ZodError: bad id")),
        AuthError("401", info=_info(401, "User not found.")),
        PaymentError("402", info=_info(402, "Insufficient credits")),
        ForbiddenError("403", info=_info(403, "Forbidden")),
        ApiError("405", info=_info(405, "Method not allowed")),
        MalformedIdError("not an id"),
        ConfigError("refusing to send the key over http"),
        InvalidResponseError("404 not the API", info=_info(404, is_json=False)),
    ],
)
def test_final_at_once(error: InspectorError) -> None:
    assert RetryPolicy().decide(error, 1, id_age=5.0) is None


def test_429_honours_retry_after_and_announces_it() -> None:
    decision = no_jitter().decide(rate_limited(7.0), 1, id_age=None)
    assert decision == RetryDecision(
        delay=7.0,
        attempt=2,
        max_attempts=5,
        kind="retry",
        reason="Rate limited (429): Rate limit exceeded",
        status=429,
        source="Retry-After",
        deadline_age=None,
    )
    assert decision.describe() == (
        "retrying in 7.0 s (attempt 2 of 5, Retry-After): Rate limited (429): Rate limit exceeded"
    )


def test_429_wait_is_capped_and_jitter_never_shortens_it() -> None:
    assert no_jitter().decide(rate_limited(3600.0), 1, None).delay == 60.0
    policy = RetryPolicy(jitter=0.5, rng=random.Random(1))
    delays = [must(policy.decide(rate_limited(10.0), 1, None)).delay for _ in range(50)]
    assert all(10.0 <= d <= 15.0 for d in delays)
    assert len(set(delays)) > 1
    reset = no_jitter().decide(rate_limited(2.0, "X-RateLimit-Reset"), 2, None)
    assert reset is not None and reset.source == "X-RateLimit-Reset" and reset.attempt == 3


def test_429_without_a_wait_backs_off_exponentially() -> None:
    policy = no_jitter()
    delays = [must(policy.decide(rate_limited(None), n, None)).delay for n in (1, 2, 3, 4)]
    assert delays == [0.5, 1.0, 2.0, 4.0]
    assert policy.decide(rate_limited(None), 5, None) is None
    assert policy.decide(rate_limited(1.0), 5, None) is None


@pytest.mark.parametrize(
    "error",
    [
        upstream(500),
        upstream(502),
        upstream(503),
        upstream(524),
        upstream(529),
        NetworkError("timed out", kind="timeout"),
        NetworkError("reset", kind="reset"),
        NetworkError("dns", kind="dns"),
    ],
)
def test_upstream_and_network_back_off_a_few_times(error: InspectorError) -> None:
    policy = no_jitter()
    decisions = [policy.decide(error, n, id_age=None) for n in range(1, 6)]
    assert [must(d).delay for d in decisions[:4]] == [0.5, 1.0, 2.0, 4.0]
    assert [must(d).attempt for d in decisions[:4]] == [2, 3, 4, 5]
    assert all(must(d).source == "backoff" and must(d).max_attempts == 5 for d in decisions[:4])
    assert decisions[4] is None


def test_backoff_is_capped_and_jittered_from_the_injected_rng() -> None:
    capped = RetryPolicy(jitter=0.0, max_attempts=20, max_delay=30.0)
    assert must(capped.decide(upstream(), 12, None)).delay == 30.0
    a = RetryPolicy(rng=random.Random(42))
    b = RetryPolicy(rng=random.Random(42))
    seq_a = [must(a.decide(upstream(), 3, None)).delay for _ in range(20)]
    seq_b = [must(b.decide(upstream(), 3, None)).delay for _ in range(20)]
    assert seq_a == seq_b
    assert all(1.8 <= d <= 2.2 for d in seq_a) and len(set(seq_a)) > 1


def test_invalid_200_is_retried_a_little() -> None:
    error = InvalidResponseError("200 not JSON", info=_info(200, is_json=False))
    policy = no_jitter()
    assert policy.decide(error, 1, None) is not None
    assert must(policy.decide(error, 2, None)).max_attempts == 3
    assert policy.decide(error, 3, None) is None


def test_pending_polls_with_growing_waits_until_fifteen_minutes() -> None:
    policy = RetryPolicy()
    delays = [must(policy.decide(pending(), n, id_age=5.0)).delay for n in range(1, 10)]
    assert delays == [1, 2, 4, 8, 15, 30, 30, 30, 30]
    decision = policy.decide(pending(), 3, id_age=20.0)
    assert decision is not None
    assert (decision.kind, decision.source, decision.max_attempts) == ("pending", "poll", None)
    assert decision.deadline_age == YOUNG_FOR == 900.0 and decision.attempt == 4
    assert decision.describe().startswith("not indexed yet, checking again in 4.0 s (poll 4)")
    # The last wait never overshoots the deadline; at the deadline it is final.
    assert must(policy.decide(pending(), 9, id_age=890.0)).delay == 10.0
    assert policy.decide(pending(), 9, id_age=900.0) is None
    # ... and never polls longer than pending_max_wait of wall-clock time.
    assert must(policy.decide(pending(), 9, id_age=5.0, elapsed=895.0)).delay == 5.0
    assert policy.decide(pending(), 9, id_age=5.0, elapsed=900.0) is None
    assert policy.decide(pending(age=None), 1, id_age=None) is None
    # Without an id age from the caller the error's own age is used.
    assert policy.decide(pending(age=30.0), 1, id_age=None) is not None


def test_scale_shrinks_every_wait() -> None:
    policy = RetryPolicy(jitter=0.0, scale=0.01)
    assert must(policy.decide(rate_limited(2.0), 1, None)).delay == pytest.approx(0.02)
    assert must(policy.decide(upstream(), 2, None)).delay == pytest.approx(0.01)
    assert must(policy.decide(pending(), 4, 5.0)).delay == pytest.approx(0.08)


def test_reasons_in_plain_words() -> None:
    html = ErrorInfo(
        status=502,
        content_type="text/html; charset=utf-8",
        body_start="<html>\n  <head><title>502 Bad Gateway</title>" + "x" * 500,
        is_json=False,
    )
    assert error_detail(html).startswith("text/html answer: <html> <head><title>502 Bad")
    assert len(error_detail(html)) < 160
    err = UpstreamError("502 Server error: …", info=html)
    assert describe_error(err).startswith("Server error (502): text/html answer:")
    net = NetworkError("timed out waiting for the answer", kind="timeout")
    assert describe_error(net) == "Network error (timeout): timed out waiting for the answer"
    empty = ErrorInfo(status=524, is_json=False)
    assert error_detail(empty) == "no content type answer, empty body"


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(pending_schedule=())
