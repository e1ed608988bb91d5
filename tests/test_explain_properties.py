"""Property-based tests of what reads API answers for the bill: the ``/models`` id map, the
part of an ``/endpoints`` answer kept as a snapshot, and the amounts lined up on the point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.app.bill_prices import _id_map, provider_body
from inspector.app.bill_report import align_on_point, signed_usd
from inspector.core.endpoints import Ambiguous, Served, choose_endpoint, parse_endpoints
from inspector.infra.history import HistoryStore, PricingSnapshot

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
NAMES = st.sampled_from(["OpenAI", "Azure", "Fireworks", "openai", "", "\x1b[2J"])
PRICE = st.sampled_from(["0.0000004", "0.0000016", "-1", "junk", "1e-7", None, 0.000001])
ENDPOINT = st.fixed_dictionaries(
    {
        "provider_name": NAMES | JSON,
        "pricing": st.fixed_dictionaries({"prompt": PRICE, "completion": PRICE}) | JSON,
    },
    optional={"tag": st.text(max_size=12) | JSON, "model_id": st.just("m/x") | JSON},
)


@given(st.lists(st.dictionaries(st.sampled_from(["id", "canonical_slug", "x"]), JSON) | JSON))
def test_the_id_map_reads_any_models_list(models: list[Any]) -> None:
    ids = _id_map(models)
    for key, value in ids.items():
        assert isinstance(key, str) and isinstance(value, str) and key == key.casefold()
    listed = {e["id"] for e in models if isinstance(e, dict) and isinstance(e.get("id"), str)}
    assert set(ids.values()) <= listed
    for entry in models:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
            assert ids[entry["id"].casefold()] in listed


@given(st.lists(ENDPOINT, max_size=6), NAMES)
def test_the_snapshot_keeps_only_the_serving_providers_endpoints(
    endpoints: list[dict[str, Any]], provider: str
) -> None:
    data = {"id": "m/x", "endpoints": endpoints}
    choice = choose_endpoint(parse_endpoints(data), model=None, provider_name=provider)
    if not isinstance(choice, Served | Ambiguous):
        return
    body = provider_body(data, choice)
    assert body["id"] == "m/x" and body["endpoints"]
    assert all(e in endpoints for e in body["endpoints"])
    # the kept part prices the generation as the whole answer did
    again = choose_endpoint(parse_endpoints(body), model=None, provider_name=provider)
    assert type(again) is type(choice)
    if isinstance(choice, Served) and isinstance(again, Served):
        assert again.endpoint.pricing == choice.endpoint.pricing


@settings(max_examples=25, deadline=None)
@given(body=st.dictionaries(st.text(max_size=6), JSON, max_size=5))
def test_a_snapshot_body_comes_back_as_it_went_in(tmp_path_factory: Any, body: dict) -> None:
    from datetime import UTC, datetime

    path: Path = tmp_path_factory.mktemp("h") / "h.sqlite3"
    store = HistoryStore(path, enabled=True)
    snapshot = PricingSnapshot(
        "gen-1795600101-HPmT37GvoEbovAzFsvMQ", datetime.now(UTC), "m", "p", body
    )
    assert store.save_snapshot(snapshot)
    kept = store.snapshot(snapshot.gen_id)
    assert kept is not None and kept.body == body
    store.close()


MONEY = st.decimals(min_value=-10, max_value=10, places=10, allow_nan=False, allow_infinity=False)


@given(st.lists(MONEY, min_size=1, max_size=8))
def test_amounts_line_up_on_the_point(amounts: list[Any]) -> None:
    texts = [signed_usd(amount) for amount in amounts]
    lined = align_on_point(texts)
    assert len({len(line) for line in lined}) == 1
    points = {line.index(".") for line in lined if "." in line}
    assert len(points) <= 1
    assert [line.strip() for line in lined] == texts
