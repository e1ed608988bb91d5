"""Loading the catalog into a server, and ids made at call time (young, future, skewed)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from inspector.testserver.catalog.basics import chat_like, derive, iso, new_id, sample_record
from inspector.testserver.catalog.bill_records import BILL_BUILDERS
from inspector.testserver.catalog.builders import BUILDERS, huge_fallback_record
from inspector.testserver.catalog.hostile import hostile_scenarios
from inspector.testserver.catalog.ids import HUGE_FALLBACK_ID, SAMPLE_IDS
from inspector.testserver.catalog.listings import MODEL_FIELDS, listings
from inspector.testserver.catalog.scripts import failing, pending, scenarios
from inspector.testserver.steps import Scenario, Step

if TYPE_CHECKING:
    from inspector.testserver.server import FakeOpenRouter


__all__ = [
    "FUTURE_AHEAD",
    "SKEW_AHEAD",
    "future_id",
    "pending_id",
    "records",
    "seed",
    "skewed_id",
]

FUTURE_AHEAD = 6 * 3600  # seconds ahead future_id() stamps by default
SKEW_AHEAD = 120  # seconds ahead skewed_id() stamps by default (a client clock behind)


def records() -> dict[str, dict[str, Any]]:
    """Every eager seeded record by id (the huge one is not included: see seed())."""
    built = {gen_id: sample_record(gen_id) for gen_id in SAMPLE_IDS}
    built.update({gen_id: build() for gen_id, build in BUILDERS.items()})
    built.update({gen_id: build() for gen_id, build in BILL_BUILDERS.items()})
    return built


@cache
def _seed_data() -> tuple[tuple[dict[str, Any], ...], dict[str, Scenario]]:
    """Built once per process; ``add_record`` copies, so the cache is never mutated."""
    fixed = {**scenarios(), **hostile_scenarios()}
    built = (*records().values(), *(chat_like(gen_id) for gen_id in fixed))
    return built, fixed


@cache
def _seed_models() -> dict[str, dict[str, Any]]:
    return listings()


def seed(server: FakeOpenRouter) -> None:
    """Load every record, scenario and model listing of the catalog into ``server``."""
    built, fixed = _seed_data()
    for record in built:
        server.add_record(record)
    server.add_lazy_record(HUGE_FALLBACK_ID, huge_fallback_record)
    for gen_id, scenario in fixed.items():
        server.set_scenario(gen_id, scenario)
    for model_id, listing in _seed_models().items():
        server.add_model(listing, **MODEL_FIELDS.get(model_id, {}))


def pending_id(
    server: FakeOpenRouter,
    polls: int = 3,
    record: Mapping[str, Any] | None = None,
    *,
    created: float | None = None,
    prefix: str = "gen",
) -> str:
    """Register and return a fresh young id: 404 for ``polls`` requests, then the record.

    ``record`` (copied; its ``id`` and ``created_at`` are replaced) defaults to a chat-like
    record; ``created`` (unix seconds) defaults to now, ``prefix`` may be e.g. ``gen-img``.
    """
    unix = time.time() if created is None else created
    gen_id = new_id(unix, prefix=prefix)
    data = chat_like(gen_id, unix) if record is None else derive(record)
    data.update(id=gen_id, created_at=iso(unix))
    server.add_record(data)
    server.set_scenario(gen_id, pending(polls))
    return gen_id


def future_id(server: FakeOpenRouter, ahead: float = FUTURE_AHEAD, *, prefix: str = "gen") -> str:
    """A fresh id stamped ``ahead`` seconds in the future that is never indexed (always 404)."""
    gen_id = new_id(time.time() + ahead, prefix=prefix)
    server.set_scenario(gen_id, failing(Step(404)))
    return gen_id


def skewed_id(server: FakeOpenRouter, ahead: float = SKEW_AHEAD, polls: int = 1) -> str:
    """A fresh id stamped ``ahead`` seconds in the future (clock skew) that does resolve:
    404 for ``polls`` requests, then a record with that ``created_at``."""
    return pending_id(server, polls, created=time.time() + ahead)
