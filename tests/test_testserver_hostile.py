"""The local server as a hostile server (issue 11), checked over real HTTP: compression,
a slow drip, a decompression bomb, deep nesting, echoed keys, hostile values, future ids."""

from __future__ import annotations

import gzip
import http.client
import json
import math
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.testserver.bomb import gzip_bomb
from inspector.testserver.encoding import brotli_available

AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


def raw_get(
    server: FakeOpenRouter, gen_id: str, accept: str | None = None, key: str = TEST_KEY
) -> tuple[http.client.HTTPResponse, bytes, http.client.HTTPConnection]:
    """GET /generation with exactly these headers; the body as sent (not decoded)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    headers = {"Authorization": f"Bearer {key}"}
    if accept is not None:
        headers["Accept-Encoding"] = accept
    conn.request("GET", f"/api/v1/generation?id={gen_id}", headers=headers)
    answer = conn.getresponse()
    return answer, answer.read(), conn


@pytest.fixture
def client(fake_server: FakeOpenRouter) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake_server.base_url, headers=AUTH, timeout=10) as c:
        yield c


# -- compression --------------------------------------------------------------------------

DECODERS: dict[str, Callable[[bytes], bytes]] = {
    catalog.GZIP_ID: gzip.decompress,
    catalog.DEFLATE_ID: zlib.decompress,
    catalog.DEFLATE_RAW_ID: lambda body: zlib.decompress(body, -zlib.MAX_WBITS),
}


@pytest.mark.parametrize("gen_id", list(DECODERS))
def test_compressed_records_honour_accept_encoding(
    fake_server: FakeOpenRouter, gen_id: str
) -> None:
    answer, body, _ = raw_get(fake_server, gen_id, "gzip, deflate")
    coding = "gzip" if gen_id == catalog.GZIP_ID else "deflate"
    assert answer.getheader("Content-Encoding") == coding
    assert answer.getheader("Vary") == "Accept-Encoding"
    assert int(answer.getheader("Content-Length") or -1) == len(body)
    assert json.loads(DECODERS[gen_id](body))["data"]["id"] == gen_id
    plain, plain_body, _ = raw_get(fake_server, gen_id, None)
    assert plain.getheader("Content-Encoding") is None
    assert json.loads(plain_body)["data"]["id"] == gen_id
    refused, refused_body, _ = raw_get(fake_server, gen_id, f"{coding};q=0, identity")
    assert refused.getheader("Content-Encoding") is None and refused_body == plain_body


def test_httpx_decodes_what_the_server_compresses(client: httpx.Client) -> None:
    for gen_id in (catalog.GZIP_ID, catalog.DEFLATE_ID, catalog.DEFLATE_RAW_ID):
        answer = client.get("/generation", params={"id": gen_id})
        assert answer.headers["content-encoding"] in ("gzip", "deflate")
        assert answer.json()["data"]["id"] == gen_id


def test_a_cdn_compresses_even_when_not_asked(fake_server: FakeOpenRouter) -> None:
    answer, body, _ = raw_get(fake_server, catalog.GZIP_ALWAYS_ID, "identity")
    assert answer.getheader("Content-Encoding") == "gzip"
    assert body[:2] == b"\x1f\x8b"
    assert json.loads(gzip.decompress(body))["data"]["id"] == catalog.GZIP_ALWAYS_ID


@pytest.mark.parametrize(
    ("gen_id", "coding", "decode"),
    [
        (catalog.GZIP_ERROR_ID, "gzip", gzip.decompress),
        (catalog.DEFLATE_ERROR_ID, "deflate", zlib.decompress),
    ],
)
def test_compressed_error_bodies(
    fake_server: FakeOpenRouter, gen_id: str, coding: str, decode: Callable[[bytes], bytes]
) -> None:
    answer, body, _ = raw_get(fake_server, gen_id, coding)
    assert answer.status == catalog.COMPRESSED_ERROR_STATUS
    assert answer.getheader("Content-Encoding") == coding
    error = json.loads(decode(body))["error"]
    assert error == {"code": 403, "message": catalog.COMPRESSED_ERROR_MESSAGE}
    _, plain, _ = raw_get(fake_server, gen_id)
    assert json.loads(plain)["error"]["code"] == 403


def test_brotli_only_when_the_package_is_installed(fake_server: FakeOpenRouter) -> None:
    answer, body, _ = raw_get(fake_server, catalog.BROTLI_ID, "br")
    if brotli_available():
        brotli: Any = pytest.importorskip("brotli")
        assert answer.getheader("Content-Encoding") == "br"
        assert json.loads(brotli.decompress(body))["data"]["id"] == catalog.BROTLI_ID
    else:
        assert answer.getheader("Content-Encoding") is None
        assert json.loads(body)["data"]["id"] == catalog.BROTLI_ID


@pytest.mark.parametrize("force", [False, True])
def test_server_wide_compression(
    make_fake_server: Callable[..., FakeOpenRouter], force: bool
) -> None:
    server = make_fake_server(encoding="gzip", force_encoding=force)
    answer, body, _ = raw_get(server, catalog.CHAT_ID, "gzip")
    assert answer.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body))["data"]["id"] == catalog.CHAT_ID
    error, error_body, _ = raw_get(server, catalog.CHAT_ID, "gzip", key="sk-or-v1-wrong")
    assert error.status == 401 and json.loads(gzip.decompress(error_body))["error"]["code"] == 401
    plain, _, _ = raw_get(server, catalog.CHAT_ID, "identity")
    assert (plain.getheader("Content-Encoding") == "gzip") is force
    with httpx.Client(base_url=server.base_url, headers=AUTH) as c:
        assert c.get("/key").headers["content-encoding"] == "gzip"
        assert c.get("/models").json()["data"]


# -- a slow drip --------------------------------------------------------------------------


def test_drip_sends_the_body_a_few_bytes_a_second(fake_server: FakeOpenRouter) -> None:
    assert fake_server.scenario(catalog.DRIP_ID) == catalog.drip(catalog.DRIP_RATE)
    started = time.monotonic()
    headers = {**AUTH, "Accept-Encoding": "identity"}
    with (
        httpx.Client(base_url=fake_server.base_url, headers=headers, timeout=1.0) as c,
        c.stream("GET", "/generation", params={"id": catalog.DRIP_ID}) as answer,
    ):
        assert answer.status_code == 200
        assert time.monotonic() - started < 1.0  # headers come at once
        length = int(answer.headers["content-length"])
        assert length == len(fake_server.record_bytes(catalog.DRIP_ID) or b"")
        received = b""
        for chunk in answer.iter_raw():  # every read is well inside the 1 s timeout...
            received += chunk
            if time.monotonic() - started > 2.6:
                break
    elapsed = time.monotonic() - started
    # ...yet the whole answer would take minutes: only a whole-attempt deadline ends it.
    assert elapsed > 2.5
    assert len(received) <= catalog.DRIP_RATE * elapsed + 2
    assert len(received) >= catalog.DRIP_RATE * 2
    assert length / catalog.DRIP_RATE > 300
    assert received == (fake_server.record_bytes(catalog.DRIP_ID) or b"")[: len(received)]


def test_stop_ends_a_drip_promptly(make_fake_server: Callable[..., FakeOpenRouter]) -> None:
    server = make_fake_server()
    failures: list[BaseException] = []

    def read_all() -> None:
        try:
            raw_get(server, catalog.DRIP_ID)
        except (http.client.HTTPException, OSError) as exc:
            failures.append(exc)

    reader = threading.Thread(target=read_all)
    reader.start()
    time.sleep(0.6)
    started = time.monotonic()
    server.stop()
    reader.join(timeout=5)
    assert not reader.is_alive() and time.monotonic() - started < 3
    assert len(failures) == 1  # the body was cut short


# -- a decompression bomb -----------------------------------------------------------------


def test_bomb_is_a_megabyte_on_the_wire_and_a_gibibyte_inflated(
    fake_server: FakeOpenRouter,
) -> None:
    answer, body, _ = raw_get(fake_server, catalog.BOMB_ID, "gzip")
    assert answer.status == 200 and answer.getheader("Content-Encoding") == "gzip"
    assert int(answer.getheader("Content-Length") or -1) == len(body)
    assert 0.9e6 < len(body) < 1.2e6
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total, tail, pending = 0, b"", body
    while pending:
        piece = inflate.decompress(pending, 1 << 24)  # bounded: never more than 16 MiB at once
        total += len(piece)
        tail = piece[-4096:] if len(piece) >= 4096 else (tail + piece)[-4096:]
        pending = inflate.unconsumed_tail
    assert inflate.eof and not inflate.unused_data  # one gzip member, trailer (CRC, size) valid
    payload = json.dumps({"data": catalog.chat_like(catalog.BOMB_ID)}, separators=(",", ":"))
    assert total == catalog.BOMB_FILLER + len(payload.encode())
    record = json.loads(tail[tail.rindex(b" ") + 1 :])
    assert record["data"]["id"] == catalog.BOMB_ID


def test_bomb_is_sent_from_a_few_kilobytes(fake_server: FakeOpenRouter) -> None:
    payload = json.dumps({"data": catalog.chat_like(catalog.BOMB_ID)}, separators=(",", ":"))
    bomb = gzip_bomb(catalog.BOMB_FILLER, payload.encode())
    held = len(bomb.head) + len(bomb.middle) + len(bomb.tail)
    assert held < 16_000 and bomb.repeats == catalog.BOMB_FILLER // (1 << 20) - 1
    assert sys.getsizeof(bomb) < 1000


def test_a_small_bomb_is_valid_gzip_that_httpx_inflates(
    fake_server: FakeOpenRouter, client: httpx.Client
) -> None:
    fake_server.set_scenario(catalog.BOMB_ID, catalog.bomb(catalog.BOMB_ID, filler=8 << 20))
    answer = client.get("/generation", params={"id": catalog.BOMB_ID})
    assert len(answer.content) > 8 << 20
    assert answer.json()["data"]["id"] == catalog.BOMB_ID  # leading whitespace is valid JSON


# -- deep nesting -------------------------------------------------------------------------


def test_deeply_nested_record_and_error_body(fake_server: FakeOpenRouter) -> None:
    depth = catalog.DEEP_JSON_DEPTH
    answer, body, _ = raw_get(fake_server, catalog.DEEP_JSON_ID)
    assert answer.status == 200 and body.startswith(b'{"data":{')
    assert body.endswith(b',"nested":' + b"[" * depth + b"]" * depth + b"}}")
    with pytest.raises(RecursionError):
        json.loads(body)
    answer, body, _ = raw_get(fake_server, catalog.DEEP_JSON_ERROR_ID)
    assert answer.status == catalog.DEEP_JSON_ERROR_STATUS == 400
    assert answer.getheader("Content-Type") == "application/json"
    assert body.count(b'{"a":') == depth
    with pytest.raises(RecursionError):
        json.loads(body)


# -- echoed secrets -----------------------------------------------------------------------


def test_the_key_sent_comes_back_in_the_record_and_the_error(
    make_fake_server: Callable[..., FakeOpenRouter],
) -> None:
    other = "sk-or-v1-another-key-0123456789"
    server = make_fake_server(api_keys=[TEST_KEY, other])
    for key in (TEST_KEY, other):
        _, body, _ = raw_get(server, catalog.ECHO_KEY_ID, key=key)
        data = json.loads(body)["data"]
        assert data["id"] == catalog.ECHO_KEY_ID and data["external_user"] == key
        assert data["request_headers"] == {"authorization": f"Bearer {key}"}
        assert key in data["user_agent"] and set(catalog.ECHO_FIELDS) <= data.keys()
        answer, body, _ = raw_get(server, catalog.ECHO_KEY_ERROR_ID, key=key)
        error = json.loads(body)["error"]
        assert answer.status == catalog.ECHO_KEY_ERROR_STATUS and key in error["message"]
        assert error["metadata"]["headers"]["Authorization"] == f"Bearer {key}"
    assert all(TEST_KEY not in repr(r) and other not in repr(r) for r in server.requests)


# -- hostile values -----------------------------------------------------------------------


@pytest.mark.parametrize("gen_id", catalog.HOSTILE_VALUE_IDS)
def test_hostile_values_are_sent_byte_for_byte(fake_server: FakeOpenRouter, gen_id: str) -> None:
    answer, body, _ = raw_get(fake_server, gen_id)
    assert answer.status == 200
    text = body.decode()
    for key, token in catalog.HOSTILE_VALUES[gen_id].items():
        assert f'"{key}":{token}' in text
    assert f'"id":"{gen_id}"' in text


def test_what_a_permissive_parser_makes_of_the_hostile_values(client: httpx.Client) -> None:
    def data(gen_id: str) -> dict[str, Any]:
        loaded: dict[str, Any] = client.get("/generation", params={"id": gen_id}).json()["data"]
        return loaded

    huge = data(catalog.HUGE_INT_ID)
    assert huge["tokens_prompt"] == catalog.HUGE_INT > 2**63 and huge["latency"] == 2**63
    assert huge["native_tokens_completion"] < -(2**63)
    floats = data(catalog.HUGE_FLOAT_ID)
    assert floats["total_cost"] == 1e308 and math.isinf(floats["generation_time"])
    tiny = data(catalog.DENORMAL_ID)
    assert 0 < tiny["total_cost"] < sys.float_info.min and tiny["cache_discount"] == 0.0
    nan = data(catalog.NAN_ID)
    assert math.isnan(nan["total_cost"]) and nan["usage"] == math.inf
    assert nan["cache_discount"] == -math.inf
    lone = data(catalog.LONE_SURROGATE_ID)
    assert lone["external_user"] == "\ud800"
    with pytest.raises(UnicodeEncodeError):
        lone["user_agent"].encode()
    long = data(catalog.LONG_STRING_ID)
    assert len(long["external_user"]) == catalog.LONG_STRING_LENGTH


def test_a_strict_parser_refuses_nan_and_infinity(fake_server: FakeOpenRouter) -> None:
    def refuse(token: str) -> None:
        raise ValueError(token)

    _, body, _ = raw_get(fake_server, catalog.NAN_ID)
    with pytest.raises(ValueError, match="NaN"):
        json.loads(body, parse_constant=refuse)


# -- ids stamped in the future ------------------------------------------------------------


def test_future_stamped_ids_are_never_indexed(
    fake_server: FakeOpenRouter, client: httpx.Client
) -> None:
    mistyped = catalog.id_time(catalog.MISTYPED_FUTURE_ID)
    assert mistyped - time.time() > 30 * 365 * 86400
    assert client.get("/generation", params={"id": catalog.MISTYPED_FUTURE_ID}).status_code == 404
    ahead = catalog.future_id(fake_server, ahead=6 * 3600)
    assert abs(catalog.id_time(ahead) - (time.time() + 6 * 3600)) < 5
    answers = [client.get("/generation", params={"id": ahead}) for _ in range(3)]
    assert [a.status_code for a in answers] == [404] * 3
    assert answers[0].json()["error"]["message"] == f"Generation {ahead} not found"
    assert fake_server.count(ahead) == 3
    days = catalog.future_id(fake_server, ahead=3 * 86400, prefix="gen-img")
    assert days.startswith("gen-img-") and catalog.id_time(days) > time.time() + 2 * 86400


def test_a_skewed_id_resolves_with_a_future_created_at(
    fake_server: FakeOpenRouter, client: httpx.Client
) -> None:
    gen_id = catalog.skewed_id(fake_server, ahead=120, polls=1)
    assert catalog.id_time(gen_id) > time.time() + 100
    first = client.get("/generation", params={"id": gen_id})
    second = client.get("/generation", params={"id": gen_id})
    assert (first.status_code, second.status_code) == (404, 200)
    created = datetime.fromisoformat(second.json()["data"]["created_at"].replace("Z", "+00:00"))
    assert 0 <= created.timestamp() - catalog.id_time(gen_id) < 1
    assert created.timestamp() > time.time() + 100
