"""Named, reproducible UI scenes: one definition for the README screenshots and the SVG
snapshot tests (``screenshots/make.py``, ``tests/test_snapshots.py``). Test code: it lives
under ``tests/`` and is not part of the wheel.

A scene is an app built against the local test server (:mod:`inspector.testserver`), a
fresh data directory, a fixed size, and a coroutine that drives it to one state the way a
person would (typing, pressing keys). :func:`frozen_clock` pins the wall clock (and the
time zone) so ages such as "36 days ago", the young pending id and history times come out
the same on every run; :func:`freeze_frame` stops what still moves (countdowns, cursor
blink) just before the picture is taken. Nothing here runs at import time.

The server listens on a free port, so two runs can happen at once. A scene whose screen
names its base URL uses a fixed name for it (:data:`GATEWAY_URL`) and its app gets a
transport that sends that name's requests to the server's port, as a hosts-file entry
would (:func:`gateway_transport`): the picture shows a stable URL, the app runs its own
code, and the request still crosses a real socket to the real server.

Needs the ``time-machine`` package (in the ``dev`` extra) for :func:`frozen_clock`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.core.ids import make_id
from inspector.infra.config import ENV_API_KEY

if TYPE_CHECKING:
    import httpx
    from keyring.backend import KeyringBackend
    from textual.pilot import Pilot

    from inspector.core.retry import RetryPolicy
    from inspector.testserver import FakeOpenRouter
    from inspector.tui.app import InspectorApp

__all__ = [
    "FROZEN_NOW",
    "GATEWAY_URL",
    "SCENES",
    "Scene",
    "Stage",
    "freeze_frame",
    "frozen_clock",
    "gateway_transport",
    "make_server",
    "play",
]

FROZEN_NOW = datetime(2026, 11, 25, 16, 7, 42, tzinfo=UTC)
WIDE = (120, 40)
SMALL = (80, 24)

# A key the local server does not know: the 401 scene ("revoked"). Not shaped like a real key.
REVOKED_KEY = "sk-or-v1-revoked-screens-key-0000-dead"
# The base URL of a scene whose screen shows it: a fixed name (loopback, so the key may go
# over plain http), routed to the stage's server by gateway_transport().
GATEWAY_URL = "http://gateway.localhost/api/v1"
# Nothing listens on the discard port: connection refused, with a stable URL on screen.
UNREACHABLE_URL = "http://127.0.0.1:9/api/v1"
# The pending scene's young id: 12 s old at FROZEN_NOW, with a fixed tail.
PENDING_ID = make_id(FROZEN_NOW - timedelta(seconds=12), "Qx7mB2vK9pLr4TnW8sYd")
RETRY_WAIT = 7.0  # the 429's Retry-After in the retrying scene
PENDING_POLLS = (4.0, 8.0, 15.0, 30.0)  # the pending scene's waits: long enough to be seen
WAIT_PROGRESS = 0.4  # how far through its wait a countdown is pictured
_LOOKUP_GROUPS = ("lookup", "batch")  # workers that may wait on purpose in a scene


# -- the world a scene runs in --------------------------------------------------------------


@contextmanager
def frozen_clock(now: datetime = FROZEN_NOW) -> Iterator[None]:
    """Pin ``time.time()``/``datetime.now()`` at ``now`` and the local zone at UTC.

    Monotonic clocks keep running, so asyncio, Textual's timers and the server still work.
    """
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(now.astimezone(ZoneInfo("UTC")), tick=False):
        yield


def make_server() -> FakeOpenRouter:
    """A seeded local server (not started, free port) with the scenes' extra ids and scripts."""
    from inspector.demo import DEMO_KEY
    from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

    server = FakeOpenRouter(api_keys=(TEST_KEY, DEMO_KEY))
    server.set_scenario(
        catalog.RATE_LIMITED_ID, catalog.rate_limited(RETRY_WAIT, "seconds", times=1000)
    )
    server.add_record(catalog.chat_like(PENDING_ID))
    server.set_scenario(PENDING_ID, catalog.pending(polls=1000))
    return server


