"""Demo mode: the bundled local OpenRouter, in this process, with throwaway state.

``orinspect --demo`` calls :func:`start_demo`, points the app at the returned
environment and calls :meth:`DemoEnvironment.close` on the way out. Nothing here touches
the user's own history, keyring or environment variables:

* the local server (:class:`inspector.testserver.FakeOpenRouter`) listens on 127.0.0.1 in a
  daemon thread and accepts only :data:`DEMO_KEY`, a fixed throwaway key it alone knows;
* history lives in a fresh temporary directory, removed by ``close()``;
* the demo ids cover what the app can show: a normal record, a fallback chain, a BYOK call,
  bills of each kind (matching list price, cheaper by the cache, a BYOK fee, insured, dearer
  and unexplained), a pending id (made young when the demo starts) that resolves after a
  few polls, a 429 with a countdown, and errors.

``time_scale`` multiplies every wait the server announces (``Retry-After``) and the
pending poll schedule of :meth:`DemoEnvironment.retry_policy`, so tests can run the demo
in milliseconds and people see countdowns of a few seconds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from inspector.infra import config

if TYPE_CHECKING:
    from inspector.core.retry import RetryPolicy
    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore
    from inspector.testserver import FakeOpenRouter

# Only the demo's own local server accepts it; it is not shaped like a real key.
DEMO_KEY = "sk-or-v1-demo-throwaway-key-0000-d3m0"

RATE_LIMIT_WAIT = 6.0  # seconds the demo's 429 asks for: long enough to see the countdown
PENDING_POLLS = 2  # 404s before the pending id resolves (polls at ~0, 1, 3 s)
# RetryPolicy's defaults, scaled by time_scale in DemoEnvironment.retry_policy().
PENDING_SCHEDULE = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
BASE_DELAY = 0.5
MAX_DELAY = 30.0


@dataclass
class DemoEnvironment:
    """A running demo: where the app should look, with which key, and where to keep history."""

    server: FakeOpenRouter
    api_key: str
    data_dir: Path
    demo_ids: list[tuple[str, str]]  # (label, generation id), in display order
    pending_id: str
    time_scale: float = 1.0
    _tmp: Path | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/api/v1`` of the in-process server."""
        return self.server.base_url

    @property
    def history_path(self) -> Path:
        """The demo's history file (inside the temporary data directory)."""
        return self.data_dir / "history.sqlite3"

    def env(self) -> dict[str, str]:
        """The variables a CLI or TUI pointed at this demo would read."""
        return {
            config.ENV_API_KEY: self.api_key,
            config.ENV_BASE_URL: self.base_url,
            config.ENV_DATA_DIR: str(self.data_dir),
        }

    def keystore(self) -> KeyStore:
        """A key store that resolves the demo key (source ``environment``), never the keyring."""
        from inspector.infra.keystore import KeyStore

        return KeyStore(env={config.ENV_API_KEY: self.api_key})

    def history(self) -> HistoryStore:
        """A history store in the demo's temporary directory (enabled, whatever the env says)."""
        from inspector.infra.history import HistoryStore

        return HistoryStore(self.history_path, enabled=True)

    def retry_policy(self) -> RetryPolicy:
        """The default retry policy with its waits (polls, backoff) scaled by ``time_scale``."""
        from inspector.core.retry import RetryPolicy

        scale = self.time_scale
        return RetryPolicy(
            base_delay=BASE_DELAY * scale,
            max_delay=MAX_DELAY * scale,
            pending_schedule=tuple(step * scale for step in PENDING_SCHEDULE),
        )

    def close(self) -> None:
        """Stop the server and remove the temporary directory. Safe to call twice."""
        self.server.stop()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> DemoEnvironment:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def demo_ids(pending_id: str) -> list[tuple[str, str]]:
    """The ids the empty state offers in demo mode, as (label, id) pairs: the bills of
    ``catalog.BILL_DEMO_IDS`` among them (one that matches list price, one cheaper by the
    cache, a BYOK fee, an insured failure, one dearer and unexplained)."""
    from inspector.testserver import catalog

    labelled = (catalog.MATCHES_LIST_ID, catalog.CACHE_READ_ID)  # their own labels say so

    bills = [(label, gen_id) for label, gen_id in catalog.BILL_DEMO_IDS if gen_id not in labelled]
    return [
        ("Chat completion (bill matches list)", catalog.MATCHES_LIST_ID),
        ("Reasoning, cache reads (cheaper bill)", catalog.CACHE_READ_ID),
        ("Fallback chain", catalog.FALLBACK_ID),
        ("Bring your own key", catalog.BYOK_ID),
        *bills,
        ("Pending: appears in seconds", pending_id),
        ("Rate limited, then OK", catalog.RATE_LIMITED_ID),
        ("Upstream down (502)", catalog.BAD_GATEWAY_HTML_ID),
        ("Not found (old id)", catalog.NOT_FOUND_ID),
    ]


def start_demo(
    *,
    time_scale: float = 1.0,
    pending_polls: int = PENDING_POLLS,
    api_keys: Sequence[str] = (),
) -> DemoEnvironment:
    """Start the in-process server with the demo data and a temporary data directory.

    ``time_scale`` shortens (below 1) or lengthens every wait; ``api_keys`` are accepted by
    the server besides :data:`DEMO_KEY`. The caller must call ``close()`` (or use ``with``).
    """
    from inspector.testserver import FakeOpenRouter, catalog

    server = FakeOpenRouter(api_keys=(DEMO_KEY, *api_keys), time_scale=time_scale)
    # The 429 asks for a wait long enough for the countdown to be seen.
    server.set_scenario(catalog.RATE_LIMITED_ID, catalog.rate_limited(RATE_LIMIT_WAIT, "seconds"))
    pending = catalog.pending_id(server, polls=pending_polls)
    tmp = Path(tempfile.mkdtemp(prefix="orinspect-demo-"))
    try:
        server.start()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DemoEnvironment(
        server=server,
        api_key=DEMO_KEY,
        data_dir=tmp / "data",
        demo_ids=demo_ids(pending),
        pending_id=pending,
        time_scale=time_scale,
        _tmp=tmp,
    )
