"""Properties of the bill explainer: for any pricing JSON and any record, only typed results.

Whatever the endpoint lists and whatever the record holds (junk included), ``explain`` returns
a :class:`Bill` whose items add up to its list price exactly, whose reasons carry known codes,
whose estimates say so, and whose JSON is strict; and with real-world prices (at most 10
decimal places) the amounts as shown add up to the list price as shown.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from decimal import Decimal
from typing import Any

from bill_support import check, shown
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.bill import (
    ABS_TOLERANCE,
    REL_TOLERANCE,
    Bill,
    PricingSource,
    explain,
    from_generation,
    usd,
)
from inspector.core.endpoints import (
    Ambiguous,
    EndpointList,
    FetchFailed,
    ModelNotListed,
    choose_endpoint,
    parse_endpoints,
)
from inspector.core.pricing import PRICE_KEYS, parse_pricing

_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["0", "-1", "1e-7", "NaN", "1e999", " 2 ", "0.0000006"]),
)
# prices as the API writes them: non-negative decimal strings with up to 10 places
_real_price = st.decimals(min_value=0, max_value=Decimal("0.01"), places=10).map(str)
_price = st.one_of(_real_price, _junk)
_condition_keys = st.sampled_from(["min_prompt_tokens", "utc_start", "utc_end"])
_override = st.dictionaries(
    st.one_of(st.sampled_from(PRICE_KEYS), _condition_keys), st.one_of(_price, _junk), max_size=5
)
_pricing = st.one_of(
    _junk,
    st.dictionaries(st.sampled_from(PRICE_KEYS), _price, max_size=8).flatmap(
        lambda base: st.fixed_dictionaries(
            {},
            optional={
                "discount": st.one_of(st.floats(0, 1), _junk),
                "overrides": st.one_of(st.lists(_override, max_size=3), _junk),
            },
        ).map(lambda extra: {**base, **extra})
    ),
)
_count = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7), _junk)
_money = st.one_of(
    st.none(),
    st.decimals(min_value=-1, max_value=10, places=10).map(float),
    _junk,
)
_zones = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))])
_record = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe", "gen-batch-0f3a", "x"]),
        "created_at": st.one_of(st.datetimes(timezones=_zones).map(str), _junk),
        "native_tokens_prompt": _count,
        "native_tokens_cached": _count,
        "native_tokens_completion": _count,
        "native_tokens_reasoning": _count,
        "tokens_completion": _count,
        "num_media_prompt": _count,
        "num_search_results": _count,
        "num_fetches": _count,
        "web_search_engine": st.one_of(st.none(), st.text(max_size=8)),
        "total_cost": _money,
        "cache_discount": _money,
        "upstream_inference_cost": _money,
        "is_byok": st.one_of(st.booleans(), _junk),
        "finish_reason": st.sampled_from([None, "", "stop", "error", "length", "tool_calls"]),
        "response_cache_source_id": st.sampled_from([None, "gen-1-abc", ""]),
    },
)


@settings(max_examples=400, deadline=None)
@given(record=_record, raw=_pricing, today=st.one_of(st.none(), _pricing))
def test_any_pricing_and_record_give_a_consistent_bill(
    record: dict[str, Any], raw: Any, today: Any
) -> None:
    figures = from_generation(record)
    today_pricing = None if today is None else parse_pricing(today)
    source = PricingSource("snapshot", None)
    bill = check(explain(figures, parse_pricing(raw), today=today_pricing, source=source))
    assert isinstance(bill, Bill)
    if bill.list_price is not None and bill.billed is not None:
        # what the reasons account for plus what is unexplained is the whole difference
        # (to within the tolerance: a difference that small is left alone)
        accounted = sum((r.amount for r in bill.reasons if r.amount is not None), Decimal(0))
        gap = abs(bill.list_price + accounted - bill.billed)
        assert bill.expected is not None
        scale = max(abs(bill.billed), abs(bill.expected))
        assert gap < ABS_TOLERANCE or gap <= REL_TOLERANCE * scale


# Display goes through formatting.money (a float): exact for amounts up to ~$100,000 at
# 10 places. Real bills are far below: counts up to 10 M, prices up to $1,000 per M tokens.
_shown_price = st.decimals(min_value=0, max_value=Decimal("0.001"), places=10).map(str)
_shown_count = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7))
_shown_record = st.fixed_dictionaries(
    {
        key: _shown_count
        for key in (
            "native_tokens_prompt",
            "native_tokens_cached",
            "native_tokens_completion",
            "native_tokens_reasoning",
            "num_media_prompt",
            "num_search_results",
        )
    }
)


@settings(max_examples=300, deadline=None)
@given(
    record=_shown_record,
    prices=st.fixed_dictionaries(
        {"prompt": _shown_price, "completion": _shown_price},
        optional={
            key: _shown_price
            for key in ("input_cache_read", "request", "image", "web_search", "input_cache_write")
        },
    ),
)
def test_shown_amounts_add_up_to_the_shown_list_price(
    record: dict[str, Any], prices: dict[str, str]
) -> None:
    bill = explain(from_generation(record), parse_pricing(prices))
    assert bill.list_price is not None
    assert sum((shown(i.amount) for i in bill.items), Decimal(0)) == shown(bill.list_price)
    assert usd(bill.list_price) != "—"


@settings(max_examples=200, deadline=None)
@given(
    record=_record,
    endpoints=st.lists(
        st.fixed_dictionaries(
            {"provider_name": st.sampled_from(["A", "B"]), "pricing": _pricing},
            optional={"tag": st.sampled_from(["a", "a/turbo", "a/priority"])},
        ),
        max_size=4,
    ),
    provider=st.sampled_from([None, "A", "B", "C"]),
)
def test_any_join_result_explains(
    record: dict[str, Any], endpoints: list[dict[str, Any]], provider: str | None
) -> None:
    listing: EndpointList = parse_endpoints(endpoints)
    choice = choose_endpoint(listing, model=None, provider_name=provider)
    bill = check(explain(from_generation(record), choice))
    if isinstance(choice, Ambiguous):
        assert bill.codes[0] == "endpoint_ambiguous"
    elif not hasattr(choice, "endpoint"):
        assert bill.codes[0] == "pricing_unavailable"
    for why in (FetchFailed("timed out"), ModelNotListed(None), "\x1b[31mdown"):
        unavailable = check(explain(from_generation(record), why))
        assert "\x1b" not in unavailable.reasons[0].text
