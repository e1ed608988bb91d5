"""Endpoint prices: reading them, overrides at created_at, and which endpoint served."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.endpoints import (
    Ambiguous,
    Endpoint,
    EndpointList,
    ModelNotListed,
    NoPricing,
    ProviderNotListed,
    Served,
    choose_endpoint,
    parse_endpoints,
)
from inspector.core.pricing import (
    PRICE_KEYS,
    Pricing,
    apply_overrides,
    parse_pricing,
    to_decimal,
)

DATA = Path(__file__).parent / "data"
KIMI = "moonshotai/kimi-k2-0905"
DEEPSEEK = "deepseek/deepseek-v3.2-20251201"


def _listing(name: str) -> EndpointList:
    return parse_endpoints(json.loads((DATA / f"models-endpoints-{name}.json").read_text()))


def _endpoint(listing: EndpointList, provider: str) -> Endpoint:
    return next(e for e in listing.endpoints if e.provider_name == provider)


def _at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 10, 20, hour, minute, second, tzinfo=UTC)


# ---- reading prices ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.0000006", Decimal("0.0000006")),
        (" 6e-7 ", Decimal("6e-7")),
        (0.0097364, Decimal("0.0097364")),  # a float keeps its shortest decimal form
        (3, Decimal(3)),
        ("0", Decimal(0)),
        ("-1", None),  # router models list "-1": variable, not a price
        ("abc", None),
        ("", None),
        ("NaN", None),
        ("Infinity", None),
        ("1e400", None),
        ("1e-400", None),
        ("1" * 80, None),
        (True, None),
        (None, None),
        ([1], None),
        ({"a": 1}, None),
    ],
)
def test_to_decimal(value: object, expected: Decimal | None) -> None:
    assert to_decimal(value) == expected


def test_sample_prices_are_exact_decimals_and_absent_keys_cost_nothing() -> None:
    deepinfra = _endpoint(_listing("deepseek-deepseek-v3.2"), "DeepInfra").pricing
    assert deepinfra.usable
    assert deepinfra.price("prompt") == Decimal("0.00000026")
    assert deepinfra.price("input_cache_read") == Decimal("0.00000013")
    # absent keys are 0 (inferred) and known to be absent
    assert deepinfra.price("input_cache_write") == 0
    assert not deepinfra.listed("input_cache_write")
    assert deepinfra.listed("request")
    assert deepinfra.discount == 0
    silicon = _endpoint(_listing("deepseek-deepseek-v3.2"), "SiliconFlow").pricing
    assert silicon.discount == Decimal("0.1")


def test_junk_values_become_unknown_never_an_exception() -> None:
    pricing = parse_pricing(
        {"prompt": "cheap", "completion": [1], "request": "-1", "image": "0.01", "discount": 7}
    )
    assert not pricing.usable
    assert pricing.unknown == {"prompt", "completion", "request", "discount"}
    assert pricing.price("image") == Decimal("0.01")
    assert pricing.discount == 0
    assert parse_pricing("not an object").unknown == {"prompt", "completion"}
    assert parse_pricing(None).usable is False


def test_differences_name_the_keys_that_changed() -> None:
    old = parse_pricing({"prompt": "0.000001", "completion": "0.000005", "discount": 0})
    new = parse_pricing({"prompt": "0.0000012", "completion": "0.000005", "discount": 0.1})
    assert [key for key, _, _ in old.differences(new)] == ["prompt", "discount"]
    assert old.differences(old) == ()


# ---- overrides --------------------------------------------------------------------------

_DEEPSEEK_OWN = _endpoint(_listing("deepseek-deepseek-v3.2"), "DeepSeek").pricing


@pytest.mark.parametrize(
    ("when", "prompt", "window"),
    [
        (_at(14, 7), "0.00000028", 0),  # inside [00:30, 16:30)
        (_at(0, 30), "0.00000028", 0),  # the start is inclusive
        (_at(16, 29, 59), "0.00000028", 0),
        (_at(16, 30), "0.00000014", 1),  # the end is exclusive: the next window starts
        (_at(23, 59), "0.00000014", 1),
        (_at(0, 0), "0.00000014", 1),  # [16:30, 00:30) wraps midnight
        (_at(0, 29, 59), "0.00000014", 1),
        # created_at in another zone is compared in UTC: 18:07 at +02:00 is 16:07 UTC
        (datetime(2026, 10, 20, 18, 7, tzinfo=timezone(timedelta(hours=2))), "0.00000028", 0),
    ],
)
def test_time_windows_at_created_at_in_utc(when: datetime, prompt: str, window: int) -> None:
    effective = apply_overrides(_DEEPSEEK_OWN, at=when, prompt_tokens=1000)
    assert effective.pricing.price("prompt") == Decimal(prompt)
    assert [a.index for a in effective.applied] == [window]
    assert effective.pricing.overrides == ()
    assert effective.applied[0].keys == ("completion", "input_cache_read", "prompt")


def test_window_without_created_at_is_undetermined_and_keeps_the_base() -> None:
    effective = apply_overrides(_DEEPSEEK_OWN, at=None, prompt_tokens=1000)
    assert effective.applied == ()
    assert [(u.index, u.cause) for u in effective.undetermined] == [
        (0, "no creation time"),
        (1, "no creation time"),
    ]
    assert effective.pricing.price("prompt") == _DEEPSEEK_OWN.price("prompt")


_LONG_CONTEXT = parse_pricing(
    {
        "prompt": "0.000003",
        "completion": "0.000015",
        "input_cache_read": "0.0000003",
        "overrides": [
            {"min_prompt_tokens": 200000, "prompt": "0.000006", "completion": "0.0000225"},
            {"min_prompt_tokens": 500000, "prompt": "0.00001"},
        ],
    }
)


@pytest.mark.parametrize(
    ("tokens", "prompt", "completion", "applied"),
    [
        (200000, "0.000003", "0.000015", []),  # strictly above, not at
        (200001, "0.000006", "0.0000225", [0]),
        (500001, "0.00001", "0.0000225", [0, 1]),  # the later entry wins per key
    ],
)
def test_min_prompt_tokens_is_strictly_above_and_later_entries_win(
    tokens: int, prompt: str, completion: str, applied: list[int]
) -> None:
    effective = apply_overrides(_LONG_CONTEXT, at=_at(12, 0), prompt_tokens=tokens)
    assert effective.pricing.price("prompt") == Decimal(prompt)
    assert effective.pricing.price("completion") == Decimal(completion)
    # keys absent from every entry keep the base
    assert effective.pricing.price("input_cache_read") == Decimal("0.0000003")
    assert [a.index for a in effective.applied] == applied
    assert all(a.inferred for a in effective.applied)


def test_unknown_prompt_count_or_junk_condition_never_applies() -> None:
    unknown = apply_overrides(_LONG_CONTEXT, at=None, prompt_tokens=None).undetermined
    assert [u.cause for u in unknown] == ["no prompt token count"] * 2
    junk = parse_pricing(
        {
            "prompt": "0.000001",
            "completion": "0.000002",
            "overrides": [
                {"utc_start": 2561, "prompt": "0.1"},
                {"min_prompt_tokens": "many", "prompt": "0.1"},
                "not an entry",
                {"utc_start": 100, "utc_end": 100, "prompt": "0.2"},  # empty window
            ],
        }
    )
    effective = apply_overrides(junk, at=_at(1, 0), prompt_tokens=10**6)
    assert [u.index for u in effective.undetermined] == [0, 1, 2]
    assert {u.cause for u in effective.undetermined} == {"an unreadable condition"}
    assert effective.applied == ()
    assert effective.pricing.price("prompt") == Decimal("0.000001")


def test_one_sided_window_runs_to_the_end_or_from_the_start_of_the_day() -> None:
    pricing = parse_pricing(
        {
            "prompt": "1",
            "completion": "1",
            "overrides": [{"utc_start": 2200, "prompt": "2"}, {"utc_end": 600, "prompt": "3"}],
        }
    )
    assert apply_overrides(pricing, at=_at(23, 0), prompt_tokens=1).pricing.price("prompt") == 2
    assert apply_overrides(pricing, at=_at(5, 0), prompt_tokens=1).pricing.price("prompt") == 3
    assert apply_overrides(pricing, at=_at(12, 0), prompt_tokens=1).pricing.price("prompt") == 1


# ---- the endpoints answer and the join ----------------------------------------------------


def test_parse_endpoints_reads_the_samples() -> None:
    kimi = _listing("moonshotai-kimi-k2-0905")
    assert kimi.model_id == KIMI
    assert len(kimi.endpoints) == 6
    together = _endpoint(kimi, "Together")
    assert together.status == -1
    assert together.tag == "together"
    assert together.model_id == KIMI
    assert together.latency_last_30m is not None and together.latency_last_30m.p90 == 2480
    assert together.throughput_last_30m is not None and together.throughput_last_30m.p50 == 58.2
    assert together.uptime.last_5m == 88.9
    assert together.service_tier is None
    deepseek = _endpoint(_listing("deepseek-deepseek-v3.2"), "DeepSeek")
    assert len(deepseek.overrides) == 2


@pytest.mark.parametrize("payload", [None, 3, "x", [], {"data": None}, {"data": {"endpoints": 5}}])
def test_parse_endpoints_is_lenient(payload: object) -> None:
    assert parse_endpoints(payload).endpoints == ()


def test_parse_endpoints_skips_what_is_not_an_endpoint() -> None:
    listing = parse_endpoints(
        {"data": {"endpoints": ["x", {"provider_name": "A", "pricing": "junk"}, 7]}}
    )
    assert [e.provider_name for e in listing.endpoints] == ["A"]
    assert not listing.endpoints[0].pricing.usable
    assert listing.endpoints[0].latency_last_30m is None


def test_join_on_provider() -> None:
    choice = choose_endpoint(
        _listing("moonshotai-kimi-k2-0905"), model=KIMI, provider_name="fireworks"
    )
    assert isinstance(choice, Served)
    assert choice.endpoint.provider_name == "Fireworks"
    assert choice.basis == "provider"


def test_several_endpoints_of_a_provider_need_the_tag() -> None:
    listing = _listing("moonshotai-kimi-k2-0905")
    choice = choose_endpoint(listing, model=KIMI, provider_name="Moonshot AI")
    assert isinstance(choice, Ambiguous)
    assert [e.tag for e in choice.candidates] == ["moonshotai", "moonshotai/turbo"]
    assert "2 endpoints" in choice.why
    tagged = choose_endpoint(
        listing, model=KIMI, provider_name="Moonshot AI", tag="moonshotai/turbo"
    )
    assert isinstance(tagged, Served)
    assert tagged.endpoint.tag == "moonshotai/turbo"
    assert tagged.basis == "provider and tag"


def _tiers() -> EndpointList:
    def entry(tag: str, prompt: str) -> dict[str, Any]:
        pricing = {"prompt": prompt, "completion": "0.00001"}
        return {
            "provider_name": "OpenAI",
            "tag": tag,
            "model_id": "openai/gpt-5",
            "pricing": pricing,
        }

    return parse_endpoints(
        {
            "data": {
                "endpoints": [entry("openai", "0.00000125"), entry("openai/priority", "0.0000025")]
            }
        }
    )


@pytest.mark.parametrize(
    ("tier", "tag"),
    [
        ("priority", "openai/priority"),
        ("standard", "openai"),
        (None, "openai"),
        ("default", "openai"),
    ],
)
def test_service_tier_picks_the_tier_endpoint(tier: str | None, tag: str) -> None:
    listing = _tiers()
    assert listing.endpoints[1].service_tier == "priority"
    choice = choose_endpoint(
        listing, model="openai/gpt-5", provider_name="OpenAI", service_tier=tier
    )
    assert isinstance(choice, Served)
    assert choice.endpoint.tag == tag
    assert "service tier" in choice.basis


def test_unknown_tier_leaves_every_candidate() -> None:
    choice = choose_endpoint(
        _tiers(), model="openai/gpt-5", provider_name="OpenAI", service_tier="flex"
    )
    assert isinstance(choice, Ambiguous)
    assert len(choice.candidates) == 2


def test_endpoints_that_price_alike_are_one_answer() -> None:
    same = {"prompt": "0.000001", "completion": "0.000002"}
    listing = parse_endpoints(
        [
            {"provider_name": "Google Vertex", "tag": "google-vertex/us-east5", "pricing": same},
            {"provider_name": "Google Vertex", "tag": "google-vertex/europe", "pricing": same},
        ]
    )
    choice = choose_endpoint(listing, model=None, provider_name="Google Vertex")
    assert isinstance(choice, Served)
    assert "price alike" in choice.basis


def test_typed_results_when_nothing_fits() -> None:
    kimi = _listing("moonshotai-kimi-k2-0905")
    gone = choose_endpoint(kimi, model="moonshotai/kimi-k1", provider_name="Fireworks")
    assert isinstance(gone, ModelNotListed)
    assert gone.listed == (KIMI,)
    assert gone.code == "model_not_listed"
    assert "no longer listed" in gone.why
    empty = choose_endpoint(EndpointList(KIMI), model=KIMI, provider_name="Fireworks")
    assert isinstance(empty, ModelNotListed)
    missing = choose_endpoint(kimi, model=KIMI, provider_name="DeepInfra")
    assert isinstance(missing, ProviderNotListed)
    assert "Fireworks" in missing.listed
    assert missing.code == "provider_not_listed"
    assert "DeepInfra no longer lists" in missing.why
    nameless = choose_endpoint(kimi, model=KIMI, provider_name=None)
    assert isinstance(nameless, ProviderNotListed)
    assert "names no provider" in nameless.why
    unpriced = parse_endpoints([{"provider_name": "X", "pricing": {"prompt": "-1"}}])
    none = choose_endpoint(unpriced, model=None, provider_name="X")
    assert isinstance(none, NoPricing)
    assert none.code == "no_pricing"
    assert none.unknown == ("prompt",)


def test_text_from_the_api_is_made_safe_in_reasons() -> None:
    listing = parse_endpoints([{"provider_name": "Evil\x1b[2J", "pricing": {"prompt": "x"}}])
    choice = choose_endpoint(listing, model=None, provider_name="Other\x1b]0;t\x07")
    assert isinstance(choice, ProviderNotListed)
    assert "\x1b" not in choice.why
    assert "\\x1b" in choice.why


# ---- properties ---------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["0", "0.000001", "1e-7", "-1", "NaN", "1e999", " 3 ", "0x10"]),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_keys = st.sampled_from(
    [*PRICE_KEYS, "discount", "min_prompt_tokens", "utc_start", "utc_end", "other"]
)
_pricing_json = st.dictionaries(_keys, _scalars, max_size=8).flatmap(
    lambda base: st.lists(st.dictionaries(_keys, _scalars, max_size=5), max_size=3).map(
        lambda entries: {**base, "overrides": entries}
    )
)
_zones = st.sampled_from([UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=13))])
_times = st.one_of(st.none(), st.datetimes(), st.datetimes(timezones=_zones))


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(_json, _pricing_json), at=_times, tokens=st.one_of(st.none(), st.integers()))
def test_any_pricing_json_reads_into_finite_prices(
    raw: Any, at: datetime | None, tokens: int | None
) -> None:
    pricing = parse_pricing(raw)
    assert isinstance(pricing, Pricing)
    effective = apply_overrides(pricing, at=at, prompt_tokens=tokens)
    for p in (pricing, effective.pricing):
        assert all(v.is_finite() and v >= 0 for v in p.prices.values())
        assert 0 <= p.discount <= 1
        assert not (set(p.prices) & p.unknown)


@settings(max_examples=200, deadline=None)
@given(
    payload=st.one_of(
        _json,
        st.lists(
            st.fixed_dictionaries(
                {"provider_name": st.sampled_from(["A", "B", "a"]), "tag": _scalars},
                optional={"pricing": _pricing_json, "model_id": st.sampled_from(["m", "n"])},
            ),
            max_size=5,
        ),
    ),
    provider=st.one_of(st.none(), st.sampled_from(["A", "B", "C"])),
    tier=st.one_of(st.none(), st.text(max_size=8)),
)
def test_any_endpoints_answer_gives_a_typed_result(
    payload: Any, provider: str | None, tier: str | None
) -> None:
    listing = parse_endpoints(payload)
    choice = choose_endpoint(listing, model="m", provider_name=provider, service_tier=tier)
    assert isinstance(choice, Served | Ambiguous | ModelNotListed | ProviderNotListed | NoPricing)
    if isinstance(choice, Served):
        assert choice.endpoint.pricing.usable
    else:
        assert isinstance(choice.why, str) and choice.why
