"""Benchmark of the history store at 100,000 realistic records (not collected by pytest).

    .venv/bin/python tests/benchmarks/bench_history.py [--records N] [--path FILE]

Fills a store through its public API (varied ids, models, providers, ~1.5 KB raw records
like the samples, some failures and repeated lookups), then prints:

* open + newest 500: a new ``HistoryStore`` and ``recent(500)`` (target ≤ 50 ms);
* search as the user types: each prefix of a few queries → ``search(prefix, 500)`` +
  ``count(prefix)`` on an open store (target median ≤ 30 ms);
* file size per record.

Each figure comes with a baseline measured in the same run on the same file: bare
``sqlite3`` doing the naive thing (``SELECT … ORDER BY last_seen DESC LIMIT 500``; for
search, ``LIKE '%q%'`` on id, model and provider plus a ``count(*)`` with the same WHERE).
``--path`` reuses (or keeps) a filled file so later runs skip the fill.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inspector.infra.history import HistoryStore  # noqa: E402

DATA = ROOT / "inspector" / "testserver" / "data"
MODELS = {
    "openai/gpt-4.1-mini-2025-04-14": ["OpenAI", "Azure"],
    "openai/gpt-5-2025-08-07": ["OpenAI", "Azure"],
    "openai/gpt-oss-120b": ["Groq", "Cerebras", "DeepInfra", "Fireworks", "Together"],
    "anthropic/claude-4.5-haiku-20251001": ["Anthropic", "Amazon Bedrock", "Google Vertex"],
    "anthropic/claude-sonnet-4.5-20250929": ["Anthropic", "Amazon Bedrock", "Google Vertex"],
    "anthropic/claude-opus-4.1-20250805": ["Anthropic", "Amazon Bedrock"],
    "google/gemini-2.5-flash-20250617": ["Google AI Studio", "Google Vertex"],
    "google/gemini-2.5-pro-20250617": ["Google AI Studio", "Google Vertex"],
    "google/gemini-2.5-flash-image-20251002": ["Google AI Studio"],
    "moonshotai/kimi-k2-0905": ["Chutes", "Together", "Fireworks", "Groq", "Novita"],
    "deepseek/deepseek-v3.2-20251201": ["DeepSeek", "DeepInfra", "Chutes", "Novita"],
    "deepseek/deepseek-r1-0528": ["DeepSeek", "Together", "Parasail"],
    "meta-llama/llama-3.3-70b-instruct": ["Groq", "Cerebras", "DeepInfra", "Lambda"],
    "meta-llama/llama-4-maverick-17b-128e-instruct": ["Groq", "Together", "Fireworks"],
    "qwen/qwen3-coder-480b-a35b-07-25": ["Alibaba", "Chutes", "Cerebras", "Parasail"],
    "qwen/qwen3-235b-a22b-2507": ["Alibaba", "Chutes", "DeepInfra"],
    "mistralai/mistral-small-3.2-24b-instruct-2506": ["Mistral", "DeepInfra"],
    "mistralai/mistral-medium-3.1": ["Mistral"],
    "x-ai/grok-4-fast": ["xAI"],
    "x-ai/grok-code-fast-1": ["xAI"],
    "z-ai/glm-4.6": ["Z.AI", "Chutes", "Novita"],
    "nousresearch/hermes-4-405b": ["Nebius", "Lambda"],
}
ALNUM = string.ascii_letters + string.digits
TYPED = ["claude-sonnet", "bedrock", "gpt-4.1", "deepseek-r1", "gen-1790", "kimi k2"]


# ---- realistic records --------------------------------------------------------------------------


def samples() -> list[dict[str, Any]]:
    return [json.loads(p.read_text())["data"] for p in sorted(DATA.glob("generation-*.json"))]


def tail(rng: random.Random, n: int = 20) -> str:
    return "".join(rng.choices(ALNUM, k=n))


def make_record(rng: random.Random, bases: list[dict[str, Any]], unix: int) -> dict[str, Any]:
    """A sample record re-stamped: new ids, model, provider chain, figures, time."""
    raw = json.loads(json.dumps(rng.choice(bases)))
    model = rng.choice(list(MODELS))
    providers = MODELS[model]
    gen_id = f"gen-{unix}-{tail(rng)}"
    served = rng.choice(providers)
    prompt, completion = rng.randint(20, 60000), rng.randint(1, 8000)
    cost = round((prompt * 0.3 + completion * 1.2) / 1e6 * rng.uniform(0.2, 20), 9)
    raw.update(
        id=gen_id,
        request_id=f"req-{unix}-{tail(rng)}",
        upstream_id=f"chatcmpl-{tail(rng, 26)}",
        created_at=datetime.fromtimestamp(unix + rng.random(), UTC).isoformat(),
        model=model,
        provider_name=served,
        tokens_prompt=prompt,
        tokens_completion=completion,
        native_tokens_prompt=prompt + rng.randint(0, 200),
        native_tokens_completion=completion + rng.randint(0, 100),
        total_cost=cost,
        usage=cost,
        latency=rng.randint(90, 9000),
        generation_time=rng.randint(100, 90000),
    )
    attempts = [p for p in providers if p != served][: rng.choice([0, 0, 0, 1, 2])]
    raw["provider_responses"] = [
        {
            "endpoint_id": f"{tail(rng, 8)}-{tail(rng, 4)}-{tail(rng, 4)}-{tail(rng, 12)}",
            "is_byok": False,
            "latency": rng.randint(50, 3000),
            "model_permaslug": model,
            "provider_name": name,
            "status": status,
        }
        for name, status in [*((a, rng.choice([429, 502, 503])) for a in attempts), (served, 200)]
    ]
    return raw


def fill(store: HistoryStore, count: int, seed: int = 1) -> tuple[float, float]:
    """``count`` distinct ids (10 % failures, 15 % looked up twice); (seconds, avg raw size)."""
    rng = random.Random(seed)
    bases = samples()
    start_unix = 1_760_000_000
    sizes: list[int] = []
    begin = time.perf_counter()
    for i in range(count):
        unix = start_unix + i * 300 + rng.randint(0, 299)
        when = datetime.fromtimestamp(unix + rng.randint(1, 86400), UTC)
        if rng.random() < 0.10:
            gen_id = f"gen-{unix}-{tail(rng)}"
            outcome = rng.choice(["pending", "not_found", "error"])
            status = {"pending": 404, "not_found": 404}.get(outcome, rng.choice([502, 524]))
            store.record_failure(gen_id, outcome, status, f"Generation {gen_id} not found", when)
            continue
        raw = make_record(rng, bases, unix)
        sizes.append(len(json.dumps(raw, separators=(",", ":"))))
        store.record_success(raw["id"], raw, when)
        if rng.random() < 0.15:
            store.record_failure(raw["id"], "error", 502, "Bad gateway", when)
        if (i + 1) % 10000 == 0:
            print(f"  filled {i + 1:,} ({time.perf_counter() - begin:.0f} s)", file=sys.stderr)
    return time.perf_counter() - begin, statistics.mean(sizes)


# ---- measuring ----------------------------------------------------------------------------------


CPU: list[float] = []  # CPU milliseconds of every timed call (the machine may be shared)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall milliseconds of each of ``repeat`` calls (their CPU time goes to ``CPU``)."""
    out = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
    return out


