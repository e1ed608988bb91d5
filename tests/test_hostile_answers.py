"""A hostile server, against the real local one: echoed secrets, credentials in the base URL,
deep nesting, non-finite numbers, huge integers, lone surrogates. Each is a clear typed error
or a record that is safe to print and to store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import RunCli

from inspector.core.errors import (
    AuthError,
    BadRequestError,
    ConfigError,
    InspectorError,
    InvalidResponseError,
    MalformedIdError,
    NetworkError,
)
from inspector.core.ids import make_id
from inspector.core.jsonsafe import MAX_DEPTH
from inspector.infra.client import GenerationClient, ThreadedTransport
from inspector.infra.keystore import mask_key
from inspector.testserver import TEST_KEY, FakeOpenRouter, Scenario, Step, catalog
from inspector.testserver.bodies import json_bytes

Transport = Callable[[], httpx.AsyncBaseTransport | None]
TRANSPORTS: dict[str, Transport] = {
    "async": lambda: None,
    "threaded": ThreadedTransport,
}
PASSWORD = "s3cret-Pa55word"


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> Transport:
    return TRANSPORTS[request.param]


async def lookup(
    base_url: str, transport: Transport, gen_id: str, key: str | None = TEST_KEY
) -> Any:
    async with GenerationClient(key, base_url, transport=transport()) as client:
        try:
            return (await client.get_generation(gen_id)).raw
        except InspectorError as exc:
            return exc


def with_credentials(url: str, userinfo: str = f"me:{PASSWORD}") -> str:
    return url.replace("://", f"://{userinfo}@", 1)


# ---- echoed secrets --------------------------------------------------------------------


async def test_a_record_echoing_the_key_is_handed_out_masked(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    raw = await lookup(fake_server.base_url, transport, catalog.ECHO_KEY_ID)
    assert isinstance(raw, dict), raw
    assert TEST_KEY not in json.dumps(raw)
    masked = mask_key(TEST_KEY)
    assert raw["external_user"] == masked
    assert raw["user_agent"] == f"proxy/1.0 (forwarded Authorization: Bearer {masked})"
    assert raw["request_headers"] == {"authorization": f"Bearer {masked}"}  # unknown field too


async def test_keys_of_a_record_are_masked_too(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    gen_id = make_id(1790000000)
    body = json_bytes({"data": {"id": gen_id, "seen": {TEST_KEY: [f"x{TEST_KEY}y"]}}})
    fake_server.set_scenario(gen_id, Scenario(then=Step(200, body)))
    raw = await lookup(fake_server.base_url, transport, gen_id)
    masked = mask_key(TEST_KEY)
    assert raw == {"id": gen_id, "seen": {masked: [f"x{masked}y"]}}


async def test_an_error_echoing_the_key_is_masked_everywhere(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    error = await lookup(fake_server.base_url, transport, catalog.ECHO_KEY_ERROR_ID)
    assert isinstance(error, BadRequestError) and error.info is not None
    assert error.info.message == f"Invalid request for key {mask_key(TEST_KEY)}"
    assert error.info.metadata == {"headers": {"Authorization": f"Bearer {mask_key(TEST_KEY)}"}}
    for text in (str(error), repr(error), error.summary, repr(error.info)):
        assert TEST_KEY not in text


def test_get_keeps_the_key_out_of_its_output_and_every_file(
    run_cli: RunCli, cli_env: dict[str, str]
) -> None:
    done = run_cli("get", catalog.ECHO_KEY_ID, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["external_user"] == mask_key(TEST_KEY)
    assert TEST_KEY not in done.stdout + done.stderr
    files = [p for p in Path(cli_env["INSPECTOR_DATA_DIR"]).rglob("*") if p.is_file()]
    assert files, "the lookup was recorded"
    for path in files:
        assert TEST_KEY.encode() not in path.read_bytes(), path


# ---- credentials in the base URL -------------------------------------------------------


def test_credentials_are_never_shown() -> None:
    client = GenerationClient(TEST_KEY, with_credentials("https://gw.example/api/v1"))
    assert (
        PASSWORD not in client.display_base_url and "gw.example/api/v1" in client.display_base_url
    )
    assert PASSWORD not in repr(client)
    with pytest.raises(ConfigError) as caught:
        GenerationClient(None, with_credentials("http://gw.example/api/v1"))
    assert "refusing to send credentials over plain http://" in caught.value.summary
    assert PASSWORD not in str(caught.value)
    with pytest.raises(ConfigError) as bad:
        GenerationClient(TEST_KEY, with_credentials("https://gw.example:port/api/v1"))
    assert PASSWORD not in str(bad.value)


async def test_with_a_key_the_credentials_are_not_sent_and_never_come_back(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    gen_id = make_id(1790000000)
    record = {"id": gen_id, "origin": f"https://me:{PASSWORD}@gw.example/", "note": PASSWORD}
    fake_server.set_scenario(gen_id, Scenario(then=Step(200, json_bytes({"data": record}))))
    raw = await lookup(with_credentials(fake_server.base_url), transport, gen_id)
    assert isinstance(raw, dict) and PASSWORD not in json.dumps(raw), raw
    assert raw["origin"] == "https://me:•••@gw.example/" and raw["note"] == "•••"
    assert fake_server.requests[-1].authorized  # the key went as the Authorization


async def test_without_a_key_the_credentials_go_as_basic_auth(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    error = await lookup(with_credentials(fake_server.base_url), transport, catalog.CHAT_ID, None)
    assert isinstance(error, AuthError)
    assert fake_server.requests[-1].had_auth and not fake_server.requests[-1].authorized
    assert PASSWORD not in str(error)


async def test_messages_name_the_server_without_its_credentials(
    fake_server: FakeOpenRouter,
    make_fake_server: Callable[..., FakeOpenRouter],
    transport: Transport,
) -> None:
    wrong_path = await lookup(with_credentials(fake_server.root_url), transport, catalog.CHAT_ID)
    assert isinstance(wrong_path, InvalidResponseError) and "check the base URL" in str(wrong_path)
    assert "•••@127.0.0.1" in wrong_path.summary and PASSWORD not in wrong_path.summary
    gone = make_fake_server()
    url = with_credentials(gone.base_url)
    gone.stop()
    refused = await lookup(url, transport, catalog.CHAT_ID)
    assert isinstance(refused, NetworkError) and PASSWORD not in refused.summary


# ---- hostile values --------------------------------------------------------------------


async def test_a_100000_deep_record_is_a_typed_error(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    assert catalog.DEEP_JSON_DEPTH == 100_000
    error = await lookup(fake_server.base_url, transport, catalog.DEEP_JSON_ID)
    assert isinstance(error, InvalidResponseError) and error.status == 200, error
    assert f"the body is JSON nested more than {MAX_DEPTH} levels deep" in error.summary


async def test_a_100000_deep_error_body_keeps_its_status(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    """Too deep to read as JSON: shown as text, the status still says what went wrong."""
    error = await lookup(fake_server.base_url, transport, catalog.DEEP_JSON_ERROR_ID)
    assert isinstance(error, BadRequestError) and error.info is not None, error
    assert not error.info.is_json and error.info.body_start.startswith('{"error":')


async def test_non_finite_numbers_become_null(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    raw = await lookup(fake_server.base_url, transport, catalog.NAN_ID)
    assert isinstance(raw, dict), raw
    for key in catalog.HOSTILE_VALUES[catalog.NAN_ID]:
        assert raw[key] is None
    json.dumps(raw, allow_nan=False)  # strict JSON: no NaN, no Infinity
    huge = await lookup(fake_server.base_url, transport, catalog.HUGE_FLOAT_ID)
    assert huge["generation_time"] is None  # 1e999 overflows a double
    assert huge["total_cost"] == 1e308 and huge["cache_discount"] == -1e308
    tiny = await lookup(fake_server.base_url, transport, catalog.DENORMAL_ID)
    assert tiny["total_cost"] == 5e-324 and tiny["cache_discount"] == 0.0


async def test_big_integers_and_lone_surrogates_are_kept(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    raw = await lookup(fake_server.base_url, transport, catalog.HUGE_INT_ID)
    assert raw["tokens_prompt"] == catalog.HUGE_INT == 2**64 + 1
    assert raw["latency"] == 2**63 and raw["native_tokens_completion"] == -(2**63) - 1
    text = await lookup(fake_server.base_url, transport, catalog.LONE_SURROGATE_ID)
    assert text["external_user"] == "\ud800" and text["session_id"] == "\udbff\udbff"


@pytest.mark.parametrize("gen_id", [catalog.NAN_ID, catalog.HUGE_FLOAT_ID])
def test_get_json_stays_strict_json(run_cli: RunCli, gen_id: str) -> None:
    done = run_cli("get", gen_id, "--json", "--no-history")
    assert done.returncode == 0, done.stderr

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in --json output")

    assert json.loads(done.stdout, parse_constant=refuse)["id"] == gen_id


async def test_a_100_kb_id_is_refused_before_sending(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    error = await lookup(fake_server.base_url, transport, "gen-1790983685-" + "a" * 100_000)
    assert isinstance(error, MalformedIdError), error
    assert "too long to be sent (100,015 characters" in error.summary
    assert fake_server.requests == []
