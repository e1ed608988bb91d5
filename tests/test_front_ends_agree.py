"""Both front-ends show the same figures for every record the local server holds.

Each record goes through the real CLI (``orinspect get``, a subprocess) and through the real
app (Pilot, looked up over HTTP like a person would): the tokens, cost, times and
fallbacks each shows are compared with each other and with figures computed here from the
raw record by the documented rules (native counts when the record has them, else the
normalized ones; speed = completion tokens per second of generation; BYOK true spend =
total_cost + upstream_inference_cost). The examples of issue 9 are among the records: a
record with only normalized counts (``CANCELLED_ID``) and a BYOK call.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tui_shell_support import look_up, make_app, started, until

from inspector.core import formatting as fmt
from inspector.testserver import FakeOpenRouter, catalog
from inspector.tui.record.rows import layout_row
from inspector.tui.widgets.field_list import FieldList

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def _first(raw: dict[str, Any], *keys: str) -> Any:
    return next((raw[key] for key in keys if raw.get(key) is not None), None)


def expected(raw: dict[str, Any]) -> dict[str, str]:
    """The figures a person must see, computed from the raw record by the documented rules."""
    prompt = _first(raw, "native_tokens_prompt", "tokens_prompt")
    completion = _first(raw, "native_tokens_completion", "tokens_completion")
    cost = float(raw["total_cost"]) if raw.get("total_cost") is not None else None
    figures = {
        "prompt": fmt.tokens(prompt),
        "completion": fmt.tokens(completion),
        "cost": fmt.money(cost),
        "latency": fmt.duration_ms(raw.get("latency")),
        "generation": fmt.duration_ms(raw.get("generation_time")),
    }
    if completion and raw.get("generation_time"):
        figures["speed"] = fmt.throughput(completion / (raw["generation_time"] / 1000))
    if raw.get("is_byok") and cost is not None:
        figures["true spend"] = fmt.money(cost + float(raw.get("upstream_inference_cost") or 0))
    attempts = raw.get("provider_responses") or []
    served = next((i for i, a in enumerate(attempts) if 200 <= (a.get("status") or 0) < 300), None)
    if served:
        figures["fallbacks"] = f"after {served:,} fallback"
    return figures


IDS = [
    gen_id
    for gen_id, raw in catalog.records().items()
    if len(raw.get("provider_responses") or []) <= 50  # the 20,000-attempt record lists lazily
]


def cli_blocks(run_cli: RunCli, env: dict[str, str]) -> dict[str, str]:
    done = run_cli("get", *IDS, env={**env, "INSPECTOR_HISTORY": "off"}, timeout=120)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.strip().split("\n\n")
    return {block.splitlines()[0]: block for block in blocks}


def tui_text(app: Any) -> str:
    lines = []
    for field_list in app.query(FieldList):
        lines += [
            layout_row(row, 200, field_list.label_width).content.plain for row in field_list.rows
        ]
    return "\n".join(lines)


async def test_cli_and_tui_show_the_same_figures(
    fake_server: FakeOpenRouter, run_cli: RunCli, cli_env: dict[str, str], data_dir: Path
) -> None:
    assert catalog.CANCELLED_ID in IDS and catalog.BYOK_ID in IDS and catalog.FALLBACK_ID in IDS
    cli = cli_blocks(run_cli, cli_env)
    app = make_app(fake_server, data_dir, key=cli_env["OPENROUTER_API_KEY"])
    async with app.run_test(size=(200, 60)) as pilot:
        await started(pilot)
        for gen_id in IDS:
            await look_up(pilot, gen_id)
            await until(pilot, lambda gen_id=gen_id: app.state.phase == "record"
                        and app.state.gen_id == gen_id)  # fmt: skip
            await pilot.pause()
            tui = tui_text(app)
            raw = fake_server.record(gen_id)
            assert raw is not None
            for name, figure in expected(raw).items():
                if figure == fmt.MISSING:
                    continue
                assert figure in cli[gen_id], (gen_id, name, figure, cli[gen_id])
                assert figure in tui, (gen_id, name, figure)


@pytest.mark.parametrize("gen_id", [catalog.CANCELLED_ID])
async def test_a_record_with_only_normalized_counts_shows_them_labelled_in_both(
    gen_id: str, fake_server: FakeOpenRouter, run_cli: RunCli, cli_env: dict[str, str]
) -> None:
    raw = fake_server.record(gen_id)
    assert raw is not None and raw.get("native_tokens_prompt") is None
    done = run_cli("get", gen_id, env={**cli_env, "INSPECTOR_HISTORY": "off"})
    tokens = next(line for line in done.stdout.splitlines() if line.strip().startswith("tokens"))
    assert f"prompt {raw['tokens_prompt']:,} (normalized count" in tokens
    assert "prompt —" not in tokens