def cpu_of(fn: Callable[[], list[float]]) -> tuple[list[float], float]:
    """Run a measurement; its wall times and the median CPU time of its calls."""
    CPU.clear()
    wall = fn()
    return wall, statistics.median(CPU)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def open_and_newest(path: Path, with_raw: bool = True) -> None:
    store = HistoryStore(path, enabled=True)
    entries = store.recent(500, with_raw=with_raw)
    assert len(entries) == 500
    store.close()


def bare_newest(path: Path) -> None:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM generations ORDER BY last_seen DESC LIMIT 500").fetchall()
    assert len(rows) == 500
    conn.close()


def prefixes(queries: list[str]) -> list[str]:
    return [q[:n] for q in queries for n in range(1, len(q) + 1)]


def typing_store(store: HistoryStore, typed: list[str], with_raw: bool = True) -> list[float]:
    def one(prefix: str) -> Callable[[], object]:
        return lambda: (store.search(prefix, 500, with_raw=with_raw), store.count(prefix))

    return [timed(one(p), 1)[0] for p in typed]


def typing_bare(conn: sqlite3.Connection, typed: list[str]) -> list[float]:
    where = "gen_id LIKE ?1 OR model LIKE ?1 OR provider LIKE ?1"
    search = f"SELECT * FROM generations WHERE {where} ORDER BY last_seen DESC LIMIT 500"
    count = f"SELECT count(*) FROM generations WHERE {where}"

    def one(prefix: str) -> Callable[[], object]:
        like = f"%{prefix}%"
        return lambda: (conn.execute(search, (like,)).fetchall(), conn.execute(count, (like,)))

    return [timed(one(p), 1)[0] for p in typed]


