"""What the local OpenRouter knows: seeded records, scripted scenarios, young (pending) ids.

Nothing is read or built at import time: the constants below are plain strings, the
samples in ``data/`` are read on first use, and the 20,000-entry fallback chain is built
the first time it is requested.

Records (``GET /generation`` answers 200 with them):

=========================  ==============================================================
``CHAT_ID``                the shared sample: a plain chat completion (OpenAI)
``FALLBACK_ID``            sample: two failed providers (429, 502) then Fireworks served it
``REASONING_CACHED_ID``    sample: streamed, reasoning tokens, cache reads, positive discount
``CANCELLED_ID``           sample: cancelled stream, most numbers null
``IMAGE_ID``               ``gen-img-…`` image generation, ``finish_reason`` ``complete``
``BYOK_ID``                bring-your-own-key: ``is_byok`` true, ``upstream_inference_cost`` set
``CACHE_HIT_ID``           served from the response cache (``response_cache_source_id``)
``OLD_RECORD_ID``          an early-2025 record with only the 32 older fields
``FUTURE_FIELDS_ID``       unknown keys, unknown provider and ``api_type``, ``total_cost`` as
                           the string ``"1.8e-05"`` (fails the closed schema on those only)
``HOSTILE_TEXT_ID``        markup, ANSI colours, an OSC title and C1 bytes in user strings
``HUGE_FALLBACK_ID``       20,000 ``provider_responses`` (built lazily)
``NEGATIVE_DISCOUNT_ID``   a cache write: negative ``cache_discount``
``NOT_FOUND_ID``           an old id with no record: always ``404 Generation … not found``
=========================  ==============================================================

Scenario ids (fixed, old timestamps; each also has a chat-like record for its 200s):

============================  ===========================================================
``RATE_LIMITED_ID``           429 ``Retry-After: 2`` (seconds), then 200
``RATE_LIMITED_DATE_ID``      429 ``Retry-After: <HTTP date now + 3 s>``, then 200
``RATE_LIMITED_RESET_ID``     429 with ``X-RateLimit-Reset`` (epoch ms, now + 2 s) as a header
                              and in ``error.metadata.headers``, then 200
``BAD_GATEWAY_HTML_ID``       502 with an HTML page, always
``EDGE_TIMEOUT_ID``           524 ``text/plain`` ``error code: 524``, always
``SERVER_ERROR_ID``           500 JSON, always
``UNAVAILABLE_ONCE_ID``       503 JSON once, then 200
``OVERLOADED_ID``             529 JSON, always
``BAD_REQUEST_ID``            400 in the Zod shape
``PAYMENT_REQUIRED_ID``       402 (with ``user_id``, like the sample)
``FORBIDDEN_ID``              403 JSON
``SLOW_ID``                   200 after ``SLOW_DELAY`` seconds
``TRUNCATED_ID``              200 whose ``Content-Length`` exceeds the bytes sent (a network
                              error for the client)
``CUT_JSON_ID``               200, a complete HTTP message whose JSON is cut off
``RESET_ID``                  connection reset (TCP RST) before any answer, always
``RESET_ONCE_ID``             connection reset once, then 200
``RESET_MID_BODY_ID``         headers and half the body, then a reset
``NON_JSON_ID``               200 ``text/html``
``NO_DATA_ID``                200 JSON without ``data``
============================  ===========================================================

The waits above are the values before the server's ``time_scale`` (0.01 turns 2 s into
``Retry-After: 0.02``).

Pending ids are young by nature, so they are made at call time::

    gen_id = catalog.pending_id(server, polls=3)          # or server.pending_id(polls=3)

returns a fresh ``gen-<now>-<20 alnum>`` id whose first 3 requests answer 404
(``Generation <id> not found``) and every later one 200 with a chat-like record (or a copy
of ``record=`` with its ``id``/``created_at`` replaced). ``polls=0`` is a plain new record.

``DEMO_IDS`` lists (label, id) pairs for the demo's empty state, in display order.
"""

from __future__ import annotations

