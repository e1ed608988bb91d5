"""TUI benchmarks (not collected by pytest): ``.venv/bin/python tests/benchmarks/bench_tui.py``.

1. Time to first frame with the id input focused, in a real pseudo-terminal (Textual's real
   driver, a fresh interpreter per run, imports included), beside a bare Textual app that
   shows one ``Input``, in the same run: median of N interleaved runs each, and the ratio
   (target <= 1.25x). Also with a 100,000-entry history store in ``INSPECTOR_DATA_DIR``.
   "First frame" is the first paint the app sends to the terminal while an ``Input`` has
   focus; the child process stamps it and exits.
2. Time to interactive: launch in a pty, type an id the moment the first frame shows, time
   until the record is painted; beside a bare Textual app that echoes a submitted
   ``Input``, in interleaved pairs (bare, inspector, bare, …). Both are read from the
   outside (the pty's output), as a person would see them. Prints the ratio of the
   medians (target <= 1.5x).
3. Enter -> detail painted, against the local server, beside the raw httpx request for the
   same id on a kept-alive connection: medians over runs and the difference (target:
   median <= 50 ms over the raw request). "Painted" is the refresh after the record was
   handed to the detail pane.
4. The first lookup of a person who reads the screen first: launch in a pty, wait a second
   after the first frame, paste an id, time until its record is painted; a second later,
   paste a second id in the same app (everything is loaded by then) and time that too.
   The first also pays what the app had left to load when the paste came
   (``inspector.tui.warm_up`` loads it while the app waits), its new connection and its
   first paints; printed side by side, with their difference.

Options: ``--runs N`` (default 15), ``--skip-history`` (no 100,000-entry store),
``--only first-frame|interactive|enter|moment`` (one part), ``--latency S`` (the local
server answers every request S seconds late, as a distant one does; parts 2 and 4).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import inspect
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

from pty_child import PtyChild

REPO_ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 120, 40
HISTORY_SIZE = 100_000

# The child: builds one app, stamps the first paint with an Input focused, exits at once.
CHILD = r"""
import sys, time
t_start = time.perf_counter()
mode, stamp = sys.argv[1], sys.argv[2]
if mode != "bare":  # as the launcher does (inspector.tui.launch.run_tui)
    from inspector.tui import collector
    collector.pause()
from textual.widgets import Input

def stamped(cls):
    import inspect, pathlib
    class Timed(cls):
        if isinstance(cls.CSS_PATH, str):  # relative to the original class, not to "-c"
            CSS_PATH = str(pathlib.Path(inspect.getfile(cls)).parent / cls.CSS_PATH)
        _stamped = False
        def _display(self, screen, renderable):
            super()._display(screen, renderable)
            if not self._stamped and renderable is not None and isinstance(self.focused, Input):
                self._stamped = True
                now = time.perf_counter()
                with open(stamp, "w") as f:
                    f.write(f"{time.time()!r} {t_imported - t_start!r} {now - t_imported!r}")
                self.exit()
    return Timed

if mode == "bare":
    from textual.app import App
    class Bare(App):
        def compose(self):
            yield Input(placeholder="id")
    Timed = stamped(Bare)
else:
    from inspector.tui.app import InspectorApp
    Timed = stamped(InspectorApp)
t_imported = time.perf_counter()
Timed().run()
"""


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _drain(fd: int, deadline: float, proc: subprocess.Popen[bytes]) -> bytes:
    """Read the child's terminal output until it exits (it blocks if nobody reads)."""
    tail = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            tail = (tail + chunk)[-4000:]
        elif proc.poll() is not None:
            break
    return tail


