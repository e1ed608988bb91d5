"""Batch benchmark of ``get`` (not collected by pytest).

    .venv/bin/python tests/benchmarks/bench_batch.py [--ids 1000] [--latency 0.05] [--runs 5]

Starts the local OpenRouter with a per-request latency (50 ms by default) and ``--ids``
records, writes their ids to a file, then times whole processes (subprocesses, start-up
included for every candidate), interleaved, ``--runs`` each:

* ``baseline``: a 16-way concurrent httpx script (asyncio, one ``AsyncClient``, 16 workers
  on a queue) that GETs every id and prints each ``data`` object as a JSON line — the floor
  of a concurrent Python client;
* ``python -m inspector get @FILE --json --jobs 16`` with history on (a temporary data
  directory: what a person gets), the same concurrency as the baseline;
* the same at the default ``--jobs 8``, and in the text form (summaries and totals), for
  information.

Prints the median wall time of each and its ratio to the baseline (target for ``--jobs
16``: 1.3x or less), and checks that every JSON candidate printed the same records in the
input order.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog  # noqa: E402

TARGET = 1.3
BASELINE = """
import asyncio, json, os, sys
import httpx

async def main() -> None:
    ids = open(sys.argv[1]).read().split()
    queue = asyncio.Queue()
    for index, gen_id in enumerate(ids):
        queue.put_nowait((index, gen_id))
    found = {}
    headers = {"Authorization": "Bearer " + os.environ["OPENROUTER_API_KEY"]}
    url = os.environ["OPENROUTER_BASE_URL"] + "/generation"
    async with httpx.AsyncClient(headers=headers, timeout=30.0) as client:
        async def worker() -> None:
            while not queue.empty():
                index, gen_id = queue.get_nowait()
                response = await client.get(url, params={"id": gen_id})
                response.raise_for_status()
                found[index] = response.json()["data"]
        await asyncio.gather(*(worker() for _ in range(16)))
    for index in range(len(ids)):
        print(json.dumps(found[index], separators=(",", ":")))

asyncio.run(main())
"""


def make_server(count: int, latency: float) -> tuple[FakeOpenRouter, list[str]]:
    server = FakeOpenRouter(latency=latency, seed=False).start()
    base = time.time() - 3600
    ids = []
    for index in range(count):
        gen_id = catalog.new_id(base + index)
        server.add_record(catalog.chat_like(gen_id))
        ids.append(gen_id)
    return server, ids


def candidates(id_file: Path) -> dict[str, list[str]]:
    python = sys.executable
    get = [python, "-m", "inspector", "get", f"@{id_file}"]
    return {
        "baseline (16-way httpx script)": [python, "-c", BASELINE, str(id_file)],
        "get --json --jobs 16": [*get, "--json", "--jobs", "16"],
        "get --json (default --jobs 8)": [*get, "--json"],
        "get --jobs 16 (text, totals)": [*get, "--jobs", "16"],
    }


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as data:
        started = time.perf_counter()
        done = subprocess.run(
            argv,
            env={**env, "INSPECTOR_DATA_DIR": data},
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            check=False,
        )
        took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv[2:5]} failed ({done.returncode}): {done.stderr[-800:]}")
    return took, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ids", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    server, ids = make_server(options.ids, options.latency)
    try:
        with tempfile.TemporaryDirectory() as folder:
            id_file = Path(folder) / "ids.txt"
            id_file.write_text("\n".join(ids) + "\n")
            env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENROUTER_", "INSP"))}
            env.update(
                OPENROUTER_API_KEY=TEST_KEY,
                OPENROUTER_BASE_URL=server.base_url,
                PYTHONPATH=str(REPO_ROOT),
                PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            )
            runs = candidates(id_file)
            times: dict[str, list[float]] = {name: [] for name in runs}
            outputs: dict[str, str] = {}
            for _ in range(options.runs):
                for name, argv in runs.items():  # interleaved: drift hits every candidate
                    took, out = run_once(argv, env)
                    times[name].append(took)
                    outputs[name] = out
    finally:
        server.stop()

    baseline_out = outputs["baseline (16-way httpx script)"]
    assert [json.loads(line)["id"] for line in baseline_out.split()] == ids, "baseline lost some"
    for name, out in outputs.items():
        if "--json" in name:
            got = [json.loads(line)["id"] for line in out.splitlines()]
            assert got == ids, f"{name}: records missing or out of order"

    baseline = statistics.median(times["baseline (16-way httpx script)"])
    print(f"{options.ids} ids, {options.latency * 1000:.0f} ms per request, {options.runs} runs")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<34} {median:6.2f} s   {median / baseline:4.2f}x")
    ratio = statistics.median(times["get --json --jobs 16"]) / baseline
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"get --json --jobs 16 / baseline: {ratio:.2f}x ({verdict} the {TARGET}x target)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
