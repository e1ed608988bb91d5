"""Start-up stays cheap: what the one-shot CLI and the TUI's first frame import.

The benchmarks (tests/benchmarks/bench_get.py, bench_tui.py) measure the time; these tests
keep the structural reasons for it from regressing: ``get --json`` never builds the models
(the history store reads its columns with the lenient readers of
:mod:`inspector.core.coerce`), the module of the app imports neither the models, the
HTTP stack, the keyring, SQLite nor pygments (they load after the first frame), and the
app's transport sends a lookup without anyio (httpcore's async machinery).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inspector.core.models import Generation
from inspector.infra.history.figures import record_figures
from inspector.testserver import catalog

MODELS = "inspector.core.models"
ANYIO_ASYNC = "anyio._backends._asyncio"  # what httpcore's async transport sets up
HEAVY_FOR_FIRST_FRAME = (MODELS, "httpx", "keyring", "sqlite3", "pygments", ANYIO_ASYNC)


def _first(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)


def _figures_via_model(raw: dict[str, Any]) -> dict[str, Any]:
    """The history columns as the model reads the record (native counts first)."""
    gen = Generation.from_api(raw)
    return {
        "model": gen.model,
        "provider": gen.provider_name,
        "total_cost": gen.total_cost,
        "tokens_prompt": _first(gen.native_tokens_prompt, gen.tokens_prompt),
        "tokens_completion": _first(gen.native_tokens_completion, gen.tokens_completion),
        "created_at": gen.created_at.timestamp() if gen.created_at else None,
    }


def _seeded_records() -> list[dict[str, Any]]:
    return list(catalog.records().values())


@pytest.mark.parametrize("raw", _seeded_records(), ids=lambda raw: str(raw.get("id")))
def test_history_figures_read_records_as_the_model_does(raw: dict[str, Any]) -> None:
    assert record_figures(raw) == _figures_via_model(raw)


@pytest.mark.parametrize(
    "odd",
    [
        {"total_cost": "1e-5", "tokens_prompt": " 12 ", "tokens_completion": 7.6},
        {"total_cost": "abc", "tokens_prompt": True, "model": 42, "provider_name": ["x"]},
        {"total_cost": float("nan"), "tokens_prompt": None, "created_at": "2026-01-02T03:04:05Z"},
        {"created_at": "2025-10-01T12:00:00.1+00:00", "model": False},
        {"created_at": "not a time", "tokens_completion": "1.5e3"},
    ],
)
def test_history_figures_of_odd_values_match_the_model(odd: dict[str, Any]) -> None:
    raw = {"id": "gen-1792504991-h7KpQ2sLw9XcVb3nRt6Y", **odd}
    assert record_figures(raw) == _figures_via_model(raw)


def test_history_figures_survive_numbers_too_big_for_a_float() -> None:
    figures = record_figures({"total_cost": 10**400, "tokens_prompt": 10**400})
    assert figures["total_cost"] is None and figures["tokens_prompt"] is None


def _imported_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    probe = (
        f"{code}\n"
        "import sys\n"
        f"print(','.join(m for m in {HEAVY_FOR_FIRST_FRAME!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    last_line = (result.stdout.splitlines() or [""])[-1]
    return [name for name in last_line.split(",") if name]


def test_the_app_module_leaves_heavy_imports_for_after_the_first_frame() -> None:
    assert _imported_after("import inspector.tui.app; import inspector.tui.launch") == []


def test_get_json_with_history_never_builds_the_models(cli_env: dict[str, str]) -> None:
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['get', {catalog.CHAT_ID!r}, '--json']) == 0\n"
    )
    assert MODELS not in _imported_after(code, env=cli_env)
    assert (Path(cli_env["INSPECTOR_DATA_DIR"]) / "history.sqlite3").exists()


def test_the_apps_transport_looks_up_without_anyio(cli_env: dict[str, str]) -> None:
    """The app's transport (httpx's sync one in threads) spares the first record anyio's
    import and set-up; the record it fetched is the record the server holds."""
    code = (
        "import asyncio, os\n"
        "from inspector.infra.client import GenerationClient, ThreadedTransport\n"
        "async def look():\n"
        "    client = GenerationClient(os.environ['OPENROUTER_API_KEY'],"
        " os.environ['OPENROUTER_BASE_URL'], transport=ThreadedTransport())\n"
        f"    result = await client.get_generation({catalog.CHAT_ID!r})\n"
        "    await client.aclose()\n"
        f"    assert result.raw['id'] == {catalog.CHAT_ID!r}, result.raw\n"
        "asyncio.run(look())\n"
    )
    imported = _imported_after(code, env=cli_env)
    assert "httpx" in imported  # the probe did send the request
    assert ANYIO_ASYNC not in imported
