"""Start-up benchmark of ``get`` (not collected by pytest).

    .venv/bin/python tests/benchmarks/bench_get.py [--runs 15]

Starts the local OpenRouter, then times whole processes, interleaved, ``--runs`` each:

* ``baseline``: a minimal script that imports httpx, makes the same GET and prints the
  ``data`` object (the floor any Python client pays);
* ``python -m inspector get ID --json`` (history on, in a temporary data directory: the
  default a person gets);
* the same with ``--no-history``;
* the console script ``orinspect get ID --json``, with and without history.

Prints the median wall time and CPU time (user + system, steadier when other work shares
the machine) of each, and its ratio to the baseline (target: 1.3x or less), and checks that
every candidate printed the same JSON. Use ``python -X importtime -m inspector get …`` to
see where start-up time goes.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
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
import json, os, sys
import httpx
response = httpx.get(
    os.environ["OPENROUTER_BASE_URL"] + "/generation",
    params={"id": sys.argv[1]},
    headers={"Authorization": "Bearer " + os.environ["OPENROUTER_API_KEY"]},
    timeout=30.0,
)
response.raise_for_status()
print(json.dumps(response.json()["data"], separators=(",", ":")))
"""


def candidates(gen_id: str) -> dict[str, list[str]]:
    """Name -> argv of every process timed."""
    python = sys.executable
    script = shutil.which("orinspect", path=str(Path(python).parent))
    found = {
        "baseline (httpx script)": [python, "-c", BASELINE, gen_id],
        "python -m inspector get --json": [python, "-m", "inspector", "get", gen_id, "--json"],
        "  … --no-history": [python, "-m", "inspector", "get", gen_id, "--json", "--no-history"],
    }
    if script:
        found["orinspect get --json"] = [script, "get", gen_id, "--json"]
        found["  … --no-history "] = [script, "get", gen_id, "--json", "--no-history"]
    return found


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall time and CPU time (user + system) of one whole process, and its stdout.

    CPU time is reported beside wall time because it barely moves when other work shares
    the machine; a non-zero exit fails the benchmark loudly.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err, cwd=REPO_ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}): {stderr.strip()}")
    return elapsed, usage.ru_utime + usage.ru_stime, stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per candidate (>= 10)")
    args = parser.parse_args()
    runs = max(args.runs, 10)
    gen_id = catalog.CHAT_ID
    # An installed package has its bytecode compiled (pip does it); a source checkout run
    # with PYTHONDONTWRITEBYTECODE=1 would recompile every module on every run instead.
    compileall.compile_dir(REPO_ROOT / "inspector", quiet=1)
    with FakeOpenRouter() as server, tempfile.TemporaryDirectory() as tmp:
        scrub = ("OPENROUTER_", "INSPECTOR_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(scrub)}
        env.update(
            OPENROUTER_API_KEY=TEST_KEY,
            OPENROUTER_BASE_URL=server.base_url,
            INSPECTOR_DATA_DIR=str(Path(tmp) / "data"),
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        procs = candidates(gen_id)
        outputs = {name: run_once(argv, env)[2] for name, argv in procs.items()}  # warm-up
        parsed = {name: json.loads(out) for name, out in outputs.items()}
        first = next(iter(parsed.values()))
        mismatched = [name for name, value in parsed.items() if value != first]
        if mismatched:
            raise SystemExit(f"outputs differ: {mismatched}")
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in procs}
        for _ in range(runs):
            for name, argv in procs.items():  # interleaved: drift hits every candidate alike
                wall, cpu, _out = run_once(argv, env)
                times[name].append((wall, cpu))
    report(times, runs)
    return 0


def report(times: dict[str, list[tuple[float, float]]], runs: int) -> None:
    """Medians of wall and CPU time, and their ratios to the baseline."""
    names = list(times)
    base_wall = statistics.median(w for w, _ in times[names[0]])
    base_cpu = statistics.median(c for _, c in times[names[0]])
    print(f"get --json start-up, median of {runs} interleaved runs each (target <= {TARGET}x)")
    print(f"  {'':<34} {'wall':>9} {'ratio':>6}   {'cpu':>9} {'ratio':>6}")
    for name in names:
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        print(
            f"  {name:<34} {wall * 1000:6.1f} ms {wall / base_wall:5.2f}x"
            f"   {cpu * 1000:6.1f} ms {cpu / base_cpu:5.2f}x"
        )


if __name__ == "__main__":
    raise SystemExit(main())
