"""A session: one person's use of the inspector, shared by the CLI and the TUI.

It resolves the key (once, before any request: with no key nothing is sent), runs lookups
with the retry policy, records every outcome under the one policy of
:mod:`inspector.app.recording`, and turns a record or an error into facts and
explanations for the front-ends::

    session = Session(settings, keystore=KeyStore(), history=HistoryStore())
    async for event in session.lookup(parse_id(text)):
        ...                      # Attempting | Waiting | Succeeded | Failed
    facts = session.facts(outcome.result)

The front-ends only render what it gives them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from inspector.app.explain import Explanation, explain
from inspector.app.lookup import Failed, Lookup, LookupEvent, Succeeded
from inspector.app.recording import Recorder
from inspector.app.settings import Settings
from inspector.core.errors import InspectorError, MissingKeyError
from inspector.core.ids import ParsedId, utc_now
from inspector.core.retry import RetryPolicy
from inspector.core.urls import display_url
from inspector.infra.http import tls

if TYPE_CHECKING:
    import httpx

    from inspector.app.bill_prices import PricingService
    from inspector.app.facts import RecordFacts
    from inspector.app.gate import RateGate
    from inspector.infra.client import FetchResult, GenerationClient
    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore, ResolvedKey

__all__ = ["Session", "TransportFactory"]

TransportFactory = Callable[[], "httpx.AsyncBaseTransport | None"]


class Session:
    """Key, client, retry policy and history of one run."""

    def __init__(
        self,
        settings: Settings,
        *,
        keystore: KeyStore,
        history: HistoryStore | Callable[[], HistoryStore] | None = None,
        policy: RetryPolicy | None = None,
        transport: TransportFactory | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.keystore = keystore
        self._history = history
        self._recorder: Recorder | None = None
        self.policy = policy or RetryPolicy(scale=settings.retry_scale)
        self._transport = transport or (lambda: None)
        self._sleep = sleep
        self._now = now
        self.key: ResolvedKey | None = None
        self._resolving: asyncio.Future[ResolvedKey] | None = None
        self._client: GenerationClient | None = None
        self._retired: list[GenerationClient] = []
        self._current: Lookup | None = None
        self._pricing: PricingService | None = None
        tls.preload_for(settings.base_url)  # the CA bundle loads while the front-end starts

    # ---- the key ----------------------------------------------------------------------

    async def resolve_key(self) -> ResolvedKey:
        """The key to use (environment > keyring > session key). Resolved once; later calls
        (and every lookup) wait for that one resolution instead of racing it."""
        if self.key is not None:
            return self.key
        if self._resolving is None and (at_once := self.keystore.resolve_at_once()):
            self.key = at_once  # the environment's key: no thread, no wait for the keyring
            return self.key
        if self._resolving is None:
            self._resolving = asyncio.ensure_future(asyncio.to_thread(self.keystore.resolve))
        resolved = await asyncio.shield(self._resolving)
        if self.key is None:
            self.key = resolved
        return self.key

    def use_key(self, resolved: ResolvedKey) -> None:
        """Use another key from the next lookup on (after the key prompt)."""
        self.key = resolved
        self._resolving = None
        if self._client is not None:
            self._retired.append(self._client)
            self._client = None

    def _client_for(self, key: str) -> GenerationClient:
        """The client for the current key (raises ConfigError for a bad base URL)."""
        if self._client is None:
            from inspector.infra.client import GenerationClient

            self._client = GenerationClient(
                key,
                self.settings.base_url,
                timeout=self.settings.timeout,
                transport=self._transport(),
            )
        return self._client

    async def api_client(self) -> GenerationClient | None:
        """The client of the resolved key for calls other than lookups (the bill's prices);
        None without a key. Raises ConfigError for a bad base URL."""
        resolved = await self.resolve_key()
        return None if resolved.key is None else self._client_for(resolved.key)

    @property
    def pricing(self) -> PricingService:
        """Today's prices, fetched once per session (:mod:`inspector.app.bill_prices`)."""
        if self._pricing is None:
            from inspector.app.bill_prices import PricingService

            self._pricing = PricingService(self)
        return self._pricing

    # ---- lookups ---------------------------------------------------------------------

    async def lookup(
        self, parsed: ParsedId, *, foreground: bool = True, gate: RateGate | None = None
    ) -> AsyncIterator[LookupEvent]:
        """The events of one lookup. Nothing is sent before the key is resolved, nor
        without a key (``Failed(MissingKeyError, attempts=0)``). ``foreground`` lookups
        answer :meth:`skip_wait`; lookups sharing a ``gate`` share its places and its
        rate-limit window (:mod:`inspector.app.batch`)."""
        resolved = await self.resolve_key()
        if resolved.key is None:
            yield Failed(parsed, MissingKeyError(problem=resolved.problem), 0)
            return
        try:
            client = self._client_for(resolved.key)
        except InspectorError as error:
            yield Failed(parsed, error, 0)
            return
        lookup = Lookup(client, self.policy, sleep=self._sleep, now=self._now, gate=gate)
        if foreground:
            self._current = lookup
        try:
            async for event in lookup.run(parsed):
                yield event
        finally:
            if self._current is lookup:
                self._current = None

    async def lookup_once(self, parsed: ParsedId) -> Succeeded | Failed:
        """Run a lookup to its end; only the outcome."""
        outcome: Succeeded | Failed | None = None
        async for event in self.lookup(parsed, foreground=False):
            if isinstance(event, Succeeded | Failed):
                outcome = event
        assert outcome is not None
        return outcome

    def skip_wait(self) -> None:
        """Retry now: the foreground lookup's wait ends at once."""
        if self._current is not None:
            self._current.skip_wait()

    # ---- history ----------------------------------------------------------------------

    @property
    def history(self) -> HistoryStore:
        """The history store (built on first use when given as a factory: the app does so
        after its first frame). Without one, or with history off, a disabled store."""
        if callable(self._history):
            self._history = self._history()
        if self._history is None:
            from inspector.infra.history import HistoryStore

            self._history = HistoryStore(enabled=False)
        return self._history

    def record(self, outcome: Succeeded | Failed) -> bool:
        """Keep ``outcome`` in the history under the one policy; True if written.
        Blocking (SQLite): the app calls it from a thread worker."""
        return self.recorder.record(outcome)

    @property
    def recorder(self) -> Recorder:
        """The recording policy applied to the history store (none when history is off)."""
        if self._recorder is None:
            keep = self.settings.history and self._history is not None
            self._recorder = Recorder(self.history if keep else None)
        return self._recorder

    # ---- what the front-ends show -------------------------------------------------------

    def facts(self, result: FetchResult, now: datetime | None = None) -> RecordFacts:
        """The facts of a record, for either front-end (the models are loaded here, when
        a record is shown: ``get --json`` never needs them)."""
        from inspector.app.facts import record_facts

        return record_facts(result.generation, result.raw, now)

    def explain(
        self, error: InspectorError, parsed: ParsedId | None, attempts: int = 1
    ) -> Explanation:
        """An error in words, naming the key used (masked) and where requests went."""
        key = self.key
        return explain(
            error,
            gen_id=parsed.id if parsed else None,
            id_age=parsed.age_seconds(self._now()) if parsed else None,
            key_source=key.source if key else None,
            key_masked=key.masked if key and key.key else None,
            attempts=attempts,
            base_url=self.display_base_url,
        )

    @property
    def display_base_url(self) -> str:
        """The base URL as it may be shown (credentials in it masked)."""
        return display_url(self.settings.base_url)

    async def aclose(self) -> None:
        """Close every client this session opened, and the history file."""
        clients = [*self._retired, *([self._client] if self._client else [])]
        self._retired, self._client = [], None
        for client in clients:
            with contextlib.suppress(Exception):  # closing must never stop a clean exit
                await client.aclose()
        if self._recorder is not None:
            self._recorder.close()
        if self._history is not None and not callable(self._history):
            self._history.close()
