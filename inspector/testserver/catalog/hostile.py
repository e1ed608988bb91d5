"""Hostile-server scenarios (issue 11): compressed answers, a slow drip, a decompression
bomb, deeply nested JSON, echoed keys and hostile values in a record.

Factories return a :class:`Scenario`; :func:`hostile_scenarios` maps each fixed id of
``catalog.ids.HOSTILE_IDS`` to its scenario. Nothing heavy happens at import or seed time:
the bomb is built when first requested.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any

from inspector.testserver.bodies import error_body, json_bytes
from inspector.testserver.bomb import bomb_stream
from inspector.testserver.catalog.basics import chat_like, derive
from inspector.testserver.catalog.ids import (
    BOMB_FILLER,
    BOMB_ID,
    BROTLI_ID,
    DEEP_JSON_DEPTH,
    DEEP_JSON_ERROR_ID,
    DEEP_JSON_ID,
    DEFLATE_ERROR_ID,
    DEFLATE_ID,
    DEFLATE_RAW_ID,
    DENORMAL_ID,
    DRIP_ID,
    DRIP_RATE,
    ECHO_KEY_ERROR_ID,
    ECHO_KEY_ID,
    GZIP_ALWAYS_ID,
    GZIP_ERROR_ID,
    GZIP_ID,
    HUGE_FLOAT_ID,
    HUGE_INT,
    HUGE_INT_ID,
    LONE_SURROGATE_ID,
    LONG_STRING_ID,
    LONG_STRING_LENGTH,
    NAN_ID,
)
from inspector.testserver.encoding import Encoding, brotli_available
from inspector.testserver.exchange import Incoming
from inspector.testserver.steps import RECORD, Scenario, Step

__all__ = [
    "COMPRESSED_ERROR_MESSAGE",
    "COMPRESSED_ERROR_STATUS",
    "DEEP_JSON_ERROR_STATUS",
    "ECHO_FIELDS",
    "ECHO_KEY_ERROR_STATUS",
    "HOSTILE_VALUES",
    "bomb",
    "compressed",
    "compressed_error",
    "deep_json_error_body",
    "deep_json_record",
    "drip",
    "echo_key",
    "echo_key_error",
    "hostile_scenarios",
    "hostile_values",
    "raw_record",
]


COMPRESSED_ERROR_STATUS = 403
COMPRESSED_ERROR_MESSAGE = "You do not have access to this generation"
DEEP_JSON_ERROR_STATUS = 400
ECHO_KEY_ERROR_STATUS = 400
# Where ECHO_KEY_ID's record carries the key: two known fields and an unknown one.
ECHO_FIELDS = ("external_user", "user_agent", "request_headers")

# The raw JSON tokens each hostile-value id's record carries, by field (sent byte for byte;
# NaN/Infinity are not JSON, 1e999 overflows a double, 1e-400 underflows to 0).
HOSTILE_VALUES: dict[str, dict[str, str]] = {
    HUGE_INT_ID: {
        "tokens_prompt": str(HUGE_INT),
        "native_tokens_prompt": "1" + "0" * 30,
        "latency": str(2**63),
        "native_tokens_completion": str(-(2**63) - 1),
    },
    HUGE_FLOAT_ID: {
        "total_cost": "1e308",
        "usage": "1.7976931348623157e308",
        "cache_discount": "-1e308",
        "generation_time": "1e999",
    },
    DENORMAL_ID: {
        "total_cost": "5e-324",
        "usage": "4.9406564584124654e-324",
        "upstream_inference_cost": "1e-320",
        "cache_discount": "1e-400",
    },
    NAN_ID: {
        "total_cost": "NaN",
        "usage": "Infinity",
        "cache_discount": "-Infinity",
        "latency": "NaN",
    },
    LONE_SURROGATE_ID: {
        "external_user": '"\\ud800"',
        "user_agent": '"agent \\udfff end"',
        "origin": '"\\ud83d"',
        "session_id": '"\\udbff\\udbff"',
    },
    LONG_STRING_ID: {"external_user": json.dumps("long " * (LONG_STRING_LENGTH // 5))},
}


# -- compression --------------------------------------------------------------------------


def compressed(encoding: Encoding, *, force: bool = False) -> Scenario:
    """The record in ``encoding`` when ``Accept-Encoding`` allows it (always with ``force``)."""
    how = "always" if force else "if accepted"
    return Scenario(
        then=Step(encoding=encoding, force_encoding=force),
        description=f"200 {encoding} ({how})",
    )


def compressed_error(encoding: Encoding, *, force: bool = False) -> Scenario:
    """A JSON 403 in ``encoding`` when ``Accept-Encoding`` allows it (always with ``force``)."""
    body = error_body(COMPRESSED_ERROR_STATUS, COMPRESSED_ERROR_MESSAGE)
    step = Step(COMPRESSED_ERROR_STATUS, body, encoding=encoding, force_encoding=force)
    return Scenario(then=step, description=f"{COMPRESSED_ERROR_STATUS} {encoding}, always")


# -- slow drip, bomb ----------------------------------------------------------------------


def drip(rate: float = DRIP_RATE) -> Scenario:
    """The record, its body sent at ``rate`` bytes per second after prompt headers."""
    return Scenario(then=Step(drip=rate), description=f"200 at {rate:g} B/s")


def bomb(gen_id: str = BOMB_ID, filler: int = BOMB_FILLER) -> Scenario:
    """A 200 ``Content-Encoding: gzip`` body of ~filler/1030 bytes inflating to ``filler``
    spaces (whole MiB) then ``{"data": <chat-like record>}``; ``Content-Length`` is sent."""
    payload = json_bytes({"data": chat_like(gen_id)})
    step = Step(stream=bomb_stream(filler, payload), headers={"Content-Encoding": "gzip"})
    return Scenario(then=step, description=f"gzip bomb: inflates to {filler:,} bytes")


# -- deep nesting -------------------------------------------------------------------------


def deep_json_record(gen_id: str, depth: int = DEEP_JSON_DEPTH) -> bytes:
    """``{"data": <chat-like record>}`` with an extra ``"nested"`` key ``depth`` arrays deep."""
    body = json_bytes({"data": chat_like(gen_id)})
    return body[:-2] + b',"nested":' + b"[" * depth + b"]" * depth + b"}}"


def deep_json_error_body(depth: int = DEEP_JSON_DEPTH) -> bytes:
    """An error envelope whose ``metadata`` is ``depth`` objects deep."""
    head = f'{{"error":{{"code":{DEEP_JSON_ERROR_STATUS},"message":"Bad request","metadata":'
    return head.encode() + b'{"a":' * depth + b"null" + b"}" * depth + b"}}"


# -- echoed secrets -----------------------------------------------------------------------


def _echo_record(gen_id: str, incoming: Incoming) -> bytes:
    token = incoming.token or ""
    record = derive(
        chat_like(gen_id),
        external_user=token,
        user_agent=f"proxy/1.0 (forwarded Authorization: Bearer {token})",
        request_headers={"authorization": f"Bearer {token}"},
    )
    return json_bytes({"data": record})


def _echo_error(incoming: Incoming) -> bytes:
    token = incoming.token or ""
    metadata = {"headers": {"Authorization": f"Bearer {token}"}}
    message = f"Invalid request for key {token}"
    return error_body(ECHO_KEY_ERROR_STATUS, message, metadata)


def echo_key(gen_id: str) -> Scenario:
    """A 200 record carrying the bearer token the client sent (see ``ECHO_FIELDS``)."""
    return Scenario(then=Step(body_for=partial(_echo_record, gen_id)), description="200 echo key")


def echo_key_error() -> Scenario:
    """A JSON 400 whose message and ``metadata.headers.Authorization`` hold the key sent."""
    step = Step(ECHO_KEY_ERROR_STATUS, body_for=_echo_error)
    return Scenario(then=step, description=f"{ECHO_KEY_ERROR_STATUS} echo key")


# -- hostile values -----------------------------------------------------------------------


def raw_record(record: Mapping[str, Any], raw: Mapping[str, str]) -> bytes:
    """``{"data": record}`` with the value of each key in ``raw`` sent as that raw token."""
    data = dict(record)
    marks: dict[str, str] = {}
    for index, (key, tok) in enumerate(raw.items()):
        mark = f"@@raw-{index}@@"
        data[key] = mark
        marks[json.dumps(mark)] = tok
    text = json.dumps({"data": data}, separators=(",", ":"), ensure_ascii=False)
    for mark, tok in marks.items():
        text = text.replace(mark, tok)
    return text.encode()


def hostile_values(gen_id: str, raw: Mapping[str, str]) -> Scenario:
    """A 200 chat-like record whose fields ``raw`` are the given raw JSON tokens."""
    body = raw_record(chat_like(gen_id), raw)
    return Scenario(then=Step(200, body), description="200 with " + ", ".join(raw))


def hostile_scenarios() -> dict[str, Scenario]:
    """The fixed scenario of every id in ``HOSTILE_IDS``."""
    brotli = compressed("br") if brotli_available() else Scenario(then=RECORD)
    fixed = {
        GZIP_ID: compressed("gzip"),
        DEFLATE_ID: compressed("deflate"),
        DEFLATE_RAW_ID: compressed("deflate-raw"),
        BROTLI_ID: brotli,
        GZIP_ALWAYS_ID: compressed("gzip", force=True),
        GZIP_ERROR_ID: compressed_error("gzip"),
        DEFLATE_ERROR_ID: compressed_error("deflate"),
        DRIP_ID: drip(DRIP_RATE),
        BOMB_ID: bomb(BOMB_ID, BOMB_FILLER),
        DEEP_JSON_ID: Scenario(then=Step(200, deep_json_record(DEEP_JSON_ID))),
        DEEP_JSON_ERROR_ID: Scenario(then=Step(DEEP_JSON_ERROR_STATUS, deep_json_error_body())),
        ECHO_KEY_ID: echo_key(ECHO_KEY_ID),
        ECHO_KEY_ERROR_ID: echo_key_error(),
    }
    fixed.update({gen_id: hostile_values(gen_id, raw) for gen_id, raw in HOSTILE_VALUES.items()})
    return fixed
