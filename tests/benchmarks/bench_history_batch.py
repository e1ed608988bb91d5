"""Benchmark: a batch of outcomes in one transaction vs the same outcomes one at a time.

    .venv/bin/python tests/benchmarks/bench_history_batch.py [--count N] [--rounds R]

Each round writes N outcomes (nine successes with ~1.5 KB raw records like the samples, then
a failure, repeated) into a fresh history file in a temporary folder, both ways:

* single: ``record_success`` / ``record_failure`` per outcome (one transaction each);
* batch:  one ``record_many`` call (one transaction for all N).

The file is created (and migrated) before the clock starts, so both measure writes only.
Prints the median over the rounds and the ratio single / batch (issue 13: "history writes
are batched in transactions").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inspector.infra.history import (  # noqa: E402
    HistoryFailure,
    HistoryItem,
    HistoryStore,
    HistorySuccess,
)

SAMPLE = ROOT / "inspector" / "testserver" / "data" / "generation-chat-gpt-4.1-mini.json"


def sample_raw() -> dict[str, Any]:
    path = SAMPLE if SAMPLE.exists() else next(SAMPLE.parent.glob("generation-*.json"))
    data: dict[str, Any] = json.loads(path.read_text())["data"]
    return data


def outcomes(count: int, round_no: int) -> list[HistoryItem]:
    base = sample_raw()
    items: list[HistoryItem] = []
    for i in range(count):
        gen_id = f"gen-{1_790_000_000 + i}-bench{round_no:03d}{i:012d}"
        if i % 10 == 9:
            items.append(HistoryFailure(gen_id, "pending", 404, "not indexed yet"))
        else:
            items.append(HistorySuccess(gen_id, dict(base, id=gen_id, total_cost=i / 1e6)))
    return items


def fresh_store(folder: Path, name: str) -> HistoryStore:
    store = HistoryStore(folder / name / "history.sqlite3", enabled=True)
    store.record_failure("gen-1790000000-warmupAAAAAAAAAAAAAA", "pending", 404, None)
    return store


def time_single(folder: Path, items: list[HistoryItem]) -> float:
    store = fresh_store(folder, "single")
    start = time.perf_counter()
    for item in items:
        if isinstance(item, HistorySuccess):
            store.record_success(item.gen_id, item.raw, item.when)
        else:
            store.record_failure(item.gen_id, item.outcome, item.status, item.message, item.when)
    elapsed = time.perf_counter() - start
    assert store.count() == len(items) + 1 and store.available
    store.close()
    return elapsed


def time_batch(folder: Path, items: list[HistoryItem]) -> float:
    store = fresh_store(folder, "batch")
    start = time.perf_counter()
    written = store.record_many(items)
    elapsed = time.perf_counter() - start
    assert written == len(items) and store.count() == len(items) + 1 and store.available
    store.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="outcomes per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (median reported)")
    args = parser.parse_args()
    singles, batches = [], []
    for round_no in range(args.rounds):
        items = outcomes(args.count, round_no)
        with tempfile.TemporaryDirectory(prefix="bench-history-batch-") as tmp:
            singles.append(time_single(Path(tmp), items))
            batches.append(time_batch(Path(tmp), items))
    single, batch = statistics.median(singles), statistics.median(batches)
    print(f"{args.count:,} outcomes, median of {args.rounds} rounds (fresh file each):")
    print(f"  single writes   {single * 1000:8.1f} ms  ({single / args.count * 1e6:6.1f} µs each)")
    print(f"  one record_many {batch * 1000:8.1f} ms  ({batch / args.count * 1e6:6.1f} µs each)")
    print(f"  ratio single / batch: {single / batch:.1f}x")


if __name__ == "__main__":
    main()
