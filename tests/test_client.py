"""The client against the real local server: one typed error per case, one request per call."""

from __future__ import annotations

import dataclasses
import email.utils
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

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
from inspector.core.ids import make_id
from inspector.infra.client import (
    FetchResult,
    GenerationClient,
    ThreadedTransport,
    parse_rate_limit_reset,
    parse_retry_after,
    rate_limit_wait,
)
from inspector.testserver import TEST_KEY, FakeOpenRouter, Scenario, Step, catalog
from inspector.testserver.server import error_body, rate_limit_body

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
Transport = Callable[[], httpx.AsyncBaseTransport | None]
TRANSPORTS: dict[str, Transport] = {
    "async": lambda: None,
    "threaded": ThreadedTransport,
}


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> Transport:
    """Each test runs with httpx's async transport (the CLI batch's) and with the threaded
    one (the app's and the other commands')."""
    return TRANSPORTS[request.param]


def client_for(
    server: FakeOpenRouter, transport: Transport, key: str | None = TEST_KEY, **kw: Any
) -> GenerationClient:
    return GenerationClient(key, server.base_url, transport=transport(), **kw)


async def fetch_error(client: GenerationClient, gen_id: str) -> InspectorError:
    async with client:
        with pytest.raises(InspectorError) as caught:
            await client.get_generation(gen_id)
    return caught.value


# ---- success ---------------------------------------------------------------------------


