"""``orinspect get`` as a real subprocess against the local server.

Retry waits are kept tiny with ``INSPECTOR_RETRY_SCALE`` (a factor on every policy wait) or
a server ``time_scale`` (which shrinks the waits the server announces), so the whole file
runs in seconds while still checking that each wait is announced and honoured.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from inspector.cli import exitcodes
from inspector.core.pending import YOUNG_FOR
from inspector.infra.history import HistoryStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

FAST = {"INSPECTOR_RETRY_SCALE": "0.01"}
UNSAFE_CHARS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]
RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def get(run_cli: RunCli, cli_env: dict[str, str]) -> RunCli:
    """Run ``get ARGS`` and check what must hold for every run: no traceback, no key, no raw
    control character. History is off unless a test turns it on (it has tests of its own)."""

    def run(
        *args: str, env: Mapping[str, str] | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        merged = {**cli_env, "INSPECTOR_HISTORY": "off", **(env or {})}
        done = run_cli("get", *args, env=merged, input=input)
        assert "Traceback" not in done.stderr, done.stderr
        assert TEST_KEY not in done.stdout + done.stderr
        for char in UNSAFE_CHARS:
            assert char not in done.stdout + done.stderr, f"raw {char!r} reached the terminal"
        return done

    return run


def error_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if ": error: " in line]


def wait_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [
        line
        for line in done.stderr.splitlines()
        if line.startswith(("retrying in", "not indexed yet"))
    ]


def request_times(server: FakeOpenRouter, gen_id: str) -> list[float]:
    return [r.at for r in server.requests if r.query.get("id") == gen_id]


# ---- success -----------------------------------------------------------------------------


def test_summary(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.FALLBACK_ID)
    assert done.returncode == exitcodes.OK and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == catalog.FALLBACK_ID
    text = done.stdout
    for needle in (
        "moonshotai/kimi-k2-0905",
        "Fireworks · after 2 fallbacks: Chutes 429, Together 502",
        "$0.0040726",
        "prompt 3,921",
        "completion 688",
        "latency 2.61 s",
        "tool_calls",
        "streamed",
    ):
        assert needle in text
    assert fake_server.count(catalog.FALLBACK_ID) == 1


def test_json_is_the_data_object_as_received(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.FUTURE_FIELDS_ID, "--json")
    assert done.returncode == exitcodes.OK
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    record = fake_server.record(catalog.FUTURE_FIELDS_ID)
    assert data == record and list(data) == list(record or {})
    assert data["total_cost"] == "1.8e-05"
    assert all(key in data for key in catalog.FUTURE_EXTRA_KEYS)


def test_several_ids_one_json_object_per_line(get: RunCli, fake_server: FakeOpenRouter) -> None:
    ids = [catalog.CHAT_ID, catalog.IMAGE_ID, catalog.CHAT_ID, catalog.BYOK_ID]
    done = get(*ids, "--json")
    assert done.returncode == exitcodes.OK
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [
        catalog.CHAT_ID,
        catalog.IMAGE_ID,
        catalog.BYOK_ID,
    ]
    assert fake_server.count(catalog.CHAT_ID) == 1


def test_several_ids_summaries(get: RunCli) -> None:
    done = get(catalog.CHAT_ID, catalog.IMAGE_ID)
    assert done.returncode == exitcodes.OK
    blocks = done.stdout.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        catalog.CHAT_ID,
        catalog.IMAGE_ID,
        "totals of 2 lookups",
    ]
    assert "totals" not in get(catalog.CHAT_ID, catalog.IMAGE_ID, "--no-totals").stdout


def test_hostile_text_is_neutralised(get: RunCli, fake_server: FakeOpenRouter) -> None:
    summary = get(catalog.HOSTILE_TEXT_ID)  # the fixture asserts no raw control character
    assert summary.returncode == exitcodes.OK
    as_json = get(catalog.HOSTILE_TEXT_ID, "--json")
    data = json.loads(as_json.stdout)
    assert data == fake_server.record(catalog.HOSTILE_TEXT_ID)  # escaped, not altered
    assert data["origin"] == catalog.HOSTILE_STRINGS["origin"]


def test_ids_from_pasted_text_and_stdin(get: RunCli) -> None:
    url = f"https://openrouter.ai/api/v1/generation?id={catalog.CHAT_ID}"
    assert json.loads(get(url, "--json").stdout)["id"] == catalog.CHAT_ID
    log = (
        f"INFO 200 generation_id={catalog.CHAT_ID} req-1792505729-Gv2XpN7kQe4RbW9tLc1Z\n"
        f'{{"id": "{catalog.IMAGE_ID}"}}\n'
    )
    done = get("-", "--json", input=log)
    assert done.returncode == exitcodes.OK
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [
        catalog.CHAT_ID,
        catalog.IMAGE_ID,
    ]


def test_base_url_flag_wins_over_the_environment(get: RunCli, fake_server: FakeOpenRouter) -> None:
    env = {"OPENROUTER_BASE_URL": "http://127.0.0.1:9/api/v1"}
    done = get(catalog.CHAT_ID, "--json", "--base-url", fake_server.base_url, env=env)
    assert done.returncode == exitcodes.OK


# ---- retries: announced, honoured, counted ---------------------------------------------------


def test_429_retry_after_is_announced_and_honoured(
    get: RunCli, make_fake_server: Callable[..., FakeOpenRouter]
) -> None:
    server = make_fake_server(time_scale=0.1)  # Retry-After: 0.2
    done = get(catalog.RATE_LIMITED_ID, "--json", env={"OPENROUTER_BASE_URL": server.base_url})
    assert done.returncode == exitcodes.OK
    assert wait_lines(done) == [
        "retrying in 0.2 s (attempt 2 of 5, Retry-After): Rate limited (429): Rate limit exceeded"
    ]
    first, second = request_times(server, catalog.RATE_LIMITED_ID)
    assert second - first >= 0.2
    assert json.loads(done.stdout)["id"] == catalog.RATE_LIMITED_ID


def test_429_rate_limit_reset_is_honoured(
    get: RunCli, make_fake_server: Callable[..., FakeOpenRouter]
) -> None:
    server = make_fake_server(time_scale=0.2)  # X-RateLimit-Reset: now + 0.4 s
    done = get(catalog.RATE_LIMITED_RESET_ID, env={"OPENROUTER_BASE_URL": server.base_url})
    assert done.returncode == exitcodes.OK
    (line,) = wait_lines(done)
    assert line.startswith("retrying in 0.") and "X-RateLimit-Reset" in line
    first, second = request_times(server, catalog.RATE_LIMITED_RESET_ID)
    assert second - first >= 0.25


def test_upstream_down_gives_up_with_exit_5(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.BAD_GATEWAY_HTML_ID, env=FAST)
    assert done.returncode == exitcodes.API_ERROR
    waits = wait_lines(done)
    assert [w.split("(attempt ")[1].split(")")[0] for w in waits] == [
        "2 of 5",
        "3 of 5",
        "4 of 5",
        "5 of 5",
    ]
    assert all("Server error (502): text/html answer:" in w for w in waits)
    (error,) = error_lines(done)
    assert "502 Server error: text/html answer: <html>" in error
    assert "gave up after 5 attempts" in error
    assert fake_server.count(catalog.BAD_GATEWAY_HTML_ID) == 5
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("gen_id", "needle"),
    [
        (catalog.EDGE_TIMEOUT_ID, "524 Server error: text/plain answer: error code: 524"),
        (catalog.OVERLOADED_ID, "529 Server error: Provider returned error"),
        (catalog.SERVER_ERROR_ID, "500 Server error: Internal Server Error"),
    ],
)
def test_other_server_errors(
    get: RunCli, fake_server: FakeOpenRouter, gen_id: str, needle: str
) -> None:
    done = get(gen_id, env=FAST)
    assert done.returncode == exitcodes.API_ERROR
    assert needle in error_lines(done)[0]
    assert fake_server.count(gen_id) == 5 and len(wait_lines(done)) == 4


def test_transient_503_then_success(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.UNAVAILABLE_ONCE_ID, "--json", env=FAST)
    assert done.returncode == exitcodes.OK and len(wait_lines(done)) == 1
    assert fake_server.count(catalog.UNAVAILABLE_ONCE_ID) == 2


def test_pending_id_is_polled_then_found(get: RunCli, fake_server: FakeOpenRouter) -> None:
    gen_id = fake_server.pending_id(polls=2)
    done = get(gen_id, "--json", env={"INSPECTOR_RETRY_SCALE": "0.05"})
    assert done.returncode == exitcodes.OK
    assert [w.split(" (poll")[0] for w in wait_lines(done)] == [
        "not indexed yet, checking again in 0.1 s",
        "not indexed yet, checking again in 0.1 s",
    ]
    times = request_times(fake_server, gen_id)
    assert len(times) == 3 and times[1] - times[0] >= 0.05 and times[2] - times[1] >= 0.1


def test_pending_id_that_never_appeared_exits_4(get: RunCli, fake_server: FakeOpenRouter) -> None:
    # Three seconds short of 15 minutes old: young, so polled, until it is old; then its 404
    # is "not found", explained with its age. (The id's time is whole seconds and the
    # process takes a moment to start: one second short was sometimes already old.)
    created = time.time() - YOUNG_FOR + 3.0
    gen_id = catalog.pending_id(fake_server, polls=10_000, created=created)
    done = get(gen_id, env=FAST)
    assert done.returncode == exitcodes.NOT_FOUND
    (error,) = error_lines(done)
    assert "404 Not found" in error and "was created 15 min ago" in error
    assert fake_server.count(gen_id) >= 2 and wait_lines(done)
    assert all(line.startswith("not indexed yet") for line in wait_lines(done))


# ---- final failures ---------------------------------------------------------------------------


def test_not_found(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.NOT_FOUND_ID, env=FAST)
    assert done.returncode == exitcodes.NOT_FOUND
    (error,) = error_lines(done)
    assert f"404 Not found: Generation {catalog.NOT_FOUND_ID} not found" in error
    assert "days ago" in error and "another account" in error
    assert fake_server.count(catalog.NOT_FOUND_ID) == 1 and wait_lines(done) == []


@pytest.mark.parametrize(
    ("gen_id", "needle"),
    [
        (catalog.BAD_REQUEST_ID, "400 Bad request: ZodError:"),
        (catalog.PAYMENT_REQUIRED_ID, "402 Payment required: Insufficient credits"),
        (catalog.FORBIDDEN_ID, "403 Forbidden:"),
    ],
)
def test_final_api_errors_exit_5_at_once(
    get: RunCli, fake_server: FakeOpenRouter, gen_id: str, needle: str
) -> None:
    done = get(gen_id, env=FAST)
    assert done.returncode == exitcodes.API_ERROR
    (error,) = error_lines(done)
    assert needle in error and "user_" not in done.stderr
    assert fake_server.count(gen_id) == 1


@pytest.mark.parametrize("gen_id", [catalog.CUT_JSON_ID, catalog.NON_JSON_ID, catalog.NO_DATA_ID])
def test_200_that_is_not_json_exits_5(
    get: RunCli, fake_server: FakeOpenRouter, gen_id: str
) -> None:
    done = get(gen_id, "--json", env=FAST)
    assert done.returncode == exitcodes.API_ERROR
    assert "200 Unexpected answer" in error_lines(done)[0]
    assert fake_server.count(gen_id) == 3 and done.stdout == ""


@pytest.mark.parametrize(
    ("gen_id", "kind"),
    [
        (catalog.RESET_ID, "reset"),
        (catalog.TRUNCATED_ID, "truncated"),
    ],
)
def test_network_errors_exit_6(
    get: RunCli, fake_server: FakeOpenRouter, gen_id: str, kind: str
) -> None:
    done = get(gen_id, env=FAST)
    assert done.returncode == exitcodes.NETWORK
    assert f"network error ({kind})" in error_lines(done)[0]
    assert fake_server.count(gen_id) == 5


def test_timeout_exits_6(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.SLOW_ID, "--timeout", "0.2", env=FAST)
    assert done.returncode == exitcodes.NETWORK
    assert "network error (timeout): timed out waiting for the answer" in error_lines(done)[0]


def test_connection_refused_exits_6(get: RunCli) -> None:
    done = get(catalog.CHAT_ID, env={**FAST, "OPENROUTER_BASE_URL": "http://127.0.0.1:9/api/v1"})
    assert done.returncode == exitcodes.NETWORK
    assert "network error (connect)" in error_lines(done)[0]
    assert len(wait_lines(done)) == 4


def test_the_first_failure_decides_the_exit_code(get: RunCli) -> None:
    done = get(catalog.CHAT_ID, catalog.NOT_FOUND_ID, catalog.BAD_REQUEST_ID, "--json")
    assert done.returncode == exitcodes.NOT_FOUND
    assert json.loads(done.stdout)["id"] == catalog.CHAT_ID
    assert len(error_lines(done)) == 2


# ---- usage, ids, keys, configuration ---------------------------------------------------------


def test_malformed_id_exits_2_and_sends_nothing(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.CHAT_ID, "hello")
    assert done.returncode == exitcodes.USAGE
    assert error_lines(done) == [
        "orinspect: error: 'hello' is not a generation id "
        "(expected gen-<unix time>-<20 letters and digits>)"
    ]
    assert fake_server.requests == []


def test_request_id_is_refused_with_an_explanation(
    get: RunCli, fake_server: FakeOpenRouter
) -> None:
    done = get("req-1792505729-Gv2XpN7kQe4RbW9tLc1Z")
    assert done.returncode == exitcodes.USAGE
    assert "is a request id, not a generation id" in error_lines(done)[0]
    assert fake_server.requests == []


def test_untimed_id_warns_but_is_looked_up(get: RunCli, fake_server: FakeOpenRouter) -> None:
    untimed = "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG"
    done = get(untimed)
    assert "note: gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG: this id carries no timestamp" in done.stderr
    assert done.returncode == exitcodes.NOT_FOUND and fake_server.count(untimed) == 1


def test_usage_errors_exit_2(run_cli: RunCli) -> None:
    done = run_cli("get")
    assert done.returncode == exitcodes.USAGE and "Traceback" not in done.stderr


def test_no_key_exits_3(get: RunCli, fake_server: FakeOpenRouter) -> None:
    done = get(catalog.CHAT_ID, env={"OPENROUTER_API_KEY": ""})
    assert done.returncode == exitcodes.AUTH
    (error,) = error_lines(done)
    assert "no API key" in error and "nothing was sent" in error
    assert "set OPENROUTER_API_KEY, or store a key with `orinspect key set`" in error
    assert fake_server.requests == []


def test_rejected_key_exits_3_and_stops(get: RunCli, fake_server: FakeOpenRouter) -> None:
    env = {"OPENROUTER_API_KEY": "sk-or-v1-not-the-right-key-0000"}
    done = get(catalog.CHAT_ID, catalog.IMAGE_ID, env=env)
    assert done.returncode == exitcodes.AUTH
    (error,) = error_lines(done)
    assert "401 Key rejected: User not found." in error
    assert "did not accept the key from OPENROUTER_API_KEY" in error
    assert "sk-or-v1-not-the-right-key-0000" not in done.stderr
    assert len(fake_server.requests) == 1  # the second id is not tried with a rejected key


def test_key_over_plain_http_to_a_remote_host_exits_2(get: RunCli) -> None:
    done = get(catalog.CHAT_ID, "--base-url", "http://openrouter.example/api/v1")
    assert done.returncode == exitcodes.USAGE
    assert "refusing to send the API key over plain http://" in error_lines(done)[0]


# ---- history ------------------------------------------------------------------------------


def test_lookups_are_recorded_in_the_history(
    get: RunCli, cli_env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    done = get(catalog.CHAT_ID, catalog.NOT_FOUND_ID, "--json", env={"INSPECTOR_HISTORY": ""})
    assert done.returncode == exitcodes.NOT_FOUND
    store = HistoryStore(Path(cli_env["INSPECTOR_DATA_DIR"]) / "history.sqlite3", enabled=True)
    try:
        ok = store.get(catalog.CHAT_ID)
        missing = store.get(catalog.NOT_FOUND_ID)
        assert ok is not None and ok.outcome == "ok"
        assert ok.raw == fake_server.record(catalog.CHAT_ID)
        assert missing is not None and missing.outcome == "not_found" and missing.status == 404
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--no-history",), {"INSPECTOR_HISTORY": ""}), ((), {"INSPECTOR_HISTORY": "off"})],
)
def test_history_can_be_turned_off(
    get: RunCli, cli_env: dict[str, str], args: tuple[str, ...], env: dict[str, str]
) -> None:
    assert get(catalog.CHAT_ID, *args, env=env).returncode == exitcodes.OK
    assert not Path(cli_env["INSPECTOR_DATA_DIR"]).exists()


# ---- start-up hygiene ---------------------------------------------------------------------


def test_get_json_loads_neither_textual_nor_the_models(cli_env: dict[str, str]) -> None:
    code = (
        "import sys\n"
        "from inspector.cli.main import main\n"
        f"rc = main(['get', {catalog.CHAT_ID!r}, '--json', '--no-history'])\n"
        "heavy = sorted(m for m in ('textual', 'inspector.core.models', 'keyring', 'sqlite3',"
        " 'rich') if m in sys.modules)\n"
        "print(rc, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, timeout=60
    )
    assert done.stderr.strip().splitlines()[-1] == "0 []", done.stderr


@pytest.mark.parametrize(
    ("gen_id", "where"),
    [(catalog.SLOW_ID, "in a request"), (catalog.BAD_GATEWAY_HTML_ID, "in a wait")],
)
def test_ctrl_c_stops_at_once(
    cli_env: dict[str, str], fake_server: FakeOpenRouter, gen_id: str, where: str
) -> None:
    env = {**cli_env, "INSPECTOR_HISTORY": "off", "INSPECTOR_RETRY_SCALE": "4"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector", "get", gen_id],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while fake_server.count(gen_id) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the 3 s answer, or the 2 s wait after the first 502
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    # At once: well before the 3 s answer (2.7 s from here) or the wait's end, with room
    # for the interpreter's own exit on a loaded machine.
    assert time.monotonic() - sent < 2.5, where
    assert proc.returncode == exitcodes.INTERRUPTED
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err
    assert out == "" and fake_server.count(gen_id) == 1
