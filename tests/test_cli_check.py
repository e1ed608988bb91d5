"""``orinspect check`` as a real subprocess: every assertion holding and failing (exit 8),
lookups that fail (their own codes), the JSON report, GitHub annotations, ``--wait``."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.cli import exitcodes
from inspector.cli.check_report import escape_data, escape_property
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

RunCli = Callable[..., subprocess.CompletedProcess[str]]
CHAT, FALLBACK, CACHED, BYOK = (
    catalog.CHAT_ID,  # $0.0005584, latency 538 ms, no fallback, nothing cached
    catalog.FALLBACK_ID,  # $0.0040726, latency 2,614 ms, 2 fallbacks, nothing cached
    catalog.REASONING_CACHED_ID,  # $0.0097364, 16,384 of 18,432 prompt tokens cached
    catalog.BYOK_ID,  # billed $0.0002048, true spend $0.0017408 (upstream $0.001536)
)


@pytest.fixture
def check(run_cli: RunCli, cli_env: dict[str, str]) -> RunCli:
    def run(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        merged = {**cli_env, "INSPECTOR_HISTORY": "off", **(env or {})}
        done = run_cli("check", *args, env=merged)
        assert "Traceback" not in done.stderr and TEST_KEY not in done.stdout + done.stderr
        return done

    return run


@pytest.mark.parametrize(
    ("args", "code", "failing"),
    [
        # the limit itself holds: money is compared exactly
        ((CHAT, FALLBACK, "--max-cost", "0.0040726"), exitcodes.OK, None),
        ((CHAT, FALLBACK, "--max-cost", "0.0040725"), exitcodes.CHECK_FAILED, FALLBACK),
        # BYOK: the cost is the true spend (fee plus upstream), not the fee alone
        ((BYOK, "--max-cost", "0.0017408"), exitcodes.OK, None),
        ((BYOK, "--max-cost", "0.001"), exitcodes.CHECK_FAILED, BYOK),
        ((CHAT, FALLBACK, "--max-total-cost", "0.004631"), exitcodes.OK, None),
        ((CHAT, FALLBACK, "--max-total-cost", "$0.00463"), exitcodes.CHECK_FAILED, "total"),
        ((CHAT, FALLBACK, "--max-latency", "2.614"), exitcodes.OK, None),
        ((CHAT, FALLBACK, "--max-latency", "2.6"), exitcodes.CHECK_FAILED, FALLBACK),
        ((CHAT, CACHED, "--no-fallback"), exitcodes.OK, None),
        ((CHAT, FALLBACK, "--no-fallback"), exitcodes.CHECK_FAILED, FALLBACK),
        ((CACHED, "--min-cache-rate", "0.88"), exitcodes.OK, None),
        ((CACHED, "--min-cache-rate", "89%"), exitcodes.CHECK_FAILED, CACHED),
        ((CACHED, CHAT, "--min-cache-rate", "0.5"), exitcodes.CHECK_FAILED, CHAT),
    ],
)
def test_each_assertion_holds_or_fails(
    check: RunCli, args: tuple[str, ...], code: int, failing: str | None
) -> None:
    done = check(*args)
    assert done.returncode == code, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("pass" if code == exitcodes.OK else "FAIL")
    assert lines[-1].startswith("result: pass" if code == exitcodes.OK else "result: FAIL")
    if failing not in (None, "total"):
        assert f"        {failing}  " in done.stdout  # named under its assertion
    assert done.stderr == ""


def test_json_report_gives_each_value_limit_and_result(
    check: RunCli, fake_server: FakeOpenRouter
) -> None:
    done = check(
        CHAT, FALLBACK, "--max-cost", "0.01", "--max-latency", "1", "--no-fallback", "--json"
    )
    assert done.returncode == exitcodes.CHECK_FAILED
    (line,) = done.stdout.splitlines()
    report = json.loads(line)
    assert report["result"] == "fail" and report["exit_code"] == 8
    assert report["generations"] == 2 and report["failed_lookups"] == []
    cost, latency, fallback = report["assertions"]
    records = [fake_server.record(g) or {} for g in (CHAT, FALLBACK)]
    assert cost == {
        "name": "max-cost",
        "limit": 0.01,
        "unit": "USD",
        "value": max(r["total_cost"] for r in records),
        "result": "pass",
        "generations": [
            {"id": r["id"], "value": r["total_cost"], "result": "pass"} for r in records
        ],
    }
    assert latency["limit"] == 1 and latency["unit"] == "s" and latency["result"] == "fail"
    assert [g["value"] for g in latency["generations"]] == [r["latency"] / 1000 for r in records]
    assert [g["result"] for g in latency["generations"]] == ["pass", "fail"]
    assert fallback["value"] == 2 and fallback["result"] == "fail"


def test_a_failed_lookup_gives_its_own_code(check: RunCli) -> None:
    done = check(CHAT, catalog.NOT_FOUND_ID, "--max-cost", "0.00001", "--json")
    assert done.returncode == exitcodes.NOT_FOUND  # not 8: a record was missing
    report = json.loads(done.stdout)
    assert report["result"] == "error" and report["exit_code"] == exitcodes.NOT_FOUND
    assert [f["id"] for f in report["failed_lookups"]] == [catalog.NOT_FOUND_ID]
    assert report["assertions"][0]["result"] == "fail"  # the others were still checked
    assert f"{catalog.NOT_FOUND_ID}: 404 Not found" in done.stderr


def test_a_figure_not_reported_fails_its_assertion(
    check: RunCli, fake_server: FakeOpenRouter
) -> None:
    record = catalog.chat_like(catalog.new_id())
    record.update(latency=None, total_cost=None)
    gen_id = fake_server.add_record(record)
    done = check(gen_id, "--max-latency", "10", "--max-total-cost", "1")
    assert done.returncode == exitcodes.CHECK_FAILED
    assert f"        {gen_id}  not reported" in done.stdout
    assert "total $0.00 (1 without a cost)" in done.stdout


def test_github_annotations(check: RunCli) -> None:
    done = check(CHAT, FALLBACK, "--min-cache-rate", "0.5", "--no-fallback", "--format", "github")
    assert done.returncode == exitcodes.CHECK_FAILED
    lines = done.stdout.splitlines()
    assert lines == [
        f"::error title=orinspect check%3A no-fallback::{FALLBACK}: routing 2 fallbacks, "
        "limit no fallback",
        f"::error title=orinspect check%3A min-cache-rate::{CHAT}: cache rate 0 %25, "
        "limit ≥ 50 %25",
        f"::error title=orinspect check%3A min-cache-rate::{FALLBACK}: cache rate 0 %25, "
        "limit ≥ 50 %25",
        "::notice title=orinspect check::2 generations checked, 2 of 2 assertions failed",
    ]
    failed_lookup = check(catalog.NOT_FOUND_ID, "--format", "github")
    assert failed_lookup.returncode == exitcodes.NOT_FOUND
    assert failed_lookup.stdout.startswith(
        f"::error title=orinspect check%3A lookup failed::{catalog.NOT_FOUND_ID}: 404"
    )


def test_wait_polls_young_ids_for_that_long(check: RunCli, fake_server: FakeOpenRouter) -> None:
    young = fake_server.pending_id(polls=2)
    fast = {"INSPECTOR_RETRY_SCALE": "0.05"}
    waited = check(young, "--max-cost", "1", "--wait", "20", env=fast)
    assert waited.returncode == exitcodes.OK and fake_server.count(young) == 3
    assert "not indexed yet, checking again" in waited.stderr
    never = fake_server.pending_id(polls=1000)
    done = check(never, "--max-cost", "1", "--wait", "0", env=fast)
    assert done.returncode == exitcodes.NOT_FOUND and fake_server.count(never) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--max-cost", "cheap"), "not an amount of US dollars"),
        (("--max-cost", "-1"), "expected an amount from 0 up"),
        (("--min-cache-rate", "1.5"), "expected a fraction from 0 to 1"),
        (("--max-latency", "0"), "above 0"),
        (("--json", "--format", "github"), "not allowed with argument"),
    ],
)
def test_bad_limits_are_usage_errors(
    check: RunCli, fake_server: FakeOpenRouter, args: tuple[str, ...], needle: str
) -> None:
    done = check(CHAT, *args)
    assert done.returncode == exitcodes.USAGE and needle in done.stderr
    assert fake_server.requests == []


@given(st.text())
def test_github_escaping_keeps_every_line_one_command(text: str) -> None:
    for escaped in (escape_data(text), escape_property(text)):
        assert "\n" not in escaped and "\r" not in escaped
        restored = escaped.replace("%0D", "\r").replace("%0A", "\n")
        restored = restored.replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
        assert restored == text
    assert ":" not in escape_property(text) and "," not in escape_property(text)