async def test_record_as_received_and_one_polite_request(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    async with client_for(fake_server, transport) as client:
        result = await client.get_generation(catalog.FALLBACK_ID)
    assert result.raw == fake_server.record(catalog.FALLBACK_ID)
    assert list(result.raw) == list(fake_server.record(catalog.FALLBACK_ID) or {})
    assert result.generation.model == "moonshotai/kimi-k2-0905"
    assert result.generation.fallback_count == 2
    assert fake_server.count(catalog.FALLBACK_ID) == 1
    request = fake_server.requests[-1]
    assert request.path == "/api/v1/generation"
    assert request.query == {"id": catalog.FALLBACK_ID}
    assert request.authorized and request.user_agent == f"orinspect/{__version__}"


async def test_unknown_fields_and_quoted_numbers_kept(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    async with client_for(fake_server, transport) as client:
        result = await client.get_generation(catalog.FUTURE_FIELDS_ID)
    for key in catalog.FUTURE_EXTRA_KEYS:
        assert key in result.raw
    assert result.raw["total_cost"] == "1.8e-05"
    assert result.generation.total_cost == pytest.approx(1.8e-05)


def test_fetch_result_is_frozen_and_lazy() -> None:
    raw = {"id": "gen-1790983685-vELIl0vh5b8ltNURLhyU", "model": "m", "surprise": 1}
    result = FetchResult(raw=raw)
    assert result.generation.other_fields == {"surprise": 1}
    assert result.generation is result.generation
    assert FetchResult(result.generation, raw) == result
    with pytest.raises(AttributeError):
        result.raw = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        FetchResult()
    assert "surprise" not in repr(result)


async def test_key_info(fake_server: FakeOpenRouter, transport: Transport) -> None:
    async with client_for(fake_server, transport) as client:
        info = await client.get_key_info()
    assert info.raw == fake_server.key_info
    assert info.label == fake_server.key_info["label"]
    assert info.is_free_tier is fake_server.key_info.get("is_free_tier")
    assert fake_server.requests[-1].path == "/api/v1/key"


# ---- typed errors ----------------------------------------------------------------------

STATUS_CASES = [
    (catalog.BAD_REQUEST_ID, BadRequestError, 400, "ZodError: Invalid generation id"),
    (catalog.PAYMENT_REQUIRED_ID, PaymentError, 402, "Insufficient credits"),
    (catalog.FORBIDDEN_ID, ForbiddenError, 403, ""),
    (catalog.NOT_FOUND_ID, NotFoundError, 404, f"Generation {catalog.NOT_FOUND_ID} not found"),
    (catalog.SERVER_ERROR_ID, UpstreamError, 500, "Internal Server Error"),
    (catalog.UNAVAILABLE_ONCE_ID, UpstreamError, 503, ""),
    (catalog.OVERLOADED_ID, UpstreamError, 529, ""),
]


@pytest.mark.parametrize(("gen_id", "cls", "status", "message"), STATUS_CASES)
async def test_json_error_statuses(
    fake_server: FakeOpenRouter,
    transport: Transport,
    gen_id: str,
    cls: type[InspectorError],
    status: int,
    message: str,
) -> None:
    error = await fetch_error(client_for(fake_server, transport), gen_id)
    assert type(error) is cls
    assert error.status == status and error.info is not None and error.info.is_json
    assert error.info.message.startswith(message)
    assert error.summary.startswith(f"{status} {cls.title}: ")
    assert fake_server.count(gen_id) == 1


async def test_user_id_of_error_bodies_is_dropped(fake_server: FakeOpenRouter) -> None:
    client = client_for(fake_server, TRANSPORTS["async"])
    error = await fetch_error(client, catalog.PAYMENT_REQUIRED_ID)
    assert error.info is not None
    assert "user_" not in repr(dataclasses.asdict(error.info)) and "user_" not in str(error)


async def test_non_json_5xx_keeps_status_type_and_body_start(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    html = await fetch_error(client_for(fake_server, transport), catalog.BAD_GATEWAY_HTML_ID)
    assert isinstance(html, UpstreamError) and html.status == 502 and html.info is not None
    assert not html.info.is_json and html.info.content_type.startswith("text/html")
    assert html.info.body_start.lstrip().startswith("<") and len(html.info.body_start) <= 2048
    assert "text/html answer: <html>" in html.summary
    edge = await fetch_error(client_for(fake_server, transport), catalog.EDGE_TIMEOUT_ID)
    assert isinstance(edge, UpstreamError) and edge.status == 524 and edge.info is not None
    assert edge.info.body_start == "error code: 524"
    assert edge.summary == "524 Server error: text/plain answer: error code: 524"


async def test_404_on_a_young_id_is_a_plain_not_found(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    # Whether a young id is pending is the domain's rule (tests/test_pending*.py), applied by
    # the lookup: the client only maps the 404, whatever the id's age.
    young = fake_server.pending_id(polls=1)
    error = await fetch_error(client_for(fake_server, transport), young)
    assert type(error) is NotFoundError and error.status == 404
    assert error.summary == f"404 Not found: Generation {young} not found"


async def test_404_of_an_untimed_id_is_not_found(fake_server: FakeOpenRouter) -> None:
    error = await fetch_error(
        client_for(fake_server, TRANSPORTS["async"]), "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG"
    )
    assert isinstance(error, NotFoundError)


async def test_html_404_means_a_wrong_base_url(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    client = GenerationClient(TEST_KEY, fake_server.root_url, transport=transport())
    error = await fetch_error(client, catalog.CHAT_ID)
    assert isinstance(error, InvalidResponseError) and error.status == 404
    assert "check the base URL" in error.summary


@pytest.mark.parametrize(
    ("gen_id", "problem"),
    [
        (catalog.NON_JSON_ID, "not JSON"),
        (catalog.CUT_JSON_ID, "not JSON"),
        (catalog.NO_DATA_ID, "without a `data` object"),
    ],
)
async def test_200_that_is_not_the_documented_json(
    fake_server: FakeOpenRouter, transport: Transport, gen_id: str, problem: str
) -> None:
    error = await fetch_error(client_for(fake_server, transport), gen_id)
    assert isinstance(error, InvalidResponseError) and error.status == 200
    assert problem in error.summary and error.info is not None and error.info.body_start


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirects_are_not_followed(
    fake_server: FakeOpenRouter, transport: Transport, status: int
) -> None:
    gen_id = make_id(1790000105)
    elsewhere = f"{fake_server.base_url}/generation?id={catalog.CHAT_ID}"
    step = Step(status, b"", "text/plain", headers={"Location": elsewhere})
    fake_server.set_scenario(gen_id, Scenario(then=step))
    error = await fetch_error(client_for(fake_server, transport), gen_id)
    assert isinstance(error, InvalidResponseError) and error.status == status
    assert f"(redirect to {elsewhere})" in error.summary
    assert fake_server.count(gen_id) == 1 and fake_server.count(catalog.CHAT_ID) == 0


async def test_other_statuses_are_plain_api_errors(fake_server: FakeOpenRouter) -> None:
    gen_id = make_id(1790000100)
    fake_server.set_scenario(gen_id, Scenario(then=Step(409, error_body(409, "Conflict"))))
    error = await fetch_error(client_for(fake_server, TRANSPORTS["async"]), gen_id)
    assert type(error) is ApiError and error.status == 409


# ---- 429 -------------------------------------------------------------------------------


async def test_429_retry_after_seconds(fake_server: FakeOpenRouter, transport: Transport) -> None:
    error = await fetch_error(client_for(fake_server, transport), catalog.RATE_LIMITED_ID)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == catalog.RATE_LIMIT_WAIT
    assert error.retry_after_source == "Retry-After"
    assert error.info is not None and error.info.message == "Rate limit exceeded"


async def test_429_retry_after_http_date(fake_server: FakeOpenRouter) -> None:
    error = await fetch_error(
        client_for(fake_server, TRANSPORTS["async"]), catalog.RATE_LIMITED_DATE_ID
    )
    assert isinstance(error, RateLimitedError) and error.retry_after is not None
    assert catalog.RATE_LIMIT_DATE_WAIT - 1.5 <= error.retry_after <= catalog.RATE_LIMIT_DATE_WAIT
    assert error.retry_after_source == "Retry-After"


async def test_429_rate_limit_reset_epoch_ms(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    error = await fetch_error(client_for(fake_server, transport), catalog.RATE_LIMITED_RESET_ID)
    assert isinstance(error, RateLimitedError) and error.retry_after is not None
    assert catalog.RATE_LIMIT_WAIT - 0.5 <= error.retry_after <= catalog.RATE_LIMIT_WAIT
    assert error.retry_after_source == "X-RateLimit-Reset"


async def test_429_reset_only_in_the_body_metadata(fake_server: FakeOpenRouter) -> None:
    gen_id = make_id(1790000101)
    reset_ms = int((NOW.timestamp() + 12) * 1000)
    body = rate_limit_body({"X-RateLimit-Reset": str(reset_ms), "X-RateLimit-Remaining": "0"})
    fake_server.set_scenario(gen_id, Scenario(then=Step(429, body)))
    client = client_for(fake_server, TRANSPORTS["async"], now=lambda: NOW)
    error = await fetch_error(client, gen_id)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == pytest.approx(12.0)
    assert error.retry_after_source == "X-RateLimit-Reset"


async def test_429_without_any_wait(fake_server: FakeOpenRouter) -> None:
    gen_id = make_id(1790000102)
    fake_server.set_scenario(gen_id, Scenario(then=Step(429)))
    error = await fetch_error(client_for(fake_server, TRANSPORTS["async"]), gen_id)
    assert isinstance(error, RateLimitedError) and error.retry_after is None


def test_retry_after_parsing() -> None:
    assert parse_retry_after("7", NOW) == 7.0
    assert parse_retry_after(" 0.25 ", NOW) == 0.25
    assert parse_retry_after("-3", NOW) == 0.0
    date = email.utils.format_datetime(NOW + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(date, NOW) == 30.0
    assert parse_retry_after(email.utils.format_datetime(NOW - timedelta(hours=1)), NOW) == 0.0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("nan", NOW) is None


def test_rate_limit_reset_parsing() -> None:
    assert parse_rate_limit_reset(str(int(NOW.timestamp() * 1000) + 2500), NOW) == 2.5
    assert parse_rate_limit_reset(str(int(NOW.timestamp()) + 9), NOW) == 9.0  # epoch seconds
    assert parse_rate_limit_reset("4", NOW) == 4.0  # delta seconds
    assert parse_rate_limit_reset(str(int(NOW.timestamp() * 1000) - 5000), NOW) == 0.0
    assert parse_rate_limit_reset("", NOW) is None


def test_rate_limit_wait_prefers_headers_then_metadata() -> None:
    meta = {"headers": {"x-ratelimit-reset": str(int(NOW.timestamp() * 1000) + 3000)}}
    assert rate_limit_wait({"Retry-After": "5"}, meta, NOW) == (5.0, "Retry-After")
    assert rate_limit_wait({}, meta, NOW) == (3.0, "X-RateLimit-Reset")
    assert rate_limit_wait({}, {"headers": "junk"}, NOW) == (None, None)
    assert rate_limit_wait({}, None, NOW) == (None, None)


# ---- network ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gen_id", "kinds"),
    [
        (catalog.RESET_ID, {"reset"}),
        (catalog.RESET_MID_BODY_ID, {"reset", "truncated"}),
        (catalog.TRUNCATED_ID, {"truncated"}),
    ],
)
async def test_broken_connections(
    fake_server: FakeOpenRouter, transport: Transport, gen_id: str, kinds: set[str]
) -> None:
    error = await fetch_error(client_for(fake_server, transport), gen_id)
    assert isinstance(error, NetworkError) and error.kind in kinds
    assert error.status is None and error.info is None


async def test_timeout(fake_server: FakeOpenRouter, transport: Transport) -> None:
    error = await fetch_error(client_for(fake_server, transport, timeout=0.2), catalog.SLOW_ID)
    assert isinstance(error, NetworkError) and error.kind == "timeout"
    assert "timed out waiting for the answer" in error.summary


async def test_connection_refused(make_fake_server: Callable[..., FakeOpenRouter]) -> None:
    server = make_fake_server()
    base = server.base_url
    server.stop()
    for transport in TRANSPORTS.values():
        client = GenerationClient(TEST_KEY, base, transport=transport())
        error = await fetch_error(client, catalog.CHAT_ID)
        assert isinstance(error, NetworkError) and error.kind == "connect"


async def test_dns_failure() -> None:
    client = GenerationClient(None, "https://no-such-host.invalid/api/v1", timeout=5)
    error = await fetch_error(client, catalog.CHAT_ID)
    assert isinstance(error, NetworkError) and error.kind in {"dns", "timeout"}


# ---- configuration and the key ---------------------------------------------------------


def test_refuses_the_key_over_plain_http_to_a_remote_host() -> None:
    with pytest.raises(ConfigError) as caught:
        GenerationClient(TEST_KEY, "http://openrouter.example/api/v1")
    assert "plain http://" in caught.value.summary
    assert TEST_KEY not in str(caught.value) and TEST_KEY not in repr(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/api/v1",
        "http://127.8.9.10/api/v1",
        "http://localhost:9/api/v1",
        "http://[::1]:9/api/v1",
        "https://openrouter.ai/api/v1/",
    ],
)
def test_allowed_destinations(url: str) -> None:
    client = GenerationClient(TEST_KEY, url)
    assert client.base_url == url.rstrip("/")
    assert TEST_KEY not in repr(client)


def test_no_key_may_go_anywhere_and_bad_urls_are_refused() -> None:
    GenerationClient(None, "http://openrouter.example/api/v1")
    for url in ("ftp://example.com/api", "openrouter.ai/api/v1", "http:///nohost"):
        with pytest.raises(ConfigError):
            GenerationClient(TEST_KEY, url)
    GenerationClient(f" {TEST_KEY}\n", "https://openrouter.ai/api/v1")  # stripped: fine
    with pytest.raises(ConfigError) as caught:
        GenerationClient("sk-or-v1-é-bad\x00key", "https://openrouter.ai/api/v1")
    assert "bad" not in str(caught.value)


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://127.0.0.1:5/api/v1/")
    assert GenerationClient(TEST_KEY).base_url == "http://127.0.0.1:5/api/v1"
    assert GenerationClient(TEST_KEY, "https://x.example/v1").base_url == "https://x.example/v1"


async def test_missing_and_rejected_keys(fake_server: FakeOpenRouter, transport: Transport) -> None:
    missing = await fetch_error(client_for(fake_server, transport, key=None), catalog.CHAT_ID)
    assert isinstance(missing, AuthError) and missing.info is not None
    assert missing.info.message == "No auth credentials found"
    assert fake_server.requests[-1].had_auth is False
    wrong = "sk-or-v1-not-the-right-key-0000"
    rejected = await fetch_error(client_for(fake_server, transport, key=wrong), catalog.CHAT_ID)
    assert isinstance(rejected, AuthError) and "User not found." in rejected.summary
    assert wrong not in str(rejected)
    async with client_for(fake_server, transport, key=wrong) as client:
        with pytest.raises(AuthError):
            await client.get_key_info()


async def test_the_key_never_appears_even_when_echoed(fake_server: FakeOpenRouter) -> None:
    gen_id = make_id(1790000103)
    echo = error_body(401, f"Key {TEST_KEY} is revoked")
    fake_server.set_scenario(gen_id, Scenario(then=Step(401, echo)))
    error = await fetch_error(client_for(fake_server, TRANSPORTS["async"]), gen_id)
    assert isinstance(error, AuthError) and error.info is not None
    for text in (str(error), repr(error), error.summary, error.info.message, repr(error.info)):
        assert TEST_KEY not in text
    html_echo = make_id(1790000104)
    body = f"<html>your key: {TEST_KEY}</html>".encode()
    fake_server.set_scenario(html_echo, Scenario(then=Step(502, body, "text/html")))
    error = await fetch_error(client_for(fake_server, TRANSPORTS["async"]), html_echo)
    assert error.info is not None and TEST_KEY not in error.info.body_start
    assert TEST_KEY not in str(error)
