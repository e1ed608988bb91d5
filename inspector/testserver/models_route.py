"""``GET /models`` and ``GET /models/{author}/{slug}/endpoints``, from the server's listings.

A *listing* is the ``data`` object of an ``/endpoints`` answer (``id``, ``name``,
``created``, ``description``, ``architecture``, ``endpoints``). The first endpoint is the
model's *top provider*: ``/models`` shows its price only, as the real list does.

Prices with time-window ``overrides`` (``utc_start``/``utc_end``, no other condition) show
at top level the window current when fetched (the server's ``clock``), as API.md
describes; ``overrides`` themselves are sent unchanged. Without an ``Authorization`` header
both routes answer, with ``latency_last_30m``/``throughput_last_30m`` null; an unknown key
gets the usual 401. A model the server holds no listing for (no longer listed) answers
``404 {"error": {"code": 404, "message": MODEL_NOT_FOUND}}`` and is absent from ``/models``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from inspector.testserver.bodies import error_body, json_bytes, json_copy
from inspector.testserver.exchange import API_PREFIX, Answer, Incoming

if TYPE_CHECKING:
    from inspector.testserver.server import FakeOpenRouter

MODEL_NOT_FOUND = "Model not found"
_CONDITIONS = ("min_prompt_tokens", "utc_start", "utc_end")
_STATS = ("latency_last_30m", "throughput_last_30m")
# Top providers that moderate content (``top_provider.is_moderated`` in ``/models``).
MODERATED_PROVIDERS = frozenset({"OpenAI", "Azure", "Anthropic"})


def hhmm(unix: float) -> int:
    """The UTC clock time of ``unix`` as an HHMM number (``1630`` = 16:30)."""
    moment = time.gmtime(unix)
    return moment.tm_hour * 100 + moment.tm_min


def in_window(clock: int, start: float, end: float) -> bool:
    """``clock`` (HHMM) inside ``[start, end)``, which may wrap past midnight."""
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def current_pricing(pricing: Mapping[str, Any], unix: float) -> dict[str, Any]:
    """``pricing`` with the time-window override current at ``unix`` shown at top level."""
    shown = json_copy(dict(pricing))
    clock = hhmm(unix)
    for override in pricing.get("overrides") or ():
        timed = "utc_start" in override and "utc_end" in override
        if not timed or "min_prompt_tokens" in override:
            continue
        if in_window(clock, override["utc_start"], override["utc_end"]):
            shown.update({k: v for k, v in override.items() if k not in _CONDITIONS})
    return shown


def endpoints_data(listing: Mapping[str, Any], unix: float, *, stats: bool) -> dict[str, Any]:
    """The ``data`` of ``/endpoints`` for ``listing`` as fetched at ``unix``."""
    data = json_copy(dict(listing))
    for endpoint in data["endpoints"]:
        endpoint["pricing"] = current_pricing(endpoint["pricing"], unix)
        if not stats:
            endpoint.update(dict.fromkeys(_STATS))
    return data


def model_entry(
    listing: Mapping[str, Any], extra: Mapping[str, Any], unix: float
) -> dict[str, Any]:
    """One ``/models`` entry: the model with its top provider's price only."""
    top = listing["endpoints"][0]
    entry: dict[str, Any] = {
        "id": listing["id"],
        "canonical_slug": top["model_id"],
        "hugging_face_id": None,
        "name": listing["name"],
        "created": listing["created"],
        "description": listing["description"],
        "context_length": top["context_length"],
        "architecture": json_copy(listing["architecture"]),
        "pricing": current_pricing(top["pricing"], unix),
        "top_provider": {
            "context_length": top["context_length"],
            "max_completion_tokens": top["max_completion_tokens"],
            "is_moderated": top["provider_name"] in MODERATED_PROVIDERS,
        },
        "per_request_limits": None,
        "supported_parameters": list(top["supported_parameters"]),
        "default_parameters": None,
        "supported_voices": None,
        "knowledge_cutoff": None,
        "expiration_date": None,
        "links": {"details": f"{API_PREFIX}/models/{listing['id']}/endpoints"},
    }
    entry.update(json_copy(dict(extra)))
    return entry


def _wanted(listing: Mapping[str, Any], modalities: str) -> bool:
    """The ``output_modalities`` filter (default ``text``; ``all`` keeps everything)."""
    if modalities.strip().lower() == "all":
        return True
    wanted = {m.strip().lower() for m in modalities.split(",") if m.strip()}
    return bool(wanted & set(listing["architecture"].get("output_modalities") or ()))


def models_list(fake: FakeOpenRouter, incoming: Incoming) -> Answer:
    """``GET /models`` (``offset``/``limit`` pagination, ``output_modalities`` filter)."""
    unix = fake.clock()
    modalities = incoming.query.get("output_modalities", "text")
    entries = [
        model_entry(listing, extra, unix)
        for listing, extra in fake.model_listings()
        if listing["endpoints"] and _wanted(listing, modalities)
    ]
    query = incoming.query
    try:
        offset = int(query.get("offset") or 0)
        limit = int(query["limit"]) if "limit" in query else None
    except ValueError:
        return Answer(400, error_body(400, "offset and limit must be integers"))
    if offset < 0 or (limit is not None and not 1 <= limit <= 1000):
        return Answer(400, error_body(400, "offset must be >= 0 and limit 1..1000"))
    following: str | None = None
    if limit is not None or offset:
        size = limit if limit is not None else 500
        if offset + size < len(entries):
            following = f"{API_PREFIX}/models?offset={offset + size}&limit={size}"
        entries_page = entries[offset : offset + size]
    else:
        entries_page = entries
    body = {"data": entries_page, "total_count": len(entries), "links": {"next": following}}
    return Answer(200, json_bytes(body))


def endpoints(fake: FakeOpenRouter, incoming: Incoming, model_id: str) -> Answer:
    """``GET /models/{author}/{slug}/endpoints`` for the listing whose ``id`` is ``model_id``."""
    found = fake.model_listing(model_id)
    if found is None:
        return Answer(404, error_body(404, MODEL_NOT_FOUND))
    listing, _ = found
    data = endpoints_data(listing, fake.clock(), stats=incoming.authorized)
    return Answer(200, json_bytes({"data": data}))