def gateway_transport(server: FakeOpenRouter) -> httpx.AsyncBaseTransport:
    """httpx's own transport, with the requests for :data:`GATEWAY_URL`'s host sent to
    ``server`` (its address and free port). The request keeps its URL and Host header."""
    import httpx

    gateway = httpx.URL(GATEWAY_URL).host

    class GatewayTransport(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.host == gateway:
                request.url = request.url.copy_with(host=server.host, port=server.port)
            return await super().handle_async_request(request)

    return GatewayTransport()


def _memory_keyring() -> KeyringBackend:
    """An empty in-memory keyring: scenes never touch the real one."""
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.passwords: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.passwords.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.passwords[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.passwords.pop((service, username), None)

    return MemoryKeyring()


def quick_policy() -> RetryPolicy:
    """Retries without visible waits or jitter, so failing scenes end at once."""
    from inspector.core.retry import RetryPolicy

    return RetryPolicy(base_delay=0.001, max_delay=0.005, jitter=0.0)


def steady_policy() -> RetryPolicy:
    """Waits without jitter, long enough that a scene is pictured mid-wait."""
    from inspector.core.retry import RetryPolicy

    return RetryPolicy(jitter=0.0, pending_schedule=PENDING_POLLS)


# -- scenes ---------------------------------------------------------------------------------

Drive = Callable[["Stage", "Pilot[Any]"], Awaitable[None]]


async def _nothing(stage: Stage, pilot: Pilot[Any]) -> None:
    """Leave the app as it starts."""


@dataclass(frozen=True)
class Scene:
    """One state of the UI, reached from a fresh start."""

    name: str  # file stem and test id
    caption: str  # what it shows, for the README
    drive: Drive = _nothing
    size: tuple[int, int] = WIDE
    key: str | None = "test"  # "test", "demo", "revoked" or None (no key anywhere)
    history: bool = False  # seed the history store with a dozen past lookups
    demo: bool = False
    base_url: str | None = None  # default: the stage's server; GATEWAY_URL: routed to it
    policy: Callable[[], RetryPolicy] = quick_policy


@dataclass
class Stage:
    """A started server and a data directory for one scene's app."""

    server: FakeOpenRouter
    data_dir: Path
    apps: list[InspectorApp] = field(default_factory=list)

    def app_for(self, scene: Scene) -> InspectorApp:
        """The app of ``scene``, as ``orinspect`` would build it."""
        from inspector.demo import DEMO_KEY, demo_ids
        from inspector.infra.history import HistoryStore
        from inspector.infra.keystore import KeyStore
        from inspector.testserver import TEST_KEY
        from inspector.tui.app import InspectorApp

        keys = {"test": TEST_KEY, "demo": DEMO_KEY, "revoked": REVOKED_KEY}
        env = {ENV_API_KEY: keys[scene.key]} if scene.key else {}
        history = HistoryStore(self.data_dir / "history.sqlite3", enabled=True)
        if scene.history:
            seed_history(history)
        # A GATEWAY_URL scene's requests go to the server by way of the app's transport
        # seam (the Session's transport factory, passed on by InspectorApp).
        routed: dict[str, Any] = {}
        if scene.base_url == GATEWAY_URL:
            routed["transport"] = lambda: gateway_transport(self.server)
        app = InspectorApp(
            base_url=scene.base_url or self.server.base_url,
            history=history,
            keystore=KeyStore(env=env, backend=_memory_keyring(), timeout=2.0),
            demo=scene.demo,
            demo_ids=demo_ids(PENDING_ID) if scene.demo else (),
            retry_policy=scene.policy(),
            **routed,
        )
        app.NATIVE_CLIPBOARD = False
        self.apps.append(app)
        return app


def seed_history(store: Any) -> None:
    """A dozen past lookups at fixed times before FROZEN_NOW (newest last)."""
    from inspector.testserver import catalog

    records = catalog.records()
    past: list[tuple[str, float]] = [
        (catalog.OLD_RECORD_ID, 20 * 86400),
        (catalog.IMAGE_ID, 3 * 86400),
        (catalog.NEGATIVE_DISCOUNT_ID, 2 * 86400 + 3600),
        (catalog.NOT_FOUND_ID, 30 * 3600),
        (catalog.CANCELLED_ID, 26 * 3600),
        (catalog.BYOK_ID, 5 * 3600),
        (catalog.FALLBACK_ID, 2 * 3600),
        (catalog.CHAT_ID, 3600),
        (catalog.CACHE_HIT_ID, 40 * 60),
        (catalog.REASONING_CACHED_ID, 3 * 60),
    ]
    for gen_id, ago in past:
        when = FROZEN_NOW - timedelta(seconds=ago)
        if gen_id in records:
            store.record_success(gen_id, records[gen_id], when=when)
        else:
            store.record_failure(
                gen_id, "not_found", 404, f"Generation {gen_id} not found", when=when
            )


# -- driving --------------------------------------------------------------------------------


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Process events until ``condition()`` holds (fails after 15 s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15.0
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"scene never reached: {what}")
        await pilot.pause(0.01)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the background work that is not a lookup (key, history) to finish."""
    from inspector.tui.screens.key_prompt import KeyPromptScreen

    app = _app(pilot)

    def key_known() -> bool:
        return app.resolved_key is not None or isinstance(app.screen, KeyPromptScreen)

    await until(pilot, key_known, "key resolved")
    for _ in range(3):
        busy = [w for w in app.workers if w.is_running and w.group not in _LOOKUP_GROUPS]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()


def _app(pilot: Pilot[Any]) -> InspectorApp:
    return pilot.app  # type: ignore[return-value]


async def look_up(pilot: Pilot[Any], gen_id: str, state: str) -> None:
    """Put ``gen_id`` in the id field, press Enter, wait for the pane to show ``state``."""
    from textual.widgets import Input

    app = _app(pilot)
    await settle(pilot)
    app.action_focus_input()
    field_ = app.query_one("#id-field", Input)
    field_.value = gen_id  # as if pasted (typing 40 keys one by one takes seconds)
    field_.cursor_position = len(gen_id)
    await pilot.press("enter")
    await until(pilot, lambda: app.detail.state == state, f"{gen_id} -> {state}")
    await settle(pilot)


def _lookup(gen_id: str, state: str) -> Drive:
    async def drive(stage: Stage, pilot: Pilot[Any]) -> None:
        await look_up(pilot, gen_id, state)

    drive.__doc__ = f"Look up {gen_id} and wait for the {state} state."
    return drive


async def _pending(stage: Stage, pilot: Pilot[Any]) -> None:
    """A young id: the first poll answers 404; r checks again at once (404 again)."""
    await look_up(pilot, PENDING_ID, "pending")
    polls = stage.server.count(PENDING_ID)
    await pilot.press("r")
    await until(pilot, lambda: stage.server.count(PENDING_ID) > polls, "second poll")
    await settle(pilot)


async def _empty(stage: Stage, pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def _revoked(stage: Stage, pilot: Pilot[Any]) -> None:
    """401: the key prompt opens over the error; Escape declines it to show the error."""
    from inspector.testserver import catalog
    from inspector.tui.screens.key_prompt import KeyPromptScreen

    app = _app(pilot)
    await look_up(pilot, catalog.CHAT_ID, "error")
    await until(pilot, lambda: isinstance(app.screen, KeyPromptScreen), "key prompt")
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, KeyPromptScreen), "prompt closed")
    await settle(pilot)


async def _key_prompt(stage: Stage, pilot: Pilot[Any]) -> None:
    """No key anywhere: the prompt opens by itself; a key is being typed (masked)."""
    from inspector.tui.screens.key_prompt import KeyPromptScreen

    app = _app(pilot)
    await settle(pilot)
    await until(pilot, lambda: isinstance(app.screen, KeyPromptScreen), "key prompt")
    await pilot.press(*"sk-or-v1-0123456789")
    await pilot.pause()


async def _help(stage: Stage, pilot: Pilot[Any]) -> None:
    from inspector.testserver import catalog

    await look_up(pilot, catalog.CHAT_ID, "record")
    await pilot.press("question_mark")
    await pilot.pause()


async def _history_filtered(stage: Stage, pilot: Pilot[Any]) -> None:
    """Open one entry from history (no network), then filter the list by a word."""
    from inspector.tui.widgets.history_sidebar import HistorySidebar

    app = _app(pilot)
    await settle(pilot)
    await pilot.press("escape", "slash", *"claude")
    sidebar = app.query_one(HistorySidebar)
    await until(pilot, lambda: sidebar.total == 2 and len(sidebar.entries) == 2, "filtered")
    await pilot.press("enter", "down", "enter")
    await until(pilot, lambda: app.detail.state == "record", "stored record shown")
    await settle(pilot)


async def _raw_json(stage: Stage, pilot: Pilot[Any]) -> None:
    from inspector.testserver import catalog

    await look_up(pilot, catalog.REASONING_CACHED_ID, "record")
    await pilot.press("v")
    await pilot.pause()


async def _bill(stage: Stage, pilot: Pilot[Any]) -> None:
    """A bill dearer than list with nothing to explain it; the cursor on a line item."""
    from inspector.testserver import catalog
    from inspector.tui.widgets.field_list import FieldList

    app = _app(pilot)
    await look_up(pilot, catalog.UNEXPLAINED_ID, "record")
    await until(pilot, lambda: app.state.record is not None and app.state.record.bill is not None,
                "bill explained")  # fmt: skip
    app.query_one("#record-fields", FieldList).move_to_field("bill.item.prompt_uncached")
    await settle(pilot)


async def _batch(stage: Stage, pilot: Pilot[Any]) -> None:
    """A dozen ids pasted at once (a log's lines): the batch view with every row in, sorted
    by cost, the dearest first."""
    from textual import events

    from inspector.testserver import catalog
    from inspector.tui.widgets.id_input import IdField

    app = _app(pilot)
    await settle(pilot)
    ids = [
        catalog.CHAT_ID,
        catalog.FALLBACK_ID,
        catalog.REASONING_CACHED_ID,
        catalog.BYOK_ID,
        catalog.CACHE_HIT_ID,
        catalog.IMAGE_ID,
        catalog.NEGATIVE_DISCOUNT_ID,
        catalog.CANCELLED_ID,
        catalog.OLD_RECORD_ID,
        catalog.UNEXPLAINED_ID,
        catalog.BYOK_FEE_ID,
        catalog.NOT_FOUND_ID,
    ]
    log = "\n".join(f"16:07:{i:02d} INFO request done id={gen_id}" for i, gen_id in enumerate(ids))
    app.query_one(IdField).post_message(events.Paste(log))

    def ended() -> bool:
        screen = app.batch_screen
        return screen is not None and screen.ended

    await until(pilot, ended, "batch done")
    await pilot.press(*"sssss", "home")  # id, status, model, provider, cost; the top row
    await pilot.pause()


def _scenes() -> list[Scene]:
    from inspector.testserver import catalog

    record, error = "record", "error"
    return [
        Scene("empty", "First launch: what to paste, and how to try the demo", _empty),
        Scene("demo", "Demo mode: sample generations to pick from", _empty, key="demo", demo=True),
        Scene(
            "record",
            "A record: cost, tokens, timing and the provider at a glance",
            _lookup(catalog.REASONING_CACHED_ID, record),
            history=True,
        ),
        Scene(
            "fallback",
            "A fallback chain: two providers failed before Fireworks served it",
            _lookup(catalog.FALLBACK_ID, record),
            history=True,
        ),
        Scene(
            "byok",
            "Bring your own key: what the provider charged, and OpenRouter's fee",
            _lookup(catalog.BYOK_ID, record),
        ),
        Scene(
            "bill",
            "The bill explained: line items at the provider's list price, verdict, reasons",
            _bill,
            size=(120, 44),
        ),
        Scene("raw_json", "The raw JSON, exactly as received (j)", _raw_json),
        Scene(
            "retrying",
            "Rate limited: the server's Retry-After, counted down",
            _lookup(catalog.RATE_LIMITED_ID, "retrying"),
            policy=steady_policy,
        ),
        Scene(
            "pending",
            "A young id that OpenRouter has not indexed yet, polled",
            _pending,
            policy=steady_policy,
        ),
        Scene(
            "error_400", "400: OpenRouter refused the id", _lookup(catalog.BAD_REQUEST_ID, error)
        ),
        Scene("error_401", "401: the key was rejected", _revoked, key="revoked"),
        Scene("error_402", "402: out of credits", _lookup(catalog.PAYMENT_REQUIRED_ID, error)),
        Scene(
            "error_403", "403: another account's generation", _lookup(catalog.FORBIDDEN_ID, error)
        ),
        Scene(
            "error_404",
            "404 on an old id: the likely reasons",
            _lookup(catalog.NOT_FOUND_ID, error),
        ),
        Scene(
            "error_502",
            "502 with an HTML page, after the retries",
            _lookup(catalog.BAD_GATEWAY_HTML_ID, error),
        ),
        Scene(
            "error_invalid",
            "An answer that is not OpenRouter's JSON",
            _lookup(catalog.NON_JSON_ID, error),
            base_url=GATEWAY_URL,
        ),
        Scene(
            "error_network",
            "Nothing listens at the base URL",
            _lookup(catalog.CHAT_ID, error),
            base_url=UNREACHABLE_URL,
        ),
        Scene(
            "key_prompt",
            "No key yet: the key prompt, checked against GET /key",
            _key_prompt,
            key=None,
        ),
        Scene("help", "Every key, on the help screen (? or F1)", _help),
        Scene(
            "history_filtered",
            "History filtered by a word; a stored record opened offline",
            _history_filtered,
            history=True,
        ),
        Scene(
            "batch",
            "Many ids at once: the batch view fills in, with totals; sorted by cost (s)",
            _batch,
        ),
        Scene("small_empty", "80×24: first launch", _empty, size=SMALL),
        Scene(
            "small_record",
            "80×24: a record",
            _lookup(catalog.REASONING_CACHED_ID, record),
            size=SMALL,
        ),
    ]


class _Scenes:
    """``SCENES[name]`` and iteration, built on first use (nothing at import time)."""

    def __init__(self) -> None:
        self._by_name: dict[str, Scene] | None = None

    def _all(self) -> dict[str, Scene]:
        if self._by_name is None:
            self._by_name = {scene.name: scene for scene in _scenes()}
        return self._by_name

    def __getitem__(self, name: str) -> Scene:
        return self._all()[name]

    def __iter__(self) -> Iterator[Scene]:
        return iter(self._all().values())

    def names(self) -> list[str]:
        return list(self._all())


SCENES = _Scenes()


# -- taking the picture -----------------------------------------------------------------------


def freeze_frame(app: InspectorApp, progress: float = WAIT_PROGRESS) -> None:
    """Stop what still moves: countdowns stop ``progress`` of the way through their wait,
    cursors stop blinking."""
    from textual.widgets import Input

    from inspector.tui.widgets.wait_state import WaitState

    for screen in app.screen_stack:
        for waiting in screen.query(WaitState):
            waiting.deactivate()
            moment = waiting.clock() - waiting.elapsed + waiting.delay * progress
            waiting.clock = lambda moment=moment: moment  # type: ignore[misc]
            waiting.tick()
        for text_input in screen.query(Input):
            text_input.cursor_blink = False


async def play(scene: Scene, stage: Stage, pilot: Pilot[Any]) -> None:
    """Drive the app of ``scene`` to its state and freeze it for the picture."""
    await scene.drive(stage, pilot)
    freeze_frame(_app(pilot))
    await pilot.pause()
