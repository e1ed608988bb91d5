"""Property-based tests of every parser that reads what a server or a person sends: for any
input, the answer is a value or one of the typed errors (``InspectorError``), nothing else.

- the record parser: :func:`inspector.infra.http.client.read_data_object` on any bytes, then
  ``Generation.from_api`` on what it returns and on any JSON object;
- the error-body parser: ``parse_error_body`` on any status, content type and bytes, and the
  client's mapping of a whole answer (status, headers, body) to its typed error;
- the id miner: ``extract_ids`` and ``parse_id`` on any text, up to 100 KB.
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from inspector.core.errors import InspectorError, MalformedIdError
from inspector.core.ids import ParsedId, extract_ids, parse_id
from inspector.core.jsonsafe import MAX_DEPTH
from inspector.core.models import ErrorInfo, Generation, parse_error_body
from inspector.infra.http.client import FetchResult, read_data_object
from inspector.infra.http.errors import Answer, api_error
from inspector.infra.http.redact import Redactor
from inspector.testserver import TEST_KEY

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
PROPERTY = settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63 - 2, max_value=2**70)
    | st.floats()  # NaN and ±Infinity included
    | st.text()
    | st.sampled_from(["1e-5", " 12 ", "1e999", "2026-10-02T23:28:05.87Z", "\ud800", TEST_KEY])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=25,
)
FIELDS = [*Generation.FIELDS, "other_fields", "extra", "__class__"]
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(), json_values, max_size=12)


def _strict_json(value: Any) -> bool:
    json.dumps(value, allow_nan=False)
    return True


def _json_text(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


# ---- the record ------------------------------------------------------------------------


@PROPERTY
@given(records)
def test_any_json_object_is_a_generation(raw: dict[str, Any]) -> None:
    generation = Generation.from_api(raw)
    for name in ("throughput", "fallback_count", "total_time_ms", "cache_hit_ratio"):
        getattr(generation, name)
    generation.age_seconds(NOW)


def _answer(body: bytes, status: int = 200, **headers: str) -> Answer:
    return Answer(status, "Whatever", httpx.Headers(headers), body)


def _check_record_bytes(body: bytes) -> None:
    redactor = Redactor(TEST_KEY)
    try:
        raw = read_data_object(_answer(body), redactor)
    except InspectorError as exc:
        assert TEST_KEY not in str(exc)
        return
    assert isinstance(raw, dict) and _strict_json(raw)
    assert TEST_KEY not in json.dumps(raw)
    FetchResult(raw=raw).generation  # noqa: B018 - the model of any record builds


@PROPERTY
@given(st.binary(max_size=2048))
@example(b"")
@example(b'{"data": NaN}')
@example(b'{"data": {"x": Infinity, "y": -Infinity, "z": 1e999}}')
@example(b'{"data": {"s": "\\ud800"}}')
@example(b'{"data": {"n": 1' + b"0" * 5000 + b"}}")
@example(b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
@example(b'{"data": {"a": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2001 + b"}")
@example(b"\xff\xfe{\x00}\x00")
def test_any_bytes_are_a_record_or_a_typed_error(body: bytes) -> None:
    _check_record_bytes(body)


@PROPERTY
@given(json_values, st.booleans())
def test_any_json_document_is_a_record_or_a_typed_error(value: Any, wrap: bool) -> None:
    _check_record_bytes(_json_text({"data": value} if wrap else value))


@PROPERTY
@given(records)
def test_a_record_round_trips_as_strict_json(record: dict[str, Any]) -> None:
    raw = read_data_object(_answer(_json_text({"data": record})))
    assert _strict_json(raw) and set(raw) == set(record)
    for key, value in record.items():
        if isinstance(value, float) and not math.isfinite(value):
            assert raw[key] is None
        elif isinstance(value, int | str | bool) or value is None:
            assert raw[key] == value  # big ints and lone surrogates kept as parsed


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 999, 100_000])
def test_nesting_at_and_past_the_limit(depth: int) -> None:
    """``{"data": {"n": [[…]]}}`` nests ``depth`` levels: the two objects and the lists."""
    lists = depth - 2
    body = b'{"data": {"n": ' + b"[" * lists + b"]" * lists + b"}}"
    if depth > MAX_DEPTH:
        with pytest.raises(InspectorError, match=f"nested more than {MAX_DEPTH} levels"):
            read_data_object(_answer(body))
        return
    value, levels = read_data_object(_answer(body))["n"], 0
    while isinstance(value, list):
        value, levels = (value[0] if value else None), levels + 1
    assert levels == lists


# ---- error bodies ----------------------------------------------------------------------

values = json_values
error_documents = st.fixed_dictionaries(
    {
        "error": st.dictionaries(
            st.sampled_from(["code", "message", "name", "metadata"]), json_values
        )
    },
    optional={"user_id": st.text(), "success": st.booleans()},
)


@PROPERTY
@given(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=40),
    st.binary(max_size=2048) | error_documents.map(_json_text) | json_values.map(_json_text),
)
@example(400, "application/json", b'{"error": {"name": [1], "message": null}}')
@example(
    400, "application/json", b'{"error": {"metadata": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}"
)
@example(500, "text/html", b"\xff" * 70_000)
def test_any_error_body_is_read(status: int, content_type: str, body: bytes) -> None:
    info = parse_error_body(status, content_type, body)
    assert isinstance(info, ErrorInfo) and info.status == status
    assert isinstance(info.message, str) and len(info.body_start) <= 2048
    dataclasses.asdict(info)  # strings keep what was sent (lone surrogates too): see jsonsafe


@PROPERTY
@given(
    st.integers(min_value=100, max_value=599).filter(lambda status: status != 200),
    st.dictionaries(
        st.sampled_from(["Retry-After", "X-RateLimit-Reset", "Location", "Content-Type"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
    ),
    st.binary(max_size=512) | error_documents.map(_json_text),
)
@example(429, {"Retry-After": "1e400"}, b"")
@example(429, {"X-RateLimit-Reset": "9" * 400}, b"")
@example(429, {}, b'{"error": {"metadata": {"headers": {"Retry-After": "Sun, 31 Dec 99999"}}}}')
def test_any_answer_is_one_typed_error(status: int, headers: dict[str, str], body: bytes) -> None:
    answer = Answer(status, "Whatever", httpx.Headers(headers), body)
    error = api_error(answer, redactor=Redactor(TEST_KEY), base_url="https://x/v1", now=NOW)
    assert isinstance(error, InspectorError) and error.summary
    wait = getattr(error, "retry_after", None)
    assert wait is None or (math.isfinite(wait) and wait >= 0)


# ---- ids -------------------------------------------------------------------------------

id_text = st.text(alphabet=st.sampled_from(list("gen-req-0123456789aZ_%2D \n\"'[]{}=?&:/")))
long_text = (st.text(min_size=1, max_size=50) | id_text.filter(bool)).map(
    lambda piece: (piece * (100_000 // len(piece) + 1))[:100_000]
)


def _check_id_text(text: str) -> None:
    found = extract_ids(text)
    assert all(isinstance(parsed, ParsedId) for parsed in found.ids)
    try:
        parsed = parse_id(text)
    except MalformedIdError as exc:
        assert len(str(exc)) < 1000  # a message, never the whole input
        return
    assert isinstance(parsed, ParsedId) and parsed.id.startswith("gen-")
    parsed.age_seconds(NOW)


@PROPERTY
@given(st.text() | id_text)
@example("gen-99999999999-" + "a" * 20)
@example("gen-1790983685-" + "a" * 100_000)
@example("req-1790983685-abc")
@example("%" * 1000 + "gen-1790983685-vELIl0vh5b8ltNURLhyU")
def test_any_text_is_an_id_or_a_typed_error(text: str) -> None:
    _check_id_text(text)


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(long_text)
def test_any_100_kb_text_is_an_id_or_a_typed_error(text: str) -> None:
    _check_id_text(text)