def first_frame(mode: str, env: dict[str, str], work: Path) -> tuple[float, float, float]:
    """Seconds from spawning a fresh interpreter to its first frame with the input focused;
    then, inside the child, the imports, and from building the app to that frame."""
    stamp = work / "stamp"
    stamp.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
    started = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(stamp)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO_ROOT,
        start_new_session=True,
    )
    os.close(slave)
    try:
        output = _drain(master, time.monotonic() + 60, proc)
        proc.wait(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    if not stamp.exists():
        text = output.decode("utf-8", "replace")[-1500:]
        raise RuntimeError(f"{mode}: no frame painted (exit {proc.returncode}):\n{text}")
    painted, imports, run = (float(x) for x in stamp.read_text().split())
    return painted - started, imports, run


def seed_history(data_dir: Path) -> float:
    """Write HISTORY_SIZE entries through the real store; returns the seconds it took."""
    from inspector.infra.history import HistoryStore
    from inspector.testserver import catalog

    base = catalog.sample_record(catalog.CHAT_ID)
    started = time.perf_counter()
    store = HistoryStore(data_dir / "history.sqlite3", enabled=True)
    for i in range(HISTORY_SIZE):
        gen_id = f"gen-{1_790_000_000 + i}-{i:020d}"
        if i % 10:
            store.record_success(gen_id, {**base, "id": gen_id})
        else:
            store.record_failure(gen_id, "not_found", 404, "Generation not found")
    store.close()
    return time.perf_counter() - started


def _app_env(base_url: str, work: Path) -> dict[str, str]:
    """The environment of an app launched in a pty: the local server, its key, no keyring,
    data and config in ``work``, compiled modules as an installed app has them (the first
    launch writes them)."""
    from inspector.testserver import TEST_KEY

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENROUTER_",))}
    env.update(
        TERM="xterm-256color",
        OPENROUTER_API_KEY=TEST_KEY,
        OPENROUTER_BASE_URL=base_url,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        INSPECTOR_DATA_DIR=str(work / "data"),
        XDG_CONFIG_HOME=str(work / "config"),
        PYTHONPATH=str(REPO_ROOT),
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_first_frame(runs: int, with_history: bool) -> None:
    from inspector.testserver import FakeOpenRouter

    work = Path(tempfile.mkdtemp(prefix="bench-tui-"))
    try:
        with FakeOpenRouter() as server:
            env = _app_env(server.base_url, work)
            cases = {"bare Textual + Input": env, "inspector": env}
            if with_history:
                seconds = seed_history(work / "big")
                print(f"(seeded {HISTORY_SIZE:,} history entries in {seconds:.1f} s)")
                cases["inspector, 100k history"] = {**env, "INSPECTOR_DATA_DIR": str(work / "big")}
            samples: dict[str, list[tuple[float, float, float]]] = {n: [] for n in cases}
            for name, case_env in cases.items():  # one warm-up each (disk caches, .pyc)
                first_frame("bare" if name.startswith("bare") else "app", case_env, work)
            for _ in range(runs):
                for name, case_env in cases.items():
                    mode = "bare" if name.startswith("bare") else "app"
                    samples[name].append(first_frame(mode, case_env, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare = [_median_ms([s[i] for s in samples["bare Textual + Input"]]) for i in range(3)]
    print(f"\nTime to first frame, input focused (median of {runs}, fresh interpreter each):")
    print(f"  {'':<26} {'total':>9} {'ratio':>6}  {'imports':>9} {'app start':>9} {'ratio':>6}")
    for name, values in samples.items():
        total, imports, run = (_median_ms([s[i] for s in values]) for i in range(3))
        print(
            f"  {name:<26} {total:6.1f} ms {total / bare[0]:5.2f}x"
            f"  {imports:6.1f} ms {run:6.1f} ms {run / bare[2]:5.2f}x"
        )
    print("  total: spawn -> first frame; app start: building the app -> first frame")
    print("  target: total <= 1.25x bare")


# The bare app of the time-to-interactive pair: a label, an Input, and an echo of what was
# submitted. The inspector's first frame shows the same label.
BARE_ECHO = r"""
from textual.app import App
from textual.widgets import Input, Static

class Echo(App):
    def compose(self):
        yield Static("id ▸")
        yield Input(placeholder="id")
        yield Static(id="echo")

    def on_input_submitted(self, event):
        self.query_one("#echo", Static).update(f"looked up {event.value}")

Echo().run()
"""
FIRST_FRAME_MARK = "id ▸"


def interactive(mode: str, env: dict[str, str], gen_id: str, shown: str) -> tuple[float, float]:
    """Spawn, type ``gen_id`` + Enter at the first frame, wait until ``shown`` is painted:
    (seconds from spawn to the first frame, seconds from spawn to ``shown``)."""
    argv = [sys.executable, *(["-c", BARE_ECHO] if mode == "bare" else ["-m", "inspector"])]
    child = PtyChild(argv, env=env, cwd=REPO_ROOT, width=WIDTH, height=HEIGHT)
    try:
        first = child.wait_for(FIRST_FRAME_MARK)
        child.type(gen_id + "\r")
        done = child.wait_for(shown)
    finally:
        child.close()
    return first - child.started, done - child.started


def bench_interactive(runs: int, latency: float) -> None:
    from inspector.testserver import FakeOpenRouter, catalog

    work = Path(tempfile.mkdtemp(prefix="bench-tti-"))
    gen_id = catalog.CHAT_ID
    try:
        with FakeOpenRouter(latency=latency) as server:
            env = _app_env(server.base_url, work)
            cases = {"bare": f"looked up {gen_id}", "inspector": "$0.0005584"}
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
            for name, shown in cases.items():  # one warm-up each (disk caches, .pyc)
                interactive(name, env, gen_id, shown)
            for _ in range(runs):
                for name, shown in cases.items():
                    samples[name].append(interactive(name, env, gen_id, shown))
            bad = [r for r in server.requests if not r.authorized]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare = _median_ms([s[1] for s in samples["bare"]])
    late = f", the server {latency * 1000:.0f} ms late" if latency else ""
    print(
        "\nTime to interactive: id typed at the first frame -> shown"
        f" (median of {runs} pairs{late}):"
    )
    print(f"  {'':<12} {'first frame':>12} {'shown':>10} {'after frame':>12} {'ratio':>6}")
    for name, values in samples.items():
        first, shown = _median_ms([s[0] for s in values]), _median_ms([s[1] for s in values])
        after = _median_ms([s[1] - s[0] for s in values])
        print(f"  {name:<12} {first:9.1f} ms {shown:7.1f} ms {after:9.1f} ms {shown / bare:5.2f}x")
    pairs = [a[1] / b[1] for a, b in zip(samples["inspector"], samples["bare"], strict=True)]
    ratio = _median_ms([s[1] for s in samples["inspector"]]) / bare
    print(
        f"  ratio of the medians {ratio:.2f}x; median of the pair ratios"
        f" {statistics.median(pairs):.2f}x; target <= 1.5x"
    )
    if bad:
        print(f"  !! {len(bad)} request(s) without an accepted key")


def _paste(gen_id: str) -> str:
    """A bracketed paste of ``gen_id``, as a terminal sends it."""
    return f"\x1b[200~{gen_id}\x1b[201~"


def moment(env: dict[str, str], pastes: list[tuple[str, str]], idle: float) -> list[float]:
    """Launch; for each id, wait ``idle`` seconds (after the first frame, after the record
    before), paste it and wait for its marker: the seconds from each paste to its marker."""
    child = PtyChild([sys.executable, "-m", "inspector"], env=env, cwd=REPO_ROOT)
    try:
        child.wait_for(FIRST_FRAME_MARK)
        times = []
        for gen_id, shown in pastes:
            time.sleep(idle)  # a person reads the screen first
            started = time.perf_counter()
            child.type(_paste(gen_id))
            times.append(child.wait_for(shown) - started)
        return times
    finally:
        child.close()


def bench_moment(runs: int, latency: float, idle: float = 1.0) -> None:
    from inspector.testserver import FakeOpenRouter, catalog

    pastes = [(catalog.CHAT_ID, "$0.0005584"), (catalog.FALLBACK_ID, "$0.0040726")]
    work = Path(tempfile.mkdtemp(prefix="bench-moment-"))
    samples: list[list[float]] = []
    try:
        with FakeOpenRouter(latency=latency) as server:
            env = _app_env(server.base_url, work)
            moment(env, pastes, idle)  # warm-up: disk caches, .pyc
            for i in range(runs):
                env["INSPECTOR_DATA_DIR"] = str(work / f"data-{i}")  # the same empty history
                samples.append(moment(env, pastes, idle))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first, second = (_median_ms([s[i] for s in samples]) for i in range(2))
    late = f"; the server {latency * 1000:.0f} ms late" if latency else ""
    print(
        f"\nFirst lookup {idle:.0f} s after launch: paste -> record painted"
        f" (median of {runs}{late}):"
    )
    print(f"  first paste    {first:7.1f} ms")
    print(f"  second paste   {second:7.1f} ms   (everything loaded)")
    print(f"  difference     {first - second:+7.1f} ms   (the first paste's own work: loading,")
    print("                            a new connection, first paints)")


def _grew(items: list[float], size: int) -> Callable[[], bool]:
    """A condition: ``items`` holds more than ``size`` entries."""
    return lambda: len(items) > size


async def _until(condition: Callable[[], bool], what: str, step: float = 0.01) -> None:
    """Poll ``condition`` (the event loop keeps running); fail after 10 s, never hang."""
    deadline = time.monotonic() + 10
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(step)


async def bench_enter(runs: int) -> None:
    import httpx
    from textual import events

    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore
    from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
    from inspector.tui import collector
    from inspector.tui.app import InspectorApp
    from inspector.tui.widgets.id_input import IdField

    ids = [catalog.CHAT_ID, catalog.FALLBACK_ID, catalog.REASONING_CACHED_ID, catalog.BYOK_ID]
    painted: list[float] = []

    class Timed(InspectorApp):
        CSS_PATH = str(Path(inspect.getfile(InspectorApp)).parent / str(InspectorApp.CSS_PATH))

        def on_mount(self) -> None:
            self.watch(self, "state", self._record_shown, init=False)

        def _record_shown(self, old: object, new: object) -> None:
            if getattr(new, "phase", None) == "record" and getattr(old, "phase", None) != "record":
                self.call_after_refresh(lambda: painted.append(time.perf_counter()))

    work = Path(tempfile.mkdtemp(prefix="bench-enter-"))
    try:
        with FakeOpenRouter() as server:
            raw: list[float] = []
            headers = {"Authorization": f"Bearer {TEST_KEY}"}
            async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as client:
                await client.get("/generation", params={"id": ids[0]})  # connect once
                for i in range(runs):
                    started = time.perf_counter()
                    response = await client.get("/generation", params={"id": ids[i % len(ids)]})
                    response.json()
                    raw.append(time.perf_counter() - started)
            app = Timed(
                base_url=server.base_url,
                history=HistoryStore(work / "history.sqlite3", enabled=True),
                keystore=KeyStore(env={"OPENROUTER_API_KEY": TEST_KEY}),
            )
            app.NATIVE_CLIPBOARD = False
            enter: list[float] = []
            # As the launcher does: no collection until the first frame, then what start-up
            # built is frozen (InspectorApp._mount_panes). Without it every full collection
            # walks this process's whole heap and costs twice what the app's does.
            collector.pause()
            async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
                driver = app._driver
                assert driver is not None
                await _until(lambda: app.resolved_key is not None, "the key resolved")
                field = app.query_one(IdField)
                for i in range(runs + 1):  # the first lookup opens the connection: not counted
                    await app.workers.wait_for_complete()  # the last record settled (focus)
                    await pilot.pause()
                    app.action_focus_input()
                    await _until(lambda: app.focused is field, "the id field focused")
                    field.value = ids[i % len(ids)]
                    count = len(painted)
                    started = time.perf_counter()
                    driver.send_message(events.Key("enter", "\r"))  # as a terminal would
                    await _until(_grew(painted, count), f"lookup {i} painted", 0.0005)
                    if i:
                        enter.append(painted[-1] - started)
    finally:
        collector.resume(freeze=False)  # only if the app never got to its first frame
        shutil.rmtree(work, ignore_errors=True)
    raw_ms, enter_ms = _median_ms(raw), _median_ms(enter)
    print(f"\nEnter -> detail painted, local server (median of {runs}):")
    print(f"  raw httpx GET /generation   {raw_ms:7.1f} ms")
    print(
        f"  Enter -> detail painted     {enter_ms:7.1f} ms   "
        f"(+{enter_ms - raw_ms:.1f} ms over raw; p90 "
        f"{sorted(enter)[int(len(enter) * 0.9) - 1] * 1000:.1f} ms)"
    )
    print("  target: median <= raw + 50 ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-history", action="store_true")
    parser.add_argument("--only", choices=("first-frame", "interactive", "enter", "moment"))
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    if args.only in (None, "first-frame"):
        bench_first_frame(args.runs, not args.skip_history)
    if args.only in (None, "interactive"):
        bench_interactive(args.runs, args.latency)
    if args.only in (None, "enter"):
        asyncio.run(bench_enter(max(args.runs, 20)))
    if args.only in (None, "moment"):
        bench_moment(args.runs, args.latency)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