import json
import secrets
import string
import time
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from inspector.testserver.server import (
    HTML_TYPE,
    TEXT_TYPE,
    RetryAfterStyle,
    Scenario,
    Step,
    error_body,
    json_bytes,
    json_copy,
    zod_body,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from inspector.testserver.server import FakeOpenRouter

# -- record ids ---------------------------------------------------------------------------

CHAT_ID = "gen-1792504991-h7KpQ2sLw9XcVb3nRt6Y"
REASONING_CACHED_ID = "gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe"
CANCELLED_ID = "gen-1792505465-Kr8vB1mXq5NcT3wLz7Pd"
FALLBACK_ID = "gen-1792505729-Wt5qH9eLr2XbN6kPz3Dc"
IMAGE_ID = "gen-img-1794999012-PK3p1yfFcTXmxua5WQdI"
BYOK_ID = "gen-1795012345-Wdc7O526wzQToE5jXYuE"
CACHE_HIT_ID = "gen-1792509001-oLQCtVLGj3HgJNPJUXkZ"
OLD_RECORD_ID = "gen-1737842322-4DBcS57a3iX0PTy7TU9q"
FUTURE_FIELDS_ID = "gen-1795400000-egU8enn5ybZWPMd5S7T0"
HOSTILE_TEXT_ID = "gen-1795100000-wQzx2FL24G4YyqZZOgfL"
HUGE_FALLBACK_ID = "gen-1795200000-568mxvzjdNmmOO54rmRA"
NEGATIVE_DISCOUNT_ID = "gen-1795300000-cLjndnYHGbzCUYiK16po"
NOT_FOUND_ID = "gen-1790000000-pPW5tzKDyYAhRh6DFzNM"

HUGE_FALLBACK_COUNT = 20_000

# -- scenario ids -------------------------------------------------------------------------

RATE_LIMITED_ID = "gen-1790000001-3wnEUQ45csjMojRcHbt5"
RATE_LIMITED_DATE_ID = "gen-1790000002-JvUEiUn5iVmp4OgEEUWg"
RATE_LIMITED_RESET_ID = "gen-1790000003-ghZCCNDJrB9Ivyi034c3"
BAD_GATEWAY_HTML_ID = "gen-1790000004-gzrKHgRoDTwBUYyZ5RwA"
EDGE_TIMEOUT_ID = "gen-1790000005-RQchACR8W67oGtDxWHOx"
SERVER_ERROR_ID = "gen-1790000006-hbPWYTQeFGWcCjKjsdHA"
UNAVAILABLE_ONCE_ID = "gen-1790000007-yaoSrisx39XkbHlutrZp"
OVERLOADED_ID = "gen-1790000008-CnbRA78uJXN1W7BIAngD"
BAD_REQUEST_ID = "gen-1790000009-pABu4pbUWMI1RlZYwwjX"
PAYMENT_REQUIRED_ID = "gen-1790000010-c7mpeDWImRCGB7u1xOtj"
FORBIDDEN_ID = "gen-1790000011-hwAym86U59UDYoAOqcv3"
SLOW_ID = "gen-1790000012-vECfzpPu9AqdK0Dxrgsq"
TRUNCATED_ID = "gen-1790000013-EUS6HmcdtiU52Gv3iQ1n"
CUT_JSON_ID = "gen-1790000014-P9g8JCf7TY6yM6Nre6kB"
RESET_ID = "gen-1790000015-LE9OVmZDlE16JJ7FM9zj"
RESET_ONCE_ID = "gen-1790000016-Cghk0PzrZMeyOrrflyPv"
RESET_MID_BODY_ID = "gen-1790000017-luboFbBTN0xSPjTmkvLl"
NON_JSON_ID = "gen-1790000018-0qHK3yQT6gsJ68fPF7Tv"
NO_DATA_ID = "gen-1790000019-0YXs5QO3HEhS7eWDn5ag"

RATE_LIMIT_WAIT = 2.0  # seconds announced by RATE_LIMITED_ID / RATE_LIMITED_RESET_ID
RATE_LIMIT_DATE_WAIT = 3.0  # seconds ahead for the HTTP-date form (dates have 1 s precision)
SLOW_DELAY = 3.0  # seconds SLOW_ID takes to answer (not scaled by time_scale)

SAMPLE_IDS = (CHAT_ID, REASONING_CACHED_ID, CANCELLED_ID, FALLBACK_ID)
RECORD_IDS = (
    *SAMPLE_IDS,
    IMAGE_ID,
    BYOK_ID,
    CACHE_HIT_ID,
    OLD_RECORD_ID,
    FUTURE_FIELDS_ID,
    HOSTILE_TEXT_ID,
    HUGE_FALLBACK_ID,
    NEGATIVE_DISCOUNT_ID,
)

# Keys a record had before the schema grew from 32 to 45 fields (OLD_RECORD_ID omits them).
NEWER_FIELDS = (
    "request_id",
    "session_id",
    "response_cache_source_id",
    "router",
    "service_tier",
    "data_region",
    "workspace_id",
    "preset_id",
    "api_type",
    "web_search_engine",
    "num_fetches",
    "native_tokens_completion_images",
    "num_input_audio_prompt",
)

# Unknown to the published schema, present in FUTURE_FIELDS_ID.
FUTURE_PROVIDER = "Aurora Compute"
FUTURE_API_TYPE = "responses"
FUTURE_EXTRA_KEYS = ("native_tokens_audio", "carbon_grams", "routing_strategy", "moderation")

HOSTILE_STRINGS = {
    "external_user": "[@click=app.quit]x[/]",
    "user_agent": "[bold]boom[/bold] \x1b[31mred\x1b[0m",
    "origin": "\x1b]0;pwned\x07https://evil.example/",
    "http_referer": "https://evil.example/[link=https://evil.example]x[/link]\x9b2J\x07",
    "session_id": "line one\nline two\r\x08\x08[/]",
}

SAMPLE_FILES = {
    CHAT_ID: "generation-chat.json",
    REASONING_CACHED_ID: "generation-streamed-reasoning-cached.json",
    CANCELLED_ID: "generation-cancelled.json",
    FALLBACK_ID: "generation-fallback.json",
}

DEMO_IDS: list[tuple[str, str]] = [
    ("Chat completion", CHAT_ID),
    ("Reasoning with cache reads", REASONING_CACHED_ID),
    ("Fallback chain (2 failed providers)", FALLBACK_ID),
    ("Cancelled stream", CANCELLED_ID),
    ("Image generation", IMAGE_ID),
    ("Bring your own key", BYOK_ID),
    ("Response-cache hit", CACHE_HIT_ID),
    ("Cache write (negative discount)", NEGATIVE_DISCOUNT_ID),
    ("Old record (32 fields)", OLD_RECORD_ID),
    ("Fields from the future", FUTURE_FIELDS_ID),
    ("Hostile text", HOSTILE_TEXT_ID),
    ("20,000 provider attempts", HUGE_FALLBACK_ID),
    ("Rate limited, then OK", RATE_LIMITED_ID),
    ("Upstream down (502 HTML)", BAD_GATEWAY_HTML_ID),
    ("Edge timeout (524)", EDGE_TIMEOUT_ID),
    ("Slow answer", SLOW_ID),
    ("Not found (old id)", NOT_FOUND_ID),
]

_ALNUM = string.ascii_letters + string.digits

# -- helpers ------------------------------------------------------------------------------


@cache
def _read_data(name: str) -> bytes:
    return (resources.files("inspector.testserver") / "data" / name).read_bytes()


def sample(name: str) -> dict[str, Any]:
    """A fresh copy of ``data/<name>`` (e.g. ``"generation-chat.json"``) as parsed JSON."""
    loaded: dict[str, Any] = json.loads(_read_data(name))
    return loaded


def sample_record(gen_id: str) -> dict[str, Any]:
    """The ``data`` object of the shared sample with that id."""
    record: dict[str, Any] = sample(SAMPLE_FILES[gen_id])["data"]
    return record


def iso(unix: float, *, style: str = "Z") -> str:
    """``created_at`` in one of the two observed forms: ``…:05.873Z`` or ``…:05.873000+00:00``."""
    moment = datetime.fromtimestamp(unix, UTC)
    if style == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.isoformat(timespec="microseconds")


def random_tail(length: int = 20) -> str:
    """Alphanumerics like the tail of a real generation id."""
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def id_time(gen_id: str) -> int:
    """The unix seconds embedded in a ``gen-[kind-]<unix>-<tail>`` id."""
    return int(next(part for part in gen_id.split("-") if part.isdigit()))


def new_id(created: float | None = None, *, prefix: str = "gen") -> str:
    """``<prefix>-<unix>-<20 alnum>``, by default stamped now."""
    unix = int(time.time() if created is None else created)
    return f"{prefix}-{unix}-{random_tail()}"


def derive(base: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with ``changes`` applied."""
    record: dict[str, Any] = json_copy(dict(base))
    record.update(json_copy(changes))
    return record


def chat_like(gen_id: str, created: float | None = None) -> dict[str, Any]:
    """The chat sample re-stamped with ``gen_id`` (its time from the id unless given)."""
    unix = id_time(gen_id) if created is None else created
    tail = gen_id.rsplit("-", 1)[-1]
    return derive(
        sample_record(CHAT_ID),
        id=gen_id,
        created_at=iso(unix + 0.482),
        request_id=f"req-{int(unix)}-{tail[::-1]}",
    )


# -- the records --------------------------------------------------------------------------


def image_record() -> dict[str, Any]:
    """An image generation: ``gen-img-…``, one image out, ``finish_reason`` ``complete``."""
    unix = id_time(IMAGE_ID)
    return derive(
        sample_record(CHAT_ID),
        id=IMAGE_ID,
        created_at=iso(unix + 0.127),
        model="google/gemini-2.5-flash-image-20251002",
        api_type="image",
        provider_name="Google AI Studio",
        finish_reason="complete",
        native_finish_reason="STOP",
        streamed=False,
        latency=6120,
        generation_time=6098,
        tokens_prompt=38,
        tokens_completion=1290,
        native_tokens_prompt=41,
        native_tokens_completion=1290,
        native_tokens_completion_images=1290,
        native_tokens_reasoning=0,
        num_media_completion=1,
        total_cost=0.0387123,
        usage=0.0387123,
        upstream_id="img-PK3p1yfFcTXm",
        request_id=f"req-{unix}-xua5WQdIPK3p1yfFcTXm",
        provider_responses=[
            {
                "endpoint_id": "5b0e2d8a-61c4-4f93-b7a2-0d9e3c1f8a46",
                "id": "img-PK3p1yfFcTXm",
                "is_byok": False,
                "latency": 6120,
                "model_permaslug": "google/gemini-2.5-flash-image-20251002",
                "provider_name": "Google AI Studio",
                "status": 200,
            }
        ],
    )


def byok_record() -> dict[str, Any]:
    """Bring your own key: the provider billed the user's key, OpenRouter charged a fee."""
    unix = id_time(BYOK_ID)
    return derive(
        sample_record(CHAT_ID),
        id=BYOK_ID,
        created_at=iso(unix + 0.913),
        model="openai/gpt-5-mini-2025-08-07",
        is_byok=True,
        tokens_prompt=2048,
        tokens_completion=512,
        native_tokens_prompt=2048,
        native_tokens_completion=512,
        latency=812,
        generation_time=4207,
        total_cost=0.0002048,
        usage=0.0002048,
        upstream_inference_cost=0.001536,
        request_id=f"req-{unix}-QToE5jXYuEWdc7O526wz",
        upstream_id="chatcmpl-CT1aWdc7O526wzQToE5jXYuE",
        provider_responses=[
            {
                "endpoint_id": "9b1f3c2e-7d4a-4e61-8f0b-2a6c5d1e9f37",
                "id": "chatcmpl-CT1aWdc7O526wzQToE5jXYuE",
                "is_byok": True,
                "latency": 812,
                "model_permaslug": "openai/gpt-5-mini-2025-08-07",
                "provider_name": "OpenAI",
                "status": 200,
            }
        ],
    )


def cache_hit_record() -> dict[str, Any]:
    """Served from the response cache: no provider called, nothing charged."""
    unix = id_time(CACHE_HIT_ID)
    return derive(
        sample_record(CHAT_ID),
        id=CACHE_HIT_ID,
        created_at=iso(unix + 0.066),
        response_cache_source_id=CHAT_ID,
        latency=14,
        generation_time=0,
        total_cost=0,
        usage=0,
        upstream_inference_cost=None,
        provider_responses=[],
        request_id=f"req-{unix}-kZUXJPNJgH3jGLVtCQLo",
    )


def old_record() -> dict[str, Any]:
    """An early-2025 record: only the 32 older fields, the ``+00:00`` timestamp form."""
    unix = id_time(OLD_RECORD_ID)
    record = derive(
        sample_record(CHAT_ID),
        id=OLD_RECORD_ID,
        created_at=iso(unix + 0.249238, style="+00:00"),
        model="mistralai/mistral-7b-instruct-v0.3",
        app_id=None,
        provider_name="Together",
        latency=402,
        generation_time=1630,
        tokens_prompt=311,
        tokens_completion=207,
        native_tokens_prompt=344,
        native_tokens_completion=221,
        native_tokens_reasoning=None,
        native_tokens_cached=None,
        num_media_completion=None,
        total_cost=0.0000293,
        usage=0.0000293,
        upstream_inference_cost=None,
        upstream_id="8f2a9c41d7e3b605",
        origin="",
        user_agent="python-requests/2.32.3",
        http_referer=None,
        provider_responses=None,
    )
    for key in NEWER_FIELDS:
        record.pop(key, None)
    return record


def future_fields_record() -> dict[str, Any]:
    """A record from a newer API: unknown keys and values, ``total_cost`` as a string."""
    unix = id_time(FUTURE_FIELDS_ID)
    record = derive(
        sample_record(CHAT_ID),
        id=FUTURE_FIELDS_ID,
        created_at=iso(unix + 0.5, style="+00:00"),
        model="aurora/aurora-1-mini-20261101",
        api_type=FUTURE_API_TYPE,
        provider_name=FUTURE_PROVIDER,
        data_region="europe",
        total_cost="1.8e-05",
        usage=1.8e-05,
        upstream_inference_cost=1.2e-05,
        tokens_prompt=96,
        tokens_completion=48,
        native_tokens_prompt=96,
        native_tokens_completion=48,
        request_id=f"req-{unix}-7S5dMPWZby5nne8UgeXX",
        provider_responses=[
            {
                "endpoint_id": "0c9d7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
                "is_byok": False,
                "latency": 377,
                "model_permaslug": "aurora/aurora-1-mini-20261101",
                "provider_name": FUTURE_PROVIDER,
                "routed_service_tier": "flex",
                "region": "eu-north-1",
                "status": 200,
            }
        ],
        native_tokens_audio=0,
        carbon_grams=0.0031,
        routing_strategy={"mode": "price", "fallbacks_allowed": 2},
        moderation=None,
    )
    return record


def hostile_text_record() -> dict[str, Any]:
    """User-controlled strings full of markup and terminal escape sequences."""
    unix = id_time(HOSTILE_TEXT_ID)
    return derive(
        sample_record(CHAT_ID),
        id=HOSTILE_TEXT_ID,
        created_at=iso(unix + 0.001),
        request_id=f"req-{unix}-LfgOZZqyY4G42LF2xzQw",
        **HOSTILE_STRINGS,
    )


_HUGE_FAILURES = (429, 502, 503, 500, 408, None)
_HUGE_PROVIDERS = ("Chutes", "Together", "DeepInfra", "Novita", "Parasail", "Fireworks")


def huge_fallback_record() -> dict[str, Any]:
    """20,000 provider attempts: 19,999 failures, the last one served (built on demand)."""
    unix = id_time(HUGE_FALLBACK_ID)
    attempts: list[dict[str, Any]] = []
    for i in range(HUGE_FALLBACK_COUNT - 1):
        attempts.append(
            {
                "endpoint_id": f"00000000-0000-4000-8000-{i:012d}",
                "is_byok": False,
                "latency": 50 + (i * 37) % 900,
                "model_permaslug": "moonshotai/kimi-k2-0905",
                "provider_name": _HUGE_PROVIDERS[i % len(_HUGE_PROVIDERS)],
                "status": _HUGE_FAILURES[i % len(_HUGE_FAILURES)],
            }
        )
    served = sample_record(FALLBACK_ID)["provider_responses"][-1]
    attempts.append(served)
    return derive(
        sample_record(FALLBACK_ID),
        id=HUGE_FALLBACK_ID,
        created_at=iso(unix + 0.42),
        request_id=f"req-{unix}-ARmr45OOmmNdjzvxm865",
        latency=912_000,
        provider_responses=attempts,
    )


def negative_discount_record() -> dict[str, Any]:
    """A prompt-cache write: Anthropic charges extra, so ``cache_discount`` is negative."""
    unix = id_time(NEGATIVE_DISCOUNT_ID)
    return derive(
        sample_record(REASONING_CACHED_ID),
        id=NEGATIVE_DISCOUNT_ID,
        created_at=iso(unix + 0.731),
        model="anthropic/claude-4.5-sonnet-20250929",
        provider_name="Anthropic",
        tokens_prompt=24310,
        tokens_completion=388,
        native_tokens_prompt=26102,
        native_tokens_completion=402,
        native_tokens_reasoning=0,
        native_tokens_cached=0,
        total_cost=0.1038125,
        usage=0.1038125,
        cache_discount=-0.0195765,
        latency=2210,
        generation_time=7842,
        request_id=f"req-{unix}-op61KiYUCzbGHYndjnLc",
        provider_responses=[
            {
                "endpoint_id": "f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "id": "msg_01CLjndnYHGbzCUYiK16po",
                "is_byok": False,
                "latency": 2210,
                "model_permaslug": "anthropic/claude-4.5-sonnet-20250929",
                "provider_name": "Anthropic",
                "status": 200,
            }
        ],
    )


_BUILDERS = {
    IMAGE_ID: image_record,
    BYOK_ID: byok_record,
    CACHE_HIT_ID: cache_hit_record,
    OLD_RECORD_ID: old_record,
    FUTURE_FIELDS_ID: future_fields_record,
    HOSTILE_TEXT_ID: hostile_text_record,
    NEGATIVE_DISCOUNT_ID: negative_discount_record,
}


def records() -> dict[str, dict[str, Any]]:
    """Every eager seeded record by id (the huge one is not included: see seed())."""
    built = {gen_id: sample_record(gen_id) for gen_id in SAMPLE_IDS}
    built.update({gen_id: build() for gen_id, build in _BUILDERS.items()})
    return built


# -- scenarios ----------------------------------------------------------------------------

BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
NON_JSON_PAGE = (
    b"<!DOCTYPE html><html><head><title>OpenRouter</title></head>"
    b"<body><p>Just a moment...</p></body></html>"
)


def rate_limited(
    wait: float = RATE_LIMIT_WAIT, style: RetryAfterStyle = "seconds", times: int = 1
) -> Scenario:
    """429 ``times`` times announcing ``wait`` seconds, then the record.

    ``style``: ``"seconds"`` / ``"http-date"`` (``Retry-After``) or ``"reset-ms"``
    (``X-RateLimit-Reset`` header and ``error.metadata.headers``).
    """
    step = Step(429, retry_after=wait, retry_after_style=style)
    return Scenario((step,) * times, description=f"429 ({style}, {wait:g} s) x{times}, then 200")


def pending(polls: int) -> Scenario:
    """404 for the first ``polls`` requests, then the record (an id not indexed yet)."""
    return Scenario((Step(404),) * polls, description=f"404 x{polls}, then 200")


def slow(delay: float = SLOW_DELAY) -> Scenario:
    """Every answer waits ``delay`` seconds before the record is sent."""
    return Scenario(then=Step(delay=delay), description=f"200 after {delay:g} s")


def failing(step: Step, times: int | None = None) -> Scenario:
    """``step`` ``times`` times then the record, or ``step`` forever (``times=None``)."""
    if times is None:
        return Scenario(then=step, description=f"{step.status} {step.action}, always")
    return Scenario((step,) * times, description=f"{step.status} {step.action} x{times}, then 200")


def json_error(status: int, message: str, metadata: Mapping[str, Any] | None = None) -> Step:
    """A step answering OpenRouter's JSON error envelope."""
    return Step(status, error_body(status, message, metadata))


def sample_error(name: str) -> Step:
    """A step answering a shared error sample, e.g. ``sample_error("error-402.json")``."""
    body = sample(name)
    return Step(int(body["error"]["code"]), json_bytes(body))


def cut_json_step(gen_id: str) -> Step:
    """A complete 200 whose JSON stops half-way (the client's JSON parser must refuse it)."""
    full = json_bytes({"data": chat_like(gen_id)})
    return Step(200, full[: len(full) // 2])


def reset_mid_body_step(gen_id: str) -> Step:
    """Headers announcing the whole record, half of it, then a TCP reset."""
    body = json_bytes({"data": chat_like(gen_id)})
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return Step(200, head.encode() + body[: len(body) // 2], action="reset")


def scenarios() -> dict[str, Scenario]:
    """The fixed scenario of every scenario id."""
    unavailable = json_error(503, "Service Unavailable", {"error_type": "service_unavailable"})
    forbidden = json_error(403, "You do not have access to this generation")
    bad_request = Step(400, zod_body("Invalid generation id: expected gen-<time>-<id>"))
    return {
        RATE_LIMITED_ID: rate_limited(RATE_LIMIT_WAIT, "seconds"),
        RATE_LIMITED_DATE_ID: rate_limited(RATE_LIMIT_DATE_WAIT, "http-date"),
        RATE_LIMITED_RESET_ID: rate_limited(RATE_LIMIT_WAIT, "reset-ms"),
        BAD_GATEWAY_HTML_ID: failing(Step(502, BAD_GATEWAY_HTML, HTML_TYPE)),
        EDGE_TIMEOUT_ID: failing(Step(524, b"error code: 524", TEXT_TYPE)),
        SERVER_ERROR_ID: failing(sample_error("error-500.json")),
        UNAVAILABLE_ONCE_ID: failing(unavailable, times=1),
        OVERLOADED_ID: failing(sample_error("error-529.json")),
        BAD_REQUEST_ID: failing(bad_request),
        PAYMENT_REQUIRED_ID: failing(sample_error("error-402.json")),
        FORBIDDEN_ID: failing(forbidden),
        SLOW_ID: slow(SLOW_DELAY),
        TRUNCATED_ID: failing(Step(action="truncate")),
        CUT_JSON_ID: failing(cut_json_step(CUT_JSON_ID)),
        RESET_ID: failing(Step(action="reset")),
        RESET_ONCE_ID: failing(Step(action="reset"), times=1),
        RESET_MID_BODY_ID: failing(reset_mid_body_step(RESET_MID_BODY_ID)),
        NON_JSON_ID: failing(Step(200, NON_JSON_PAGE, HTML_TYPE)),
        NO_DATA_ID: failing(Step(200, json_bytes({"object": "generation", "id": NO_DATA_ID}))),
    }


SCENARIO_IDS = (
    RATE_LIMITED_ID,
    RATE_LIMITED_DATE_ID,
    RATE_LIMITED_RESET_ID,
    BAD_GATEWAY_HTML_ID,
    EDGE_TIMEOUT_ID,
    SERVER_ERROR_ID,
    UNAVAILABLE_ONCE_ID,
    OVERLOADED_ID,
    BAD_REQUEST_ID,
    PAYMENT_REQUIRED_ID,
    FORBIDDEN_ID,
    SLOW_ID,
    TRUNCATED_ID,
    CUT_JSON_ID,
    RESET_ID,
    RESET_ONCE_ID,
    RESET_MID_BODY_ID,
    NON_JSON_ID,
    NO_DATA_ID,
)


# -- wiring -------------------------------------------------------------------------------


@cache
def _seed_data() -> tuple[tuple[dict[str, Any], ...], dict[str, Scenario]]:
    """Built once per process; ``add_record`` copies, so the cache is never mutated."""
    fixed = scenarios()
    built = (*records().values(), *(chat_like(gen_id) for gen_id in fixed))
    return built, fixed


def seed(server: FakeOpenRouter) -> None:
    """Load every record and scenario above into ``server``."""
    built, fixed = _seed_data()
    for record in built:
        server.add_record(record)
    server.add_lazy_record(HUGE_FALLBACK_ID, huge_fallback_record)
    for gen_id, scenario in fixed.items():
        server.set_scenario(gen_id, scenario)


def pending_id(
    server: FakeOpenRouter,
    polls: int = 3,
    record: Mapping[str, Any] | None = None,
    *,
    created: float | None = None,
    prefix: str = "gen",
) -> str:
    """Register and return a fresh young id: 404 for ``polls`` requests, then the record.

    ``record`` (copied; its ``id`` and ``created_at`` are replaced) defaults to a chat-like
    record; ``created`` (unix seconds) defaults to now, ``prefix`` may be e.g. ``gen-img``.
    """
    unix = time.time() if created is None else created
    gen_id = new_id(unix, prefix=prefix)
    data = chat_like(gen_id, unix) if record is None else derive(record)
    data.update(id=gen_id, created_at=iso(unix))
    server.add_record(data)
    server.set_scenario(gen_id, pending(polls))
    return gen_id
