"""``orinspect explain`` as a real subprocess against the local server: the table, the JSON,
the exit codes, the snapshot it keeps."""

from __future__ import annotations

import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli
from test_bill_app import money

from inspector.testserver import FakeOpenRouter, catalog

JSON_KEYS = {
    "id",
    "billed",
    "list_price",
    "difference",
    "true_spend",
    "items",
    "reasons",
    "verdict",
    "estimate",
    "badges",
    "provider",
    "pricing",
}
AMOUNT = re.compile(r"([−+]?\$[0-9.,]+)\s*$")


def objects(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def table_amounts(text: str) -> tuple[list[Decimal], Decimal]:
    """The item amounts and the list price, read back from the text table."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("item "))
    rule = next(i for i, line in enumerate(lines) if "──" in line)
    items = [money(m.group(1)) for line in lines[start + 1 : rule] if (m := AMOUNT.search(line))]
    total = next(line for line in lines if line.strip().startswith("list price"))
    found = re.search(r"\$[0-9.,]+", total)
    assert found is not None
    return items, money(found.group(0))


@pytest.mark.parametrize("gen_id", [i for _, i in catalog.BILL_DEMO_IDS])
def test_the_text_table_adds_up_to_the_list_price_shown(run_cli: RunCli, gen_id: str) -> None:
    done = run_cli("explain", gen_id)
    assert done.returncode == 0, done.stderr
    items, list_price = table_amounts(done.stdout)
    assert items and sum(items, Decimal(0)) == list_price
    assert done.stdout.startswith(gen_id)


def test_the_text_names_verdict_totals_reasons_and_prices(run_cli: RunCli) -> None:
    done = run_cli("explain", catalog.UNEXPLAINED_ID)
    text = done.stdout
    assert done.returncode == 0 and done.stderr == ""
    lines = text.splitlines()
    assert lines[0] == f"{catalog.UNEXPLAINED_ID} via DeepInfra"
    assert lines[1] == "  dearer than list by $0.001585 (25 %) — unexplained"
    assert re.search(r"uncached prompt tokens\s+20,000\s+\$0.26 / M tok\s+\$0.0052$", text, re.M)
    assert re.search(r"^  billed\s+\$0.007925  total_cost$", text, re.M)
    assert re.search(r"^  difference\s+\+\$0.001585  billed − list \(\+25.00 %\)$", text, re.M)
    assert "\n  reasons\n  - billed $0.001585 more than expected (25 %) — unexplained" in text
    assert "  prices: DeepInfra's prices, fetched now (" in text


def test_json_is_one_object_per_id_in_order(run_cli: RunCli) -> None:
    ids = [catalog.MATCHES_LIST_ID, catalog.BYOK_FEE_ID, catalog.DELISTED_ID]
    done = run_cli("explain", "--json", *ids)
    assert done.returncode == 0, done.stderr
    found = objects(done.stdout)
    assert [o["id"] for o in found] == ids
    for obj in found:
        assert set(obj) == JSON_KEYS
        for item in obj["items"]:
            assert set(item) == {"name", "quantity", "unit", "unit_price", "amount"}
        if obj["list_price"] is not None:  # to the fraction the JSON shows
            assert round(sum(i["amount"] for i in obj["items"]), 10) == obj["list_price"]
        assert set(obj["pricing"]) == {"source", "fetched_at", "endpoint", "model"}
    matches, byok, delisted = found
    assert matches["verdict"]["code"] == "matches" and matches["pricing"]["source"] == "live"
    assert matches["billed"] == matches["list_price"] == 0.0005584
    assert byok["true_spend"] == 0.00315 and byok["reasons"][0]["code"] == "byok_fee"
    assert delisted["reasons"][0]["code"] == "pricing_unavailable"
    assert delisted["pricing"] == {"source": "none", "fetched_at": None, "endpoint": None,
                                   "model": None}  # fmt: skip


def test_the_snapshot_is_kept_and_no_history_keeps_nothing(
    run_cli: RunCli, cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run_cli("explain", catalog.CHAT_ID).returncode == 0
    path = Path(cli_env["INSPECTOR_DATA_DIR"]) / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT gen_id, model, provider FROM pricing_snapshots").fetchall()
    assert rows == [(catalog.CHAT_ID, catalog.CHAT_MODEL, "OpenAI")]
    again = objects(run_cli("explain", "--json", catalog.CHAT_ID).stdout)[0]
    assert again["pricing"]["source"] == "snapshot"
    env = {**cli_env, "INSPECTOR_DATA_DIR": str(tmp_path / "other")}
    assert run_cli("explain", "--no-history", catalog.CHAT_ID, env=env).returncode == 0
    assert not (tmp_path / "other").exists()


def test_exit_codes_are_those_of_get(
    run_cli: RunCli, cli_env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    missing = run_cli("explain", "--json", catalog.CHAT_ID, catalog.NOT_FOUND_ID)
    assert missing.returncode == 4
    assert [o["id"] for o in objects(missing.stdout)] == [catalog.CHAT_ID]
    assert catalog.NOT_FOUND_ID in missing.stderr and "Traceback" not in missing.stderr
    assert run_cli("explain", "not an id").returncode == 2
    no_key = {k: v for k, v in cli_env.items() if k != "OPENROUTER_API_KEY"}
    assert run_cli("explain", catalog.CHAT_ID, env=no_key).returncode == 3
    down = {**cli_env, "OPENROUTER_BASE_URL": "http://127.0.0.1:9/api/v1"}
    assert run_cli("explain", catalog.CHAT_ID, env=down).returncode == 6


def test_pricing_unavailable_is_exit_0(run_cli: RunCli) -> None:
    done = run_cli("explain", catalog.DELISTED_ID, catalog.FUTURE_FIELDS_ID)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("  - pricing unavailable: ") == 2
    assert "prices: no list price" in done.stdout


def test_the_demo_explains_its_bills(run_cli: RunCli, cli_env: dict[str, str]) -> None:
    ids = [gen_id for _, gen_id in catalog.BILL_DEMO_IDS]
    done = run_cli("--demo", "explain", "--json", *ids, env=cli_env)
    assert done.returncode == 0, done.stderr
    verdicts = [o["verdict"]["code"] for o in objects(done.stdout)]
    assert verdicts == ["matches", "matches", "byok", "insured", "dearer_unexplained"]


def test_hostile_text_reaches_the_terminal_as_text(
    run_cli: RunCli, fake_server: FakeOpenRouter
) -> None:
    hostile = catalog.derive(
        catalog.records()[catalog.HOSTILE_TEXT_ID],
        id=catalog.new_id(1_795_100_100),
        provider_name="Open\x1b[2JAI\x9b",
        num_search_results=3,
        web_search_engine="exa\x1b]0;pwned\x07",
    )
    ids = (catalog.HOSTILE_TEXT_ID, fake_server.add_record(hostile))
    for args in (ids, ("--json", *ids)):
        done = run_cli("explain", *args)
        assert done.returncode == 0, done.stderr
        assert not set(done.stdout) & {"\x1b", "\x9b", "\x07", "\x08", "\r"}
    text = run_cli("explain", *ids).stdout
    assert "in session line one" in text  # the session id, shown as text
    assert "via Open\\x1b[2JAI\\x9b" in text
    assert "pricing unavailable: Open\\x1b[2JAI\\x9b no longer lists this model" in text
