"""The local OpenRouter: routes, auth, seeded records, scripted scenarios, schema fidelity."""

from __future__ import annotations

import email.utils
import json
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from inspector.testserver import TEST_KEY, FakeOpenRouter, Scenario, Step, catalog
from inspector.testserver.server import HTML_TYPE

SPEC_PATH = Path(__file__).parent / "data" / "openapi-generation.json"
SAMPLES = Path(__file__).resolve().parent.parent / "inspector" / "testserver" / "data"
ID_RE = re.compile(r"^gen-(?:img-|batch-)?(\d{10})-(?:[A-Za-z0-9]{20}|[0-9a-f]{24})$")


# -- helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SPEC_PATH.read_text())
    return loaded


def validator(spec: dict[str, Any], schema_name: str) -> Draft202012Validator:
    """A validator for ``#/components/schemas/<schema_name>`` with every $ref resolvable."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    return Draft202012Validator(schema)


def error_paths(spec: dict[str, Any], schema_name: str, body: Any) -> set[str]:
    """Where ``body`` breaks the schema, as dotted paths (``data.provider_name``)."""
    errors = validator(spec, schema_name).iter_errors(body)
    return {".".join(str(p) for p in error.absolute_path) for error in errors}


def missing_required(spec: dict[str, Any], body: Any) -> set[str]:
    """Required keys of the record that ``body`` lacks (and no other kind of error)."""
    missing = set()
    for error in validator(spec, "GenerationResponse").iter_errors(body):
        assert error.validator == "required", error.message
        missing.add(error.message.split("'")[1])
    return missing


@pytest.fixture(scope="module")
def tls() -> ssl.SSLContext:
    """One TLS context for every client (building one per httpx.Client costs ~30 ms)."""
    return ssl.create_default_context()


@pytest.fixture
def client(fake_server: FakeOpenRouter, tls: ssl.SSLContext) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TEST_KEY}", "User-Agent": "test-testserver/1"}
    with httpx.Client(base_url=fake_server.base_url, headers=headers, timeout=10, verify=tls) as c:
        yield c


def get_gen(client: httpx.Client, gen_id: str) -> httpx.Response:
    return client.get("/generation", params={"id": gen_id})


def statuses(client: httpx.Client, gen_id: str, n: int) -> list[int]:
    return [get_gen(client, gen_id).status_code for _ in range(n)]


# -- lifecycle ----------------------------------------------------------------------------


def test_starts_on_a_free_loopback_port_and_stops() -> None:
    with FakeOpenRouter(seed=False) as one, FakeOpenRouter(seed=False) as two:
        assert one.port != two.port
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", one.base_url)
        assert one.running
        base = one.base_url
    assert not one.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/key", timeout=2)
    one.stop()  # idempotent


def test_base_url_needs_a_started_server() -> None:
    with pytest.raises(RuntimeError):
        _ = FakeOpenRouter(seed=False).base_url


def test_stop_ends_a_slow_answer_promptly(fake_server: FakeOpenRouter) -> None:
    fake_server.set_scenario(catalog.CHAT_ID, catalog.slow(30))
    errors: list[BaseException] = []

    def slow_request() -> None:
        try:
            httpx.get(
                fake_server.base_url + "/generation",
                params={"id": catalog.CHAT_ID},
                headers={"Authorization": f"Bearer {TEST_KEY}"},
                timeout=10,
            )
        except httpx.TransportError as exc:
            errors.append(exc)

    thread = threading.Thread(target=slow_request)
    thread.start()
    deadline = time.monotonic() + 5
    while fake_server.count(catalog.CHAT_ID) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    fake_server.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 3
    assert len(errors) == 1


def test_module_entry_point_prints_url_and_key_and_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector.testserver", "--port", "0", "--pending", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        base_url = lines[0].strip().removeprefix("OPENROUTER_BASE_URL=")
        assert lines[1].strip() == f"OPENROUTER_API_KEY={TEST_KEY}"
        headers = {"Authorization": f"Bearer {TEST_KEY}"}
        answer = httpx.get(
            base_url + "/generation", params={"id": catalog.CHAT_ID}, headers=headers
        )
        assert answer.json()["data"]["id"] == catalog.CHAT_ID
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        # Not communicate(): it would skip what readline() already buffered.
        out = proc.stdout.read()
        err = proc.stderr.read() if proc.stderr is not None else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert catalog.OLD_RECORD_ID in out  # the demo ids are listed
    assert "Pending" in out
    assert "Traceback" not in err


# -- auth and routes ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/generation?id=" + catalog.CHAT_ID, "/key"])
def test_missing_key_is_401_no_auth_credentials(
    fake_server: FakeOpenRouter, spec: dict[str, Any], path: str
) -> None:
    answer = httpx.get(fake_server.base_url + path)
    assert answer.status_code == 401
    assert answer.json() == {"error": {"code": 401, "message": "No auth credentials found"}}
    assert error_paths(spec, "UnauthorizedResponse", answer.json()) == set()


@pytest.mark.parametrize("path", ["/generation?id=" + catalog.CHAT_ID, "/key"])
def test_wrong_key_is_401_user_not_found(
    fake_server: FakeOpenRouter, spec: dict[str, Any], path: str
) -> None:
    headers = {"Authorization": "Bearer sk-or-v1-wrong"}
    answer = httpx.get(fake_server.base_url + path, headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"error": {"code": 401, "message": "User not found."}}
    assert error_paths(spec, "UnauthorizedResponse", answer.json()) == set()


@pytest.mark.parametrize("header", ["", "Bearer", "Basic abc", TEST_KEY])
def test_malformed_authorization_counts_as_no_credentials(
    fake_server: FakeOpenRouter, header: str
) -> None:
    answer = httpx.get(fake_server.base_url + "/key", headers={"Authorization": header})
    assert answer.json()["error"]["message"] == "No auth credentials found"


def test_other_keys_can_be_accepted(make_fake_server: Callable[..., FakeOpenRouter]) -> None:
    server = make_fake_server(api_keys=["sk-or-v1-other"], seed=False)
    headers = {"Authorization": "Bearer sk-or-v1-other"}
    assert httpx.get(server.base_url + "/key", headers=headers).status_code == 200
    headers = {"Authorization": f"Bearer {TEST_KEY}"}
    assert httpx.get(server.base_url + "/key", headers=headers).status_code == 401


def test_key_endpoint_describes_the_key_without_revealing_it(client: httpx.Client) -> None:
    answer = client.get("/key")
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert {"label", "limit", "limit_remaining", "usage", "is_free_tier"} <= data.keys()
    assert TEST_KEY not in answer.text
    assert client.get("/auth/key").json() == answer.json()


@pytest.mark.parametrize("path", ["/api/v1/nope", "/generation", "/", "/api/v2/generation"])
def test_unknown_routes_answer_an_html_404(fake_server: FakeOpenRouter, path: str) -> None:
    answer = httpx.get(fake_server.root_url + path, params={"id": catalog.CHAT_ID})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == HTML_TYPE
    assert answer.text.startswith("<!DOCTYPE html>")


def test_other_methods_are_refused(client: httpx.Client) -> None:
    answer = client.post("/generation", params={"id": catalog.CHAT_ID}, json={"x": 1})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert get_gen(client, catalog.CHAT_ID).status_code == 200  # connection still in sync


@pytest.mark.parametrize("query", [{}, {"id": ""}, {"id": "  "}])
def test_missing_id_is_a_zod_400(client: httpx.Client, query: dict[str, str]) -> None:
    answer = client.get("/generation", params=query)
    assert answer.status_code == 400
    body = answer.json()
    assert body["success"] is False
    assert body["error"]["name"] == "ZodError"
    assert "Required" in body["error"]["message"]


def test_unknown_id_is_a_json_404(client: httpx.Client, spec: dict[str, Any]) -> None:
    answer = get_gen(client, catalog.NOT_FOUND_ID)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body == {
        "error": {"code": 404, "message": f"Generation {catalog.NOT_FOUND_ID} not found"}
    }
    assert error_paths(spec, "NotFoundResponse", body) == set()


def test_odd_ids_are_passed_through_as_query_values(client: httpx.Client) -> None:
    odd = "gen-1 2&x=[y]"
    answer = get_gen(client, odd)
    assert answer.json()["error"]["message"] == f"Generation {odd} not found"


# -- records ------------------------------------------------------------------------------


def test_constant_ids_are_well_formed_and_old() -> None:
    every = [*catalog.RECORD_IDS, *catalog.SCENARIO_IDS, catalog.NOT_FOUND_ID]
    assert len(set(every)) == len(every)
    for gen_id in every:
        match = ID_RE.match(gen_id)
        assert match, gen_id
        assert time.time() - int(match.group(1)) > 3600, gen_id


@pytest.mark.parametrize("gen_id", catalog.SAMPLE_IDS)
def test_shared_samples_are_served_exactly(client: httpx.Client, gen_id: str) -> None:
    sample = json.loads((SAMPLES / catalog.SAMPLE_FILES[gen_id]).read_text())
    assert sample["data"]["id"] == gen_id
    assert get_gen(client, gen_id).json() == sample


VALID_IDS = [
    gen_id
    for gen_id in (*catalog.RECORD_IDS, *catalog.SCENARIO_IDS)
    if gen_id not in (catalog.FUTURE_FIELDS_ID, catalog.OLD_RECORD_ID)
]


@pytest.mark.parametrize("gen_id", VALID_IDS)
def test_every_record_validates_against_the_published_schema(
    fake_server: FakeOpenRouter, spec: dict[str, Any], gen_id: str
) -> None:
    record = fake_server.record(gen_id)
    assert record is not None and record["id"] == gen_id
    if gen_id == catalog.HUGE_FALLBACK_ID:  # 20,000 alike entries: a slice keeps this fast
        attempts = record["provider_responses"]
        record["provider_responses"] = [*attempts[:60], attempts[-1]]
    assert error_paths(spec, "GenerationResponse", {"data": record}) == set()
    assert len(record) == 45


def test_served_200_bodies_validate(client: httpx.Client, spec: dict[str, Any]) -> None:
    for gen_id in (catalog.CHAT_ID, catalog.IMAGE_ID, catalog.HOSTILE_TEXT_ID):
        answer = get_gen(client, gen_id)
        assert answer.headers["content-type"] == "application/json"
        assert error_paths(spec, "GenerationResponse", answer.json()) == set()


def test_future_fields_break_the_closed_schema_only_where_expected(
    client: httpx.Client, spec: dict[str, Any]
) -> None:
    body = get_gen(client, catalog.FUTURE_FIELDS_ID).json()
    assert error_paths(spec, "GenerationResponse", body) == {
        "data.api_type",
        "data.total_cost",
        "data.provider_responses.0.provider_name",
    }
    data = body["data"]
    assert set(catalog.FUTURE_EXTRA_KEYS) <= data.keys()
    assert data["total_cost"] == "1.8e-05"
    assert data["provider_name"] == catalog.FUTURE_PROVIDER
    assert data["api_type"] == catalog.FUTURE_API_TYPE


def test_future_fields_send_numbers_in_exponent_notation(client: httpx.Client) -> None:
    text = get_gen(client, catalog.FUTURE_FIELDS_ID).text
    assert '"total_cost":"1.8e-05"' in text
    assert '"usage":1.8e-05' in text


def test_old_record_has_only_the_32_older_fields(
    client: httpx.Client, spec: dict[str, Any]
) -> None:
    body = get_gen(client, catalog.OLD_RECORD_ID).json()
    data = body["data"]
    assert len(data) == 32
    assert not set(catalog.NEWER_FIELDS) & data.keys()
    assert data["created_at"].endswith("+00:00")
    optional = {"request_id", "session_id", "response_cache_source_id"}
    assert missing_required(spec, body) == set(catalog.NEWER_FIELDS) - optional


def test_hostile_strings_arrive_intact(client: httpx.Client) -> None:
    data = get_gen(client, catalog.HOSTILE_TEXT_ID).json()["data"]
    for key, value in catalog.HOSTILE_STRINGS.items():
        assert data[key] == value
    joined = "".join(catalog.HOSTILE_STRINGS.values())
    for needle in ("[@click=app.quit]x[/]", "[bold]", "\x1b[31m", "\x1b]0;pwned\x07"):
        assert needle in joined


def test_huge_fallback_chain(client: httpx.Client) -> None:
    data = get_gen(client, catalog.HUGE_FALLBACK_ID).json()["data"]
    attempts = data["provider_responses"]
    assert len(attempts) == catalog.HUGE_FALLBACK_COUNT == 20_000
    assert attempts[-1]["status"] == 200
    assert all(a["status"] != 200 for a in attempts[:-1])


def test_huge_record_is_built_lazily() -> None:
    server = FakeOpenRouter()
    assert catalog.HUGE_FALLBACK_ID in server.ids()
    assert catalog.HUGE_FALLBACK_ID not in server._records  # built on first request only


def test_special_records(client: httpx.Client) -> None:
    image = get_gen(client, catalog.IMAGE_ID).json()["data"]
    assert image["id"].startswith("gen-img-")
    assert (image["finish_reason"], image["api_type"]) == ("complete", "image")
    byok = get_gen(client, catalog.BYOK_ID).json()["data"]
    assert byok["is_byok"] is True and byok["upstream_inference_cost"] > 0
    hit = get_gen(client, catalog.CACHE_HIT_ID).json()["data"]
    assert hit["response_cache_source_id"] == catalog.CHAT_ID
    write = get_gen(client, catalog.NEGATIVE_DISCOUNT_ID).json()["data"]
    assert write["cache_discount"] < 0


def test_created_at_matches_the_id_time(fake_server: FakeOpenRouter) -> None:
    for gen_id in fake_server.ids():
        if gen_id == catalog.HUGE_FALLBACK_ID:
            continue
        record = fake_server.record(gen_id)
        assert record is not None
        created = record["created_at"].replace("Z", "+00:00")
        delta = datetime.fromisoformat(created).timestamp() - catalog.id_time(gen_id)
        assert 0 <= delta < 2, gen_id


def test_demo_ids_are_known(fake_server: FakeOpenRouter) -> None:
    ids = [gen_id for _, gen_id in catalog.DEMO_IDS]
    assert len(set(ids)) == len(ids)
    labels = [label for label, _ in catalog.DEMO_IDS]
    assert all(labels)
    known = set(fake_server.ids())
    assert all(gen_id in known or gen_id == catalog.NOT_FOUND_ID for gen_id in ids)


def test_add_and_remove_records(client: httpx.Client, fake_server: FakeOpenRouter) -> None:
    record = catalog.chat_like("gen-1790000999-AAAAAAAAAAAAAAAAAAAA")
    record["model"] = "test/custom"
    assert fake_server.add_record(record) == record["id"]
    record["model"] = "changed after adding"  # the server keeps its own copy
    assert get_gen(client, record["id"]).json()["data"]["model"] == "test/custom"
    assert fake_server.remove_record(record["id"])
    assert get_gen(client, record["id"]).status_code == 404


def test_unseeded_server_knows_nothing(make_fake_server: Callable[..., FakeOpenRouter]) -> None:
    server = make_fake_server(seed=False)
    headers = {"Authorization": f"Bearer {TEST_KEY}"}
    url = server.base_url + "/generation"
    assert httpx.get(url, params={"id": catalog.CHAT_ID}, headers=headers).status_code == 404


# -- scenarios ----------------------------------------------------------------------------


def test_rate_limited_with_retry_after_seconds(
    client: httpx.Client, fake_server: FakeOpenRouter, spec: dict[str, Any]
) -> None:
    first = get_gen(client, catalog.RATE_LIMITED_ID)
    assert first.status_code == 429
    assert first.headers["retry-after"] == "2"
    assert error_paths(spec, "TooManyRequestsResponse", first.json()) == set()
    second = get_gen(client, catalog.RATE_LIMITED_ID)
    assert second.status_code == 200
    assert second.json()["data"]["id"] == catalog.RATE_LIMITED_ID
    assert fake_server.count(catalog.RATE_LIMITED_ID) == 2


def test_time_scale_shrinks_announced_waits(
    make_fake_server: Callable[..., FakeOpenRouter],
) -> None:
    server = make_fake_server(time_scale=0.01)
    headers = {"Authorization": f"Bearer {TEST_KEY}"}
    with httpx.Client(base_url=server.base_url, headers=headers) as c:
        assert get_gen(c, catalog.RATE_LIMITED_ID).headers["retry-after"] == "0.02"
        reset = int(get_gen(c, catalog.RATE_LIMITED_RESET_ID).headers["x-ratelimit-reset"])
    assert abs(reset / 1000 - time.time()) < 1


def test_rate_limited_with_retry_after_http_date(client: httpx.Client) -> None:
    before = time.time()
    first = get_gen(client, catalog.RATE_LIMITED_DATE_ID)
    assert first.status_code == 429
    when = email.utils.parsedate_to_datetime(first.headers["retry-after"]).timestamp()
    assert before + catalog.RATE_LIMIT_DATE_WAIT - 1 <= when <= time.time() + 3
    assert "headers" not in first.json()["error"]["metadata"]
    assert get_gen(client, catalog.RATE_LIMITED_DATE_ID).status_code == 200


def test_rate_limited_with_x_ratelimit_reset_in_epoch_ms(
    client: httpx.Client, spec: dict[str, Any]
) -> None:
    first = get_gen(client, catalog.RATE_LIMITED_RESET_ID)
    assert first.status_code == 429
    assert "retry-after" not in first.headers
    reset_ms = int(first.headers["x-ratelimit-reset"])
    assert abs(reset_ms / 1000 - (time.time() + catalog.RATE_LIMIT_WAIT)) < 1
    body = first.json()
    assert error_paths(spec, "TooManyRequestsResponse", body) == set()
    assert body["error"]["metadata"]["headers"] == {
        "X-RateLimit-Limit": "20",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset_ms),
    }
    assert get_gen(client, catalog.RATE_LIMITED_RESET_ID).status_code == 200


def test_pending_id_is_young_and_resolves_after_n_polls(
    client: httpx.Client, fake_server: FakeOpenRouter, spec: dict[str, Any]
) -> None:
    gen_id = catalog.pending_id(fake_server, polls=3)
    match = ID_RE.match(gen_id)
    assert match and abs(int(match.group(1)) - time.time()) < 5
    for _ in range(3):
        answer = get_gen(client, gen_id)
        assert answer.status_code == 404
        assert answer.json()["error"]["message"] == f"Generation {gen_id} not found"
        assert error_paths(spec, "NotFoundResponse", answer.json()) == set()
    answer = get_gen(client, gen_id)
    assert answer.status_code == 200
    assert error_paths(spec, "GenerationResponse", answer.json()) == set()
    assert answer.json()["data"]["id"] == gen_id
    assert fake_server.count(gen_id) == 4


def test_pending_ids_are_fresh_and_accept_a_record(fake_server: FakeOpenRouter) -> None:
    image = fake_server.record(catalog.IMAGE_ID)
    assert image is not None
    one = fake_server.pending_id(polls=0, record=image)
    two = catalog.pending_id(fake_server, polls=1, prefix="gen-img")
    assert one != two and two.startswith("gen-img-")
    served = fake_server.record(one)
    assert served is not None
    assert served["id"] == one and served["model"] == image["model"]
    assert served["created_at"] != image["created_at"]
    headers = {"Authorization": f"Bearer {TEST_KEY}"}
    with httpx.Client(base_url=fake_server.base_url, headers=headers) as c:
        assert statuses(c, one, 1) == [200]
        assert statuses(c, two, 2) == [404, 200]


@pytest.mark.parametrize(
    ("gen_id", "status", "content_type", "schema"),
    [
        (catalog.BAD_GATEWAY_HTML_ID, 502, "text/html", None),
        (catalog.EDGE_TIMEOUT_ID, 524, "text/plain", None),
        (catalog.SERVER_ERROR_ID, 500, "application/json", "InternalServerResponse"),
        (catalog.OVERLOADED_ID, 529, "application/json", "ProviderOverloadedResponse"),
        (catalog.PAYMENT_REQUIRED_ID, 402, "application/json", "PaymentRequiredResponse"),
        (catalog.FORBIDDEN_ID, 403, "application/json", None),
        (catalog.BAD_REQUEST_ID, 400, "application/json", None),
    ],
)
def test_errors_that_never_go_away(
    client: httpx.Client,
    spec: dict[str, Any],
    gen_id: str,
    status: int,
    content_type: str,
    schema: str | None,
) -> None:
    answers = [get_gen(client, gen_id) for _ in range(3)]
    assert [a.status_code for a in answers] == [status] * 3
    assert answers[0].headers["content-type"].startswith(content_type)
    if schema is not None:
        assert error_paths(spec, schema, answers[0].json()) == set()
        assert answers[0].json()["error"]["code"] == status


def test_502_html_and_524_text_bodies(client: httpx.Client) -> None:
    html = get_gen(client, catalog.BAD_GATEWAY_HTML_ID)
    assert "<title>502 Bad Gateway</title>" in html.text
    edge = get_gen(client, catalog.EDGE_TIMEOUT_ID)
    assert edge.text == "error code: 524"
    assert edge.reason_phrase == "A Timeout Occurred"


def test_payment_and_zod_bodies(client: httpx.Client) -> None:
    payment = get_gen(client, catalog.PAYMENT_REQUIRED_ID).json()
    assert payment["user_id"].startswith("user_")
    assert payment["error"]["message"].startswith("Insufficient credits")
    zod = get_gen(client, catalog.BAD_REQUEST_ID).json()
    assert zod["success"] is False and zod["error"]["name"] == "ZodError"
    forbidden = get_gen(client, catalog.FORBIDDEN_ID).json()
    assert forbidden["error"]["code"] == 403


def test_503_once_then_200(client: httpx.Client) -> None:
    first = get_gen(client, catalog.UNAVAILABLE_ONCE_ID)
    assert first.status_code == 503
    assert first.json()["error"]["code"] == 503
    assert statuses(client, catalog.UNAVAILABLE_ONCE_ID, 2) == [200, 200]


def test_slow_answer(client: httpx.Client, fake_server: FakeOpenRouter) -> None:
    assert fake_server.scenario(catalog.SLOW_ID) == catalog.slow(catalog.SLOW_DELAY)
    fake_server.set_scenario(catalog.SLOW_ID, catalog.slow(0.3))
    started = time.monotonic()
    assert get_gen(client, catalog.SLOW_ID).status_code == 200
    assert time.monotonic() - started >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        client.get("/generation", params={"id": catalog.SLOW_ID}, timeout=0.05)


def test_truncated_body_is_a_protocol_error(client: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|complete message"):
        get_gen(client, catalog.TRUNCATED_ID)
    assert get_gen(client, catalog.CHAT_ID).status_code == 200  # the client recovers


def test_cut_json_is_a_complete_message_with_broken_json(client: httpx.Client) -> None:
    answer = get_gen(client, catalog.CUT_JSON_ID)
    assert answer.status_code == 200
    assert answer.text.startswith('{"data":')
    with pytest.raises(json.JSONDecodeError):
        answer.json()


def test_connection_reset(client: httpx.Client, fake_server: FakeOpenRouter) -> None:
    for _ in range(2):
        with pytest.raises(httpx.ReadError):
            get_gen(client, catalog.RESET_ID)
    assert fake_server.count(catalog.RESET_ID) == 2


def test_connection_reset_once_then_200(client: httpx.Client) -> None:
    with pytest.raises(httpx.ReadError):
        get_gen(client, catalog.RESET_ONCE_ID)
    assert get_gen(client, catalog.RESET_ONCE_ID).status_code == 200


def test_connection_reset_mid_body(client: httpx.Client) -> None:
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        get_gen(client, catalog.RESET_MID_BODY_ID)


def test_non_json_200(client: httpx.Client) -> None:
    answer = get_gen(client, catalog.NON_JSON_ID)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        answer.json()


def test_json_200_without_data(client: httpx.Client) -> None:
    answer = get_gen(client, catalog.NO_DATA_ID)
    assert answer.status_code == 200
    assert "data" not in answer.json()


def test_custom_scenarios(client: httpx.Client, fake_server: FakeOpenRouter) -> None:
    gen_id = catalog.CHAT_ID
    script = Scenario(
        steps=(
            catalog.json_error(502, "Provider returned error"),
            Step(429, retry_after=1, retry_after_style="seconds"),
            Step(404),
        )
    )
    fake_server.set_scenario(gen_id, script)
    assert statuses(client, gen_id, 4) == [502, 429, 404, 200]
    fake_server.set_scenario(gen_id, catalog.failing(catalog.sample_error("error-529.json"), 2))
    fake_server.reset_counts()
    assert statuses(client, gen_id, 3) == [529, 529, 200]
    fake_server.clear_scenario(gen_id)
    fake_server.reset_counts()
    assert statuses(client, gen_id, 1) == [200]


def test_scenario_200_without_a_record_is_a_404(
    client: httpx.Client, fake_server: FakeOpenRouter
) -> None:
    fake_server.set_scenario("gen-1790000998-BBBBBBBBBBBBBBBBBBBB", catalog.rate_limited(1))
    assert statuses(client, "gen-1790000998-BBBBBBBBBBBBBBBBBBBB", 2) == [429, 404]


# -- counters and recorded requests -------------------------------------------------------


def test_counters_and_recorded_requests(client: httpx.Client, fake_server: FakeOpenRouter) -> None:
    get_gen(client, catalog.CHAT_ID)
    get_gen(client, catalog.CHAT_ID)
    httpx.get(fake_server.base_url + "/generation", params={"id": catalog.CHAT_ID})
    client.get("/key")
    assert fake_server.count(catalog.CHAT_ID) == 2  # the unauthorised one does not count
    assert fake_server.count(catalog.FALLBACK_ID) == 0
    first, _, anonymous, key = fake_server.requests
    assert (first.method, first.path, first.query) == (
        "GET",
        "/api/v1/generation",
        {"id": catalog.CHAT_ID},
    )
    assert first.had_auth and first.authorized
    assert first.user_agent == "test-testserver/1"
    assert not anonymous.had_auth and not anonymous.authorized
    assert key.path == "/api/v1/key"
    assert first.at <= key.at
    assert all(TEST_KEY not in repr(r) for r in fake_server.requests)


def test_reset_counts_restarts_scripts(client: httpx.Client, fake_server: FakeOpenRouter) -> None:
    assert statuses(client, catalog.RATE_LIMITED_ID, 2) == [429, 200]
    fake_server.reset_counts()
    assert fake_server.count(catalog.RATE_LIMITED_ID) == 0
    assert fake_server.requests == []
    assert statuses(client, catalog.RATE_LIMITED_ID, 2) == [429, 200]


def test_concurrent_requests_are_all_counted(fake_server: FakeOpenRouter) -> None:
    headers = {"Authorization": f"Bearer {TEST_KEY}"}
    results: list[int] = []
    lock = threading.Lock()

    def hit() -> None:
        with httpx.Client(base_url=fake_server.base_url, headers=headers) as c:
            for _ in range(5):
                code = get_gen(c, catalog.UNAVAILABLE_ONCE_ID).status_code
                with lock:
                    results.append(code)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fake_server.count(catalog.UNAVAILABLE_ONCE_ID) == 20
    assert sorted(results) == [200] * 19 + [503]
