"""The client's bounds against real local servers: compression read once, one deadline per
attempt, a size cap counted after decoding with memory kept bounded."""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from conftest import RunCli
from net_support import RawServer, Reply, elapsed, gzip_bytes

from inspector.core.errors import (
    ConfigError,
    ForbiddenError,
    InspectorError,
    InvalidResponseError,
    NetworkError,
)
from inspector.core.ids import make_id
from inspector.infra.client import (
    MAX_BODY_BYTES,
    GenerationClient,
    ThreadedTransport,
)
from inspector.infra.http.body import ACCEPT_ENCODING
from inspector.testserver import TEST_KEY, FakeOpenRouter, Scenario, Step, catalog

GEN_ID = "gen-1790983685-vELIl0vh5b8ltNURLhyU"
RECORD = {"id": GEN_ID, "model": "openai/gpt-4o", "total_cost": 0.0012, "note": "é ☃"}
BODY = json.dumps({"data": RECORD}).encode()

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


async def lookup(base_url: str, transport: Transport, gen_id: str = GEN_ID, **kw: Any) -> Any:
    """The raw record, or the typed error, one lookup at ``base_url`` ends with."""
    async with GenerationClient(TEST_KEY, base_url, transport=transport(), **kw) as client:
        try:
            return (await client.get_generation(gen_id)).raw
        except InspectorError as exc:
            return exc


def scripted(server: FakeOpenRouter, step: Step) -> str:
    """A fresh id whose every answer is ``step``."""
    gen_id = make_id(1790000000)  # a random tail: a new id each time
    server.set_scenario(gen_id, Scenario(then=step))
    return gen_id


def encoded(body: bytes, encoding: str) -> Step:
    """``body`` sent as is, labelled ``Content-Encoding: encoding``."""
    return Step(200, body, headers={"Content-Encoding": encoding})


# ---- compression -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "gen_id",
    [
        catalog.GZIP_ID,
        catalog.GZIP_ALWAYS_ID,
        catalog.DEFLATE_ID,
        catalog.DEFLATE_RAW_ID,
        catalog.BROTLI_ID,  # br only where the brotli package is installed, else plain
    ],
)
async def test_compressed_records_are_decoded_once(
    fake_server: FakeOpenRouter, transport: Transport, gen_id: str
) -> None:
    raw = await lookup(fake_server.base_url, transport, gen_id)
    assert raw == fake_server.record(gen_id)


@pytest.mark.parametrize("gen_id", [catalog.GZIP_ERROR_ID, catalog.DEFLATE_ERROR_ID])
async def test_compressed_errors_are_decoded_once(
    fake_server: FakeOpenRouter, transport: Transport, gen_id: str
) -> None:
    error = await lookup(fake_server.base_url, transport, gen_id)
    assert isinstance(error, ForbiddenError) and error.info is not None
    assert error.info.message == catalog.COMPRESSED_ERROR_MESSAGE


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("x-gzip", gzip.compress),
        ("gzip, deflate", lambda data: zlib.compress(gzip_bytes(data))),  # stacked
        ("gzip", lambda data: gzip_bytes(data[:20]) + gzip_bytes(data[20:])),  # two members
        ("gzip", lambda data: gzip_bytes(data) + b"trailing junk"),  # ignored, as httpx does
        ("identity", lambda data: data),
    ],
    ids=["x-gzip", "stacked", "members", "trailing", "identity"],
)
async def test_other_codings_are_decoded_once(
    fake_server: FakeOpenRouter,
    transport: Transport,
    encoding: str,
    encode: Callable[[bytes], bytes],
) -> None:
    gen_id = scripted(fake_server, encoded(encode(BODY), encoding))
    assert await lookup(fake_server.base_url, transport, gen_id) == RECORD


