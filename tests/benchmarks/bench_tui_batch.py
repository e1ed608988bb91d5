"""Batch view benchmark (not collected by pytest).

    .venv/bin/python tests/benchmarks/bench_tui_batch.py [--ids 1000] [--latency 0.05]

Starts the local OpenRouter with a per-request latency (50 ms by default) and ``--ids``
records, then, interleaved for ``--runs`` runs:

* ``batch``: the application layer alone (:class:`inspector.app.batch.Batch` on a session,
  8 jobs, history on): the floor for the view;
* ``view``: the app (headless, 120×40), every id submitted at once: time from the
  submission to the last row filled in, with the UI's event loop probed every 10 ms
  meanwhile (the worst and the 99th percentile lag: how long a key would wait), the
  number of table redraws (coalesced messages), and the time a key takes at mid-batch
  (``s``: re-sorting 1,000 rows while they fill in, posted as the terminal would, until
  it is handled and the new order laid out).

Prints the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual import events

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "tests")]

from batch_support import add_records, parsed, session_for  # noqa: E402
from tui_shell_support import make_app, started, until  # noqa: E402

from inspector.app.batch import Batch  # noqa: E402
from inspector.core.ids import parse_id  # noqa: E402
from inspector.testserver import TEST_KEY, FakeOpenRouter  # noqa: E402
from inspector.tui.screens.batch import BatchScreen  # noqa: E402
from inspector.tui.widgets.batch_table import BatchTable  # noqa: E402


async def run_batch(server: FakeOpenRouter, ids: list[str], data: Path) -> float:
    session = session_for(server, history=data / "history.sqlite3")
    batch = Batch(session)
    batch.add_all(parsed(ids))
    batch.finish_input()
    start = time.perf_counter()
    async for _ in batch.events():
        pass
    took = time.perf_counter() - start
    await session.aclose()
    return took


async def poll(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Wait for ``condition`` without driving the app (Pilot's pauses wait for the screen
    to settle, which a running batch never lets it do)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.005)


async def run_view(server: FakeOpenRouter, ids: list[str], data: Path) -> dict[str, float]:
    app = make_app(server, data, key=TEST_KEY)
    redraws = 0
    show = BatchTable.show

    def counted(self: BatchTable) -> None:
        nonlocal redraws
        redraws += 1
        show(self)

    BatchTable.show = counted  # type: ignore[method-assign]
    lags: list[float] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot)
            stop = asyncio.Event()

            async def probe() -> None:
                while not stop.is_set():
                    before = time.perf_counter()
                    await asyncio.sleep(0.01)
                    lags.append(time.perf_counter() - before - 0.01)

            probing = asyncio.ensure_future(probe())
            start = time.perf_counter()
            app.open_batch([parse_id(gen_id) for gen_id in ids])
            await until(pilot, lambda: isinstance(app.screen, BatchScreen), 10)
            screen = app.screen
            assert isinstance(screen, BatchScreen)

            def progressed(share: float) -> bool:
                batch = screen.active_batch
                return batch is not None and batch.progress().done >= share * len(ids)

            await poll(lambda: progressed(0.5))
            pressed = time.perf_counter()
            app.post_message(events.Key("s", "s"))  # as the terminal sends it
            await poll(lambda: screen.rows.sort_column == "id")
            key = time.perf_counter() - pressed
            await poll(lambda: all(row.outcome for row in screen.rows.rows))
            filled = time.perf_counter() - start
            stop.set()
            await probing
            await app.workers.wait_for_complete()  # the history read after the batch
            await pilot.pause()
            assert [row.status for row in screen.rows.rows].count("ok") == len(ids)
    finally:
        BatchTable.show = show  # type: ignore[method-assign]
    lags.sort()
    return {
        "fill": filled,
        "key": key,
        "lag_max": lags[-1],
        "lag_p99": lags[int(len(lags) * 0.99)],
        "redraws": redraws,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ids", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with FakeOpenRouter(latency=args.latency, seed=False) as server:
        ids = add_records(server, args.ids)
        batches: list[float] = []
        views: list[dict[str, float]] = []
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                batches.append(await run_batch(server, ids, Path(tmp)))
            with tempfile.TemporaryDirectory() as tmp:
                views.append(await run_view(server, ids, Path(tmp)))
            print(f"run {run + 1}: batch {batches[-1]:.2f} s, view {views[-1]}", flush=True)
    print(f"\n{args.ids} ids, {args.latency * 1000:.0f} ms a request, 8 jobs, medians:")
    print(f"  application layer alone      {statistics.median(batches):6.2f} s")
    for name, label, unit in (
        ("fill", "batch view, all rows filled", "s"),
        ("key", "a key at mid-batch (sort)", "s"),
        ("lag_max", "event loop lag, worst", "s"),
        ("lag_p99", "event loop lag, p99", "s"),
        ("redraws", "table redraws", ""),
    ):
        value = statistics.median(view[name] for view in views)
        text = f"{value:6.0f}" if unit == "" else f"{value:6.3f} {unit}"
        print(f"  {label:<29}{text}")


if __name__ == "__main__":
    asyncio.run(main())
