"""Today's prices of a model, fetched once per session: ``/models`` maps, ``/endpoints`` prices.

A record names its model by the dated permaslug (``openai/gpt-4.1-mini-2025-04-14``); the
``/endpoints`` URL takes the ``/models`` id (``openai/gpt-4.1-mini``). :class:`PricingService`
reads ``/models`` once per session to map one to the other (API.md "Which price": record
``model`` = ``canonical_slug``), then fetches each model's endpoints once and keeps them for
the session: every provider's price is in that one answer, so the cache per model serves
every model and provider pair. What fails is kept a short while (:data:`FAILURE_TTL`) so a
run over many ids does not wait out a dead network once per id, and is asked again later;
a model ``/models`` did not list is looked for again once that list is
:data:`MODELS_TTL` old (a long session may see a model listed after it started).

Never raises for an API or network failure: the answer is :class:`Listed`, or the domain's
:class:`~inspector.core.endpoints.ModelNotListed` (``/models`` does not list it, or
``/endpoints`` answers 404) or :class:`~inspector.core.endpoints.FetchFailed`.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from inspector.core.coerce import to_str
from inspector.core.endpoints import (
    Ambiguous,
    EndpointList,
    FetchFailed,
    ModelNotListed,
    Served,
    parse_endpoints,
)
from inspector.core.errors import InspectorError, NotFoundError
from inspector.core.ids import utc_now

if TYPE_CHECKING:
    from inspector.app.session import Session
    from inspector.infra.client import GenerationClient

__all__ = ["FAILURE_TTL", "MODELS_TTL", "Listed", "PricingService", "provider_body"]

FAILURE_TTL = 30.0  # seconds a failed fetch is remembered before it is tried again
MODELS_TTL = 600.0  # seconds after which a model /models did not list is asked for again


@dataclass(frozen=True)
class Listed:
    """A model's ``/endpoints`` answer as fetched: ``data`` as received, parsed."""

    model_id: str  # the /models id the URL took
    data: dict[str, Any]
    endpoints: EndpointList
    fetched_at: datetime


Fetched = Listed | ModelNotListed | FetchFailed


def provider_body(data: dict[str, Any], choice: Served | Ambiguous) -> dict[str, Any]:
    """The part of an ``/endpoints`` answer worth keeping beside a record: its ``id`` and the
    endpoints of the provider that served it (the chosen one, or every candidate)."""
    chosen = [choice.endpoint] if isinstance(choice, Served) else list(choice.candidates)
    names = {endpoint.provider_name for endpoint in chosen}
    endpoints = data.get("endpoints") if isinstance(data.get("endpoints"), list) else []
    kept = [
        e
        for e in endpoints or []
        if isinstance(e, dict) and to_str(e.get("provider_name")) in names  # as parsed
    ]
    return {"id": data.get("id"), "endpoints": kept}


class PricingService:
    """The session's prices: a ``/models`` map and one ``/endpoints`` answer per model."""

    def __init__(
        self,
        session: Session,
        *,
        failure_ttl: float = FAILURE_TTL,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.session = session
        self.failure_ttl = failure_ttl
        self._clock = clock
        self._now = now
        self._ids: dict[str, str] | None = None  # canonical_slug or id (casefolded) -> id
        self._ids_at: float | None = None
        self._known: dict[str, tuple[Fetched, float]] = {}  # model -> (answer, when)
        self._lock = asyncio.Lock()

    async def listing(self, model: str | None) -> Fetched:
        """Today's endpoints of ``model`` (the record's permaslug), fetched at most once."""
        if not model or not model.strip():
            return ModelNotListed(model)
        key = model.strip()
        async with self._lock:  # one fetch per model, however many bills ask at once
            known = self._known.get(key)
            if known is not None and self._clock() - known[1] <= self._keep(known[0]):
                return known[0]
            found = await self._fetch(key)
            self._known[key] = (found, self._clock())
            return found

    def _keep(self, found: Fetched) -> float:
        """How long an answer stands: prices for the session, a miss or a failure a while."""
        if isinstance(found, Listed):
            return math.inf
        return MODELS_TTL if isinstance(found, ModelNotListed) else self.failure_ttl

    async def _fetch(self, model: str) -> Fetched:
        try:
            client = await self.session.api_client()
        except InspectorError as error:  # a bad base URL
            return FetchFailed(error.summary)
        if client is None:
            return FetchFailed("no API key to ask OpenRouter with")
        model_id = await self._model_id(client, model)
        if not isinstance(model_id, str):
            return model_id
        try:
            data = await client.get_model_endpoints(model_id)
        except NotFoundError:
            return ModelNotListed(model)
        except InspectorError as error:
            return FetchFailed(error.summary)
        return Listed(model_id, data, parse_endpoints(data), self._now())

    async def _model_id(
        self, client: GenerationClient, model: str
    ) -> str | ModelNotListed | FetchFailed:
        """The ``/models`` id of a permaslug. ``/models`` is read once, and again for a model
        it did not list when that answer is older than :data:`MODELS_TTL` (a new model)."""
        stale = self._ids_at is None or self._clock() - self._ids_at > MODELS_TTL
        if self._ids is None or (stale and model.casefold() not in self._ids):
            try:
                models = await client.list_models()
            except InspectorError as error:
                return FetchFailed(error.summary)
            self._ids, self._ids_at = _id_map(models), self._clock()
        found = self._ids.get(model.casefold())
        return found if found is not None else ModelNotListed(model)


def _id_map(models: list[Any]) -> dict[str, str]:
    """``canonical_slug`` and ``id`` (casefolded) to the ``id``, for every entry whose ``id``
    is text (anything else names no model)."""
    ids: dict[str, str] = {}
    for entry in models:
        model_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(model_id, str) or not model_id.strip():
            continue
        ids.setdefault(model_id.casefold(), model_id)
        slug = entry.get("canonical_slug")
        if isinstance(slug, str) and slug.strip():
            ids[slug.casefold()] = model_id
    return ids