async def test_offers_only_what_it_can_read(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    with RawServer(Reply(pieces=lambda: [BODY])) as server:
        assert await lookup(server.base_url, transport) == RECORD
    head = server.heads[0].decode("latin-1").lower()
    assert f"accept-encoding: {ACCEPT_ENCODING}\r\n" in head
    assert ACCEPT_ENCODING.startswith("gzip, deflate")


@pytest.mark.parametrize(
    ("encoding", "body", "problem"),
    [
        ("zstd", b"\x28\xb5\x2f\xfd junk", "compressed with 'zstd'"),
        ("gzip", b"this is not gzip at all", "gzip data of the answer is corrupt"),
        ("gzip, gzip, gzip, gzip, gzip", BODY, "encoded 5 times"),
    ],
    ids=["unknown", "corrupt", "too-many"],
)
async def test_unreadable_codings_are_typed_errors(
    fake_server: FakeOpenRouter, transport: Transport, encoding: str, body: bytes, problem: str
) -> None:
    gen_id = scripted(fake_server, encoded(body, encoding))
    error = await lookup(fake_server.base_url, transport, gen_id)
    assert isinstance(error, InvalidResponseError) and error.status == 200
    assert problem in error.summary


# ---- deadline --------------------------------------------------------------------------


async def test_a_dripping_answer_ends_at_the_deadline(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    """4 bytes a second never trips a per-read timeout; the attempt's deadline ends it."""
    start = time.monotonic()
    error = await lookup(fake_server.base_url, transport, catalog.DRIP_ID, timeout=1)
    took = elapsed(start)
    assert isinstance(error, NetworkError) and error.kind == "timeout", error
    assert 0.9 <= took < 3, took  # ~1 s; the slack is for a loaded machine
    assert "the 1 s deadline for the whole request passed" in error.summary
    assert "timed out reading the answer from 127.0.0.1" in error.summary


async def test_dripping_headers_end_at_the_deadline_too(transport: Transport) -> None:
    def drip_headers(conn: socket.socket) -> None:
        conn.recv(65536)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
            time.sleep(0.25)
            conn.sendall(bytes([byte]))

    start = time.monotonic()
    with RawServer(Reply()) as server:
        server.serve = drip_headers  # type: ignore[method-assign]
        error = await lookup(server.base_url, transport, timeout=1)
    assert isinstance(error, NetworkError) and error.kind == "timeout", error
    assert 0.9 <= elapsed(start) < 3
    assert "timed out waiting for the answer from" in error.summary
    assert "deadline" in error.summary


async def test_a_resolver_that_never_answers_ends_at_the_deadline(
    transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No socket timeout reaches name resolution: ``getaddrinfo`` blocks as long as the
    system's resolver does. Here it never answers (a stand-in, the one fake in this file:
    a hung resolver cannot be arranged on this machine); the attempt still ends by its
    deadline, on the attempt's safety timer."""
    released = threading.Event()
    real = socket.getaddrinfo

    def hanging(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("dns-hangs.test", b"dns-hangs.test"):  # anyio passes it encoded
            released.wait(10)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    start = time.monotonic()
    try:
        error = await lookup("https://dns-hangs.test/api/v1", transport, timeout=0.5)
    finally:
        released.set()  # the resolver's thread ends now (the loop's executor waits for it)
    assert isinstance(error, NetworkError) and error.kind == "timeout", error
    assert elapsed(start) < 2.5


async def test_a_fast_answer_is_unaffected_by_a_short_deadline(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    raw = await lookup(fake_server.base_url, transport, catalog.CHAT_ID, timeout=3)
    assert raw == fake_server.record(catalog.CHAT_ID)


@pytest.mark.parametrize(
    ("gen_id", "when"),
    [(catalog.SLOW_ID, "waiting for the answer"), (catalog.DRIP_ID, "reading the body")],
)
async def test_the_apps_transport_lets_a_cancelled_lookup_go_at_once(
    fake_server: FakeOpenRouter, gen_id: str, when: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The app cancels the lookup in flight when another id is sent: on the threaded
    transport the cancel is immediate (the blocked thread is left to end by its deadline,
    quietly) and the next request on the same client goes out at once."""
    client = GenerationClient(
        TEST_KEY, fake_server.base_url, timeout=1, transport=ThreadedTransport()
    )
    async with client:
        task = asyncio.ensure_future(client.get_generation(gen_id))
        await asyncio.sleep(0.5)  # the request is out (DRIP_ID: its body is dripping)
        assert not task.done(), when
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert elapsed(start) < 0.2, when
        result = await client.get_generation(catalog.CHAT_ID)
        assert result.raw == fake_server.record(catalog.CHAT_ID)
        assert elapsed(start) < 0.9, when
        await asyncio.sleep(1.2)  # the abandoned call has met its deadline by now
    gc.collect()  # an unretrieved failure is reported when its future is collected
    assert not [r for r in caplog.records if r.name == "asyncio"], caplog.text


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_a_timeout_must_be_a_positive_number(bad: float) -> None:
    with pytest.raises(ConfigError, match="timeout"):
        GenerationClient(TEST_KEY, "https://openrouter.ai/api/v1", timeout=bad)


def test_the_deadline_of_an_httpx_timeout_is_its_largest_part() -> None:
    assert GenerationClient(TEST_KEY, "https://openrouter.ai/api/v1").deadline == 30.0
    huge = GenerationClient(TEST_KEY, "https://openrouter.ai/api/v1", timeout=1e300)
    assert huge.deadline == 7 * 86_400.0  # clamped: sockets refuse larger values


# ---- size ------------------------------------------------------------------------------


async def test_a_decompression_bomb_fails_fast_in_bounded_memory(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    """~1 MB of gzip inflating to 1 GiB: refused at the cap, never held whole."""
    assert catalog.BOMB_FILLER == 1 << 30
    # The server builds (and caches) the bomb on the first request: build it before measuring.
    await lookup(fake_server.base_url, transport, catalog.BOMB_ID, timeout=60)
    tracemalloc.start()
    start = time.monotonic()
    try:
        error = await lookup(fake_server.base_url, transport, catalog.BOMB_ID, timeout=60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, InvalidResponseError), error
    assert error.summary == "200 Unexpected answer: answer too large: over 64 MiB once decoded"
    assert error.info is not None and error.info.status == 200
    assert peak < MAX_BODY_BYTES * 1.5, peak  # the cap, plus growth slack; never the GiB
    assert elapsed(start) < 10


async def test_an_announced_oversized_body_is_refused_before_reading(
    transport: Transport,
) -> None:
    reply = Reply(pieces=lambda: [b" " * 1024], length=MAX_BODY_BYTES + 1)
    with RawServer(reply) as server:
        error = await lookup(server.base_url, transport)
    assert isinstance(error, InvalidResponseError) and "answer too large" in error.summary


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
async def test_fifty_megabytes_are_still_read(
    fake_server: FakeOpenRouter, transport: Transport, gzipped: bool
) -> None:
    body = json.dumps({"data": {"id": GEN_ID, "blob": "x" * 50_000_000}}).encode()
    step = encoded(gzip_bytes(body), "gzip") if gzipped else Step(200, body)
    raw = await lookup(fake_server.base_url, transport, scripted(fake_server, step))
    assert isinstance(raw, dict) and len(raw["blob"]) == 50_000_000


def test_get_timeout_is_a_deadline_per_attempt(run_cli: RunCli, cli_env: dict[str, str]) -> None:
    """The CLI end to end (its threaded transport): every attempt ends after ~1 s."""
    env = {**cli_env, "INSPECTOR_RETRY_SCALE": "0", "INSPECTOR_HISTORY": "off"}
    start = time.monotonic()
    done = run_cli("get", catalog.DRIP_ID, "--timeout", "1", env=env)
    took = elapsed(start)
    assert done.returncode != 0 and "the 1 s deadline for the whole request passed" in done.stderr
    attempts = done.stderr.count("deadline for the whole request passed")
    assert attempts >= 1 and took < attempts * 1.5 + 3, (took, done.stderr)