def line(label: str, ours: tuple[list[float], float], base: tuple[list[float], float]) -> str:
    """Wall median and p95, CPU median, for ours and the baseline, and the ratio of medians."""
    (o, ocpu), (b, bcpu) = ours, base
    om, bm = statistics.median(o), statistics.median(b)
    return (
        f"{label:<24} {om:6.2f} {p95(o):6.2f} {ocpu:6.2f} | baseline {bm:6.2f} {p95(b):6.2f}"
        f" {bcpu:6.2f} | ratio {om / bm:5.2f}x"
    )


# ---- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--path", type=Path, help="a history file to fill or reuse")
    parser.add_argument("--repeat", type=int, default=30, help="opens to time")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory(prefix="bench-history-")
    path = args.path or Path(workdir.name) / "history.sqlite3"
    store = HistoryStore(path, enabled=True)
    if store.count() < args.records:
        print(f"filling {args.records:,} records into {path} …", file=sys.stderr)
        seconds, raw_size = fill(store, args.records - store.count())
        print(f"fill: {seconds:.1f} s, {seconds / args.records * 1e6:.0f} µs per lookup "
              f"recorded, raw JSON {raw_size:.0f} bytes on average")  # fmt: skip
    store.close()
    total = HistoryStore(path, enabled=True).count()
    size = path.stat().st_size + sum(p.stat().st_size for p in (Path(f"{path}-wal"),) if p.exists())
    print(f"records: {total:,}; sqlite {sqlite3.sqlite_version}; python {sys.version.split()[0]}")

    for _ in range(3):  # warm the page cache and the interpreter
        open_and_newest(path)
        bare_newest(path)
    print(f"{'ms':<24} {'median':>6} {'p95':>6} {'cpu':>6} |          median    p95    cpu")
    base = cpu_of(lambda: timed(lambda: bare_newest(path), args.repeat))
    ours = cpu_of(lambda: timed(lambda: open_and_newest(path), args.repeat))
    print(line("open + newest 500", ours, base) + "   target ≤ 50 ms")
    ours = cpu_of(lambda: timed(lambda: open_and_newest(path, with_raw=False), args.repeat))
    print(line("  with_raw=False", ours, base))

    store = HistoryStore(path, enabled=True)
    some_id = store.recent(limit=1, offset=total // 3)[0].gen_id
    queries = [*TYPED, some_id.rsplit("-", 1)[1][:12]]
    typed = prefixes(queries)
    conn = sqlite3.connect(path)
    typing_store(store, typed)  # warm
    base = cpu_of(lambda: [t for _ in range(3) for t in typing_bare(conn, typed)])
    ours = cpu_of(lambda: [t for _ in range(3) for t in typing_store(store, typed)])
    print(line("search as you type", ours, base) + "   target median ≤ 30 ms")
    ours = cpu_of(lambda: [t for _ in range(3) for t in typing_store(store, typed, False)])
    print(line("  with_raw=False", ours, base))
    print(f"  ({len(typed)} prefixes of {', '.join(repr(q) for q in queries)}; 3 rounds)")
    worst = sorted(zip(typing_store(store, typed), typed, strict=True), reverse=True)[:3]
    print("  slowest prefixes: " + ", ".join(f"{p!r} {ms:.1f} ms" for ms, p in worst))
    print(f"file size: {size / 1e6:.1f} MB, {size / total:,.0f} bytes per record")
    store.close()
    conn.close()
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
