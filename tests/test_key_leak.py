"""The key leaks nowhere: after a session of CLI lookups with the known fake key, its bytes are
in no file under the data directory and in no command's stdout or stderr.

The session covers successes, retried and failed lookups, a pending id, a rejected key,
history listing/search/export (including an export file inside the data dir) and
``key status``/``key set``. It also checks that the key never travelled in a URL.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

WRONG_KEY = "sk-or-v1-wrong-fake-key-not-known-9z9z"
# The secret part of each key: catches a partial leak (the prefix and last four are public).
SECRETS = (TEST_KEY, "fake-test-key-do-not-use", WRONG_KEY, "wrong-fake-key-not-known")

LOOKED_UP = (
    catalog.CHAT_ID,
    catalog.FALLBACK_ID,
    catalog.REASONING_CACHED_ID,
    catalog.HOSTILE_TEXT_ID,
    catalog.BYOK_ID,
)
FAILING = (
    catalog.NOT_FOUND_ID,
    catalog.PAYMENT_REQUIRED_ID,
    catalog.FORBIDDEN_ID,
    catalog.BAD_REQUEST_ID,
    catalog.SERVER_ERROR_ID,
    catalog.BAD_GATEWAY_HTML_ID,
    catalog.RATE_LIMITED_ID,
    catalog.UNAVAILABLE_ONCE_ID,
    catalog.NON_JSON_ID,
)


def _session(
    run_cli, env: dict[str, str], server: FakeOpenRouter, export_file: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Every command of a realistic session; returns their results (exit codes vary)."""
    wrong = {**env, "OPENROUTER_API_KEY": WRONG_KEY}
    pending = catalog.pending_id(server, polls=2)
    commands: list[tuple[tuple[str, ...], dict[str, str], str]] = [
        (("get", catalog.CHAT_ID), env, ""),
        (("get", "--json", *LOOKED_UP), env, ""),
        (("get", *FAILING), env, ""),
        (("get", pending), env, ""),
        (("get", "-"), env, f"log line: generation_id={catalog.CACHE_HIT_ID}\n"),
        (("get", catalog.CHAT_ID), wrong, ""),
        (("history",), env, ""),
        (("history", "--json", "--limit", "0"), env, ""),
        (("history", "--search", "gpt"), env, ""),
        (("history", "export", "--format", "jsonl"), env, ""),
        (("history", "export", "--format", "csv", "--output", str(export_file)), env, ""),
        (("key", "status"), env, ""),
        (("key", "status"), wrong, ""),
        (("key", "set"), env, TEST_KEY),  # validated, then the null keyring refuses it
        (("key", "set"), env, WRONG_KEY),  # rejected
    ]
    return [run_cli(*args, env=cmd_env, input=stdin) for args, cmd_env, stdin in commands]


def test_the_key_leaks_nowhere(
    run_cli, cli_env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    data_dir = Path(cli_env["INSPECTOR_DATA_DIR"])
    env = {**cli_env, "INSPECTOR_RETRY_SCALE": "0.01"}
    results = _session(run_cli, env, fake_server, data_dir / "export.csv")

    # The session did real work: lookups succeeded and history was written.
    assert results[0].returncode == 0, results[0].stderr
    assert results[1].returncode == 0, results[1].stderr
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert any(path.suffix == ".sqlite3" for path in files), files
    assert (data_dir / "export.csv").exists()

    for result in results:
        assert "Traceback" not in result.stderr, (result.args, result.stderr)
        for secret in SECRETS:
            assert secret not in result.stdout, (result.args, "stdout")
            assert secret not in result.stderr, (result.args, "stderr")
            assert secret not in " ".join(map(str, result.args)), "the key went into argv"

    for path in files:
        content = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in content, f"{secret[:9]}… found in {path}"
            assert secret.encode("utf-16-le") not in content, f"{secret[:9]}… in {path}"

    for request in fake_server.requests:
        where = request.path + " " + " ".join(f"{k}={v}" for k, v in request.query.items())
        for secret in SECRETS:
            assert secret not in where, "the key travelled in a URL"
