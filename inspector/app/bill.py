"""Explain one generation's bill for either front-end: prices, snapshot, comparison, report.

::

    report = await explain_bill(session, result)      # result: a FetchResult
    report.verdict_text, report.items, report.reasons, report.badges, report.to_json()

Which prices (API.md "Pricing and reconciling a bill"):

- the **snapshot** kept beside the record in history, when there is one: the prices closest
  to when the generation ran. Today's prices (fetched live unless ``live=False``) are then
  compared with it, and a difference is the reason ``price_changed``;
- else today's **live** prices of the serving provider (:mod:`inspector.app.bill_prices`,
  once per session), which are then kept as the record's snapshot;
- else none, and the bill says why (``pricing_unavailable``: model or provider no longer
  listed, no readable price, the network): that is an answer, never an error.

"How it compares" uses the person's own history of the same model at the same provider
(the last :data:`HISTORY_SAMPLES` records), the record's session, and the provider's live
figures from the same ``/endpoints`` answer. History is read and written in a thread (the
store is blocking SQLite), so the TUI may await this on its event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from inspector.app.bill_prices import Listed, provider_body
from inspector.app.bill_report import BillReport, bill_report
from inspector.core.bill import PricingSource, explain, from_generation
from inspector.core.bill_figures import Figures
from inspector.core.endpoints import (
    Ambiguous,
    Choice,
    EndpointList,
    FetchFailed,
    ModelNotListed,
    Served,
    choose_endpoint,
    parse_endpoints,
)
from inspector.core.usual import Comparison, Sample, compare, current_from, sample_from

if TYPE_CHECKING:
    from inspector.app.session import Session
    from inspector.core.models import Generation
    from inspector.infra.client import FetchResult
    from inspector.infra.history import HistoryStore, PricingSnapshot

__all__ = ["HISTORY_SAMPLES", "OFFLINE", "explain_bill"]

HISTORY_SAMPLES = 200  # past records of the same model and provider a comparison reads
SESSION_SAMPLES = 200
OFFLINE = "today's prices were not asked for (offline)"


def _choose(figures: Figures, listing: EndpointList) -> Choice:
    return choose_endpoint(
        listing,
        model=figures.model,
        provider_name=figures.provider_name,
        service_tier=figures.service_tier,
    )


def _priced(choice: Choice | None) -> Served | Ambiguous | None:
    return choice if isinstance(choice, Served | Ambiguous) else None


async def explain_bill(session: Session, result: FetchResult, *, live: bool = True) -> BillReport:
    """The bill of ``result`` explained (``live=False``: from the snapshot alone)."""
    gen, raw = result.generation, result.raw
    figures = from_generation(raw)
    gen_id = figures.id or str(raw.get("id") or "")
    store = session.recorder.store if session.recorder.enabled else None
    snapshot = await asyncio.to_thread(store.snapshot, gen_id) if store and gen_id else None
    fetched = await session.pricing.listing(figures.model) if live else None
    today = _choose(figures, fetched.endpoints) if isinstance(fetched, Listed) else None
    kept = _choose(figures, parse_endpoints(snapshot.body)) if snapshot else None
    notes: list[str] = []
    if snapshot is not None and (kept_price := _priced(kept)) is not None:
        if live and not isinstance(today, Served):
            notes.append(f"today's prices could not be compared: {_why(fetched, today)}")
        now = today if isinstance(today, Served) else None
        source = PricingSource("snapshot", snapshot.fetched_at)
        bill = explain(figures, kept_price, today=now, source=source)
    elif isinstance(fetched, Listed) and (chosen := _priced(today)) is not None:
        bill = explain(figures, chosen, source=PricingSource("live", fetched.fetched_at))
        if store is not None and gen_id:
            await asyncio.to_thread(store.save_snapshot, _snapshot(gen_id, fetched, chosen))
    else:
        bill = explain(figures, _unpriced(fetched, today))
    comparison = await _comparison(gen, store, today)
    model_id = fetched.model_id if isinstance(fetched, Listed) else None
    if model_id is None and snapshot is not None:
        model_id = snapshot.model
    return bill_report(
        gen_id,
        bill,
        comparison,
        provider=figures.provider_name,
        model_id=model_id,
        notes=tuple(notes),
    )


def _unpriced(
    fetched: Listed | ModelNotListed | FetchFailed | None, today: Choice | None
) -> Choice | ModelNotListed | FetchFailed | str:
    """Why there is no price: the join's answer, the fetch's, or that none was asked for."""
    if today is not None:
        return today
    if fetched is None or isinstance(fetched, Listed):
        return OFFLINE
    return fetched


def _why(fetched: Listed | ModelNotListed | FetchFailed | None, today: Choice | None) -> str:
    """Why today's prices cannot be set beside the snapshot's."""
    if today is not None and not isinstance(today, Served):
        return today.why
    if isinstance(fetched, ModelNotListed | FetchFailed):
        return fetched.why
    return "no prices"


def _snapshot(gen_id: str, fetched: Listed, chosen: Served | Ambiguous) -> PricingSnapshot:
    """What is kept beside the record: the serving provider's part of the answer."""
    from inspector.infra.history import PricingSnapshot

    first = chosen.endpoint if isinstance(chosen, Served) else chosen.candidates[0]
    body = provider_body(fetched.data, chosen)
    return PricingSnapshot(gen_id, fetched.fetched_at, fetched.model_id, first.provider_name, body)


def _samples(raws: Iterable[dict[str, Any]]) -> list[Sample]:
    """Samples of stored records (one that no longer reads as a record is left out)."""
    from inspector.core.models import Generation

    found = []
    for raw in raws:
        try:
            found.append(sample_from(Generation.from_api(raw)))
        except Exception:  # a record this version cannot read is no sample
            continue
    return found


def _past(store: HistoryStore, gen: Generation) -> tuple[list[Sample], list[Sample] | None]:
    """Past samples of the same model at the same provider, and of the session (blocking)."""
    history: list[Sample] = []
    if gen.model and gen.provider_name:
        raws = store.records_like(
            gen.model, gen.provider_name, limit=HISTORY_SAMPLES, exclude=gen.id
        )
        history = _samples(raws)
    session = None
    if gen.session_id:
        session = _samples(store.session_records(gen.session_id, limit=SESSION_SAMPLES))
    return history, session


async def _comparison(
    gen: Generation, store: HistoryStore | None, today: Choice | None
) -> Comparison:
    history: list[Sample] = []
    session: list[Sample] | None = None
    if store is not None:
        history, session = await asyncio.to_thread(_past, store, gen)
    live = today.endpoint if isinstance(today, Served) else None
    return compare(current_from(gen), history, session=session, live=live)
