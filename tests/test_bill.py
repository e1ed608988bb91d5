"""The bill explainer: line items at list price, the difference, its reasons and the verdict."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from bill_support import (
    CACHED,
    DEEPSEEK_OWN,
    FALLBACK,
    HAIKU,
    KIMI,
    PLAIN,
    SILICON,
    SIMPLE,
    byok,
    check,
    sample,
    shown,
)

from inspector.core.bill import (
    Figures,
    PricingSource,
    explain,
    from_generation,
    usd,
)
from inspector.core.endpoints import (
    FetchFailed,
    ModelNotListed,
    ProviderNotListed,
    Served,
    choose_endpoint,
)
from inspector.core.pricing import Pricing, parse_pricing

# ---- the two checks of API.md ---------------------------------------------------------------


def test_streamed_reasoning_cached_at_1_5_with_reads_at_010_is_exactly_the_bill() -> None:
    bill = check(explain(CACHED, HAIKU))
    assert [(i.code, i.quantity, i.amount) for i in bill.items] == [
        ("prompt_uncached", 2048, Decimal("0.002048")),
        ("prompt_cached", 16384, Decimal("0.0016384")),
        ("completion", 1210, Decimal("0.00605")),
    ]
    assert bill.items[2].name == "completion tokens (incl. 745 reasoning)"
    assert bill.list_price == bill.expected == Decimal("0.0097364") == bill.billed
    assert bill.difference == 0 and bill.difference_pct == 0
    assert bill.verdict.code == "matches"
    assert bill.verdict.text == "matches list price (cache reads saved $0.0147456)"
    savings = bill.reason("cache_read_savings")
    assert savings is not None and savings.amount is None and "$0.0147456" in savings.text
    assert bill.true_spend is None
    assert not bill.estimate


def test_line_items_add_up_to_the_list_price_to_the_last_digit_shown() -> None:
    bill = explain(CACHED, HAIKU)
    texts = [usd(i.amount) for i in bill.items]
    assert texts == ["$0.002048", "$0.0016384", "$0.00605"]
    assert sum(shown(i.amount) for i in bill.items) == shown(bill.list_price or Decimal(0))
    assert usd(bill.list_price) == "$0.0097364"


def test_fallback_at_the_serving_providers_price_not_the_first_one() -> None:
    model = FALLBACK.model
    assert model == "moonshotai/kimi-k2-0905"
    choice = choose_endpoint(KIMI, model=model, provider_name=FALLBACK.provider_name)
    assert isinstance(choice, Served) and choice.endpoint.provider_name == "Fireworks"
    bill = check(explain(FALLBACK, choice))
    assert bill.list_price == Decimal("0.0040726") == bill.billed
    assert bill.verdict.code == "matches" and bill.reasons == ()
    # Chutes, tried first, is cheaper: priced there the bill would not match
    chutes = choose_endpoint(KIMI, model=model, provider_name="Chutes")
    assert isinstance(chutes, Served)
    assert check(explain(FALLBACK, chutes)).verdict.code == "dearer_unexplained"


# ---- verdicts a person reads first ------------------------------------------------------------


def test_discount_verdict_names_the_discount() -> None:
    bill = explain(replace(PLAIN, total_cost=Decimal("0.0002808")), SILICON)
    assert (
        bill.verdict.text
        == "cheaper than list by $0.0000312 (10 %) because of the provider's 10 % discount"
    )
    assert bill.discount == Decimal("0.0000312") and bill.discount_rate == Decimal("0.1")
    assert bill.difference == 0


def test_cache_write_verdict_says_dearer_and_estimate() -> None:
    bill = explain(
        replace(CACHED, cache_discount=Decimal("0.0144956"), total_cost=Decimal("0.0099864")), HAIKU
    )
    assert (
        bill.verdict.text
        == "dearer than list by $0.00025 (2.6 %) because of cache writes (estimate)"
    )
    premium = bill.reason("cache_write_premium")
    assert premium is not None and premium.estimate and premium.amount == Decimal("0.00025")
    assert bill.estimate


def test_cache_writes_without_reads_count_the_written_tokens() -> None:
    figures = replace(
        CACHED,
        native_tokens_cached=0,
        cache_discount=Decimal("-0.0005"),
        total_cost=Decimal("0.0255"),
    )  # 18,432 × $1/M + 1,210 × $5/M = $0.024482, + 2,000 written × $0.25/M premium
    bill = check(explain(figures, HAIKU))
    premium = bill.reason("cache_write_premium")
    assert premium is not None and "about 2,000 prompt tokens" in premium.text
    assert bill.reason("unexplained") is not None  # $0.000518 remains: shown, never hidden


def test_byok_true_spend_and_the_free_allowance() -> None:
    bill = check(explain(byok("0.00006"), SIMPLE))
    assert bill.true_spend == Decimal("0.00126")
    assert (
        bill.verdict.text == "BYOK: OpenRouter charged its 5 % fee ($0.00006); true spend $0.00126"
    )
    assert bill.to_json()["true_spend"] == 0.00126
    free = check(explain(byok("0"), SIMPLE))
    assert free.verdict.code == "byok" and "free allowance, estimate" in free.verdict.text
    assert free.true_spend == Decimal("0.0012")
    odd = check(explain(byok("0.00024"), SIMPLE))
    assert odd.codes == ("byok_fee", "unexplained")
    assert odd.verdict.code == "cheaper_unexplained" and odd.verdict.text.startswith("BYOK: ")
    # not BYOK: no true spend, even with an upstream cost in the record
    assert explain(replace(PLAIN, upstream_inference_cost=Decimal(1)), SIMPLE).true_spend is None


def test_insurance_blank_finish_tool_fees_and_when_it_did_not_apply() -> None:
    blank = replace(PLAIN, finish_reason=None, native_tokens_completion=0, total_cost=Decimal(0))
    bill = check(explain(blank, SIMPLE))
    assert bill.verdict.code == "insured"
    reason = bill.reason("insured_zero_completion")
    assert reason is not None and "(no completion)" in reason.text
    with_tools = replace(blank, num_search_results=5, total_cost=Decimal("0.02"))
    tools = check(explain(with_tools, SIMPLE))
    assert tools.verdict.code == "insured"
    assert "$0.02 of tool fees (estimate)" in tools.verdict.text
    billed = replace(PLAIN, finish_reason="error", total_cost=Decimal("0.0012"))
    plain = check(explain(billed, SIMPLE))
    assert plain.verdict.code == "matches" and plain.reasons == ()


def test_cache_hit_that_was_billed_is_said() -> None:
    figures = replace(PLAIN, response_cache_source_id="gen-1-x")
    bill = check(explain(figures, SIMPLE))
    reason = bill.reason("response_cache_hit")
    assert reason is not None and "yet billed" in reason.text
    assert bill.verdict.code == "matches"


def test_batch_at_full_price_is_noted() -> None:
    bill = check(explain(replace(PLAIN, id="gen-batch-0f3a9c2b7d"), SIMPLE))
    reason = bill.reason("batch_discount")
    assert reason is not None and reason.amount is None and "full price" in reason.text
    assert bill.verdict.code == "matches"


def test_web_search_is_a_line_when_priced_else_a_tool_fee() -> None:
    searched = replace(
        PLAIN, num_search_results=5, web_search_engine="exa", total_cost=Decimal("0.0132")
    )
    priced = parse_pricing({"prompt": "0.000001", "completion": "0.000002", "web_search": "0.012"})
    bill = check(explain(searched, priced))
    line = bill.items[-1]
    assert (line.code, line.quantity, line.unit, line.amount) == (
        "web_search",
        1,
        "search",
        Decimal("0.012"),
    )
    assert line.estimate and "5 results via exa" in line.note
    assert bill.verdict.code == "matches" and bill.estimate
    unpriced = check(explain(searched, SIMPLE))
    assert unpriced.reason("tool_fees_not_derivable") is not None
    assert (
        unpriced.verdict.text
        == "dearer than list by $0.012 (1000 %) because of tool fees (estimate)"
    )


def test_request_fee_images_and_unlisted_prices_are_lines() -> None:
    figures = replace(
        PLAIN, num_media_prompt=2, native_tokens_cached=400, total_cost=Decimal("0.0042")
    )
    pricing = parse_pricing(
        {"prompt": "0.000001", "completion": "0.000002", "request": "0.001", "image": "0.001"}
    )
    bill = check(explain(figures, pricing))
    assert [i.code for i in bill.items] == [
        "prompt_uncached",
        "prompt_cached",
        "completion",
        "request",
        "images",
    ]
    cached = bill.items[1]
    assert cached.unit_price == Decimal("0.000001") and cached.estimate  # at the prompt price
    assert "no input_cache_read price" in cached.note
    assert bill.list_price == Decimal("0.0042")
    no_image_price = check(explain(figures, SIMPLE))
    assert no_image_price.items[-1].code == "images" and no_image_price.items[-1].amount == 0
    assert "counted as $0 (estimate)" in no_image_price.items[-1].note


def test_tolerance_half_a_percent_or_a_billionth_of_a_dollar() -> None:
    def verdict(billed: str, pricing: Pricing = SIMPLE) -> str:
        return check(explain(replace(PLAIN, total_cost=Decimal(billed)), pricing)).verdict.code

    assert verdict("0.0012059") == "matches"  # +0.49 %
    assert verdict("0.0012061") == "dearer_unexplained"  # +0.51 %
    assert verdict("0.0011941") == "matches"
    # a rate must fit closely: 0.6 % below is not the 1 % data-sharing discount
    assert verdict("0.0011928") == "cheaper_unexplained"
    assert verdict("0.001188") == "cheaper"  # exactly 1 % below: it is
    free = parse_pricing({"prompt": "0", "completion": "0"})
    assert verdict("0.0000000009", free) == "matches"
    assert verdict("0.000000002", free) == "dearer_unexplained"


def test_unexplained_cheaper_and_stale_prices_hint() -> None:
    late = PricingSource("live", datetime(2026, 11, 1, 14, 7, tzinfo=UTC))  # 12 days later
    bill = check(explain(replace(PLAIN, total_cost=Decimal("0.0006")), SIMPLE, source=late))
    assert bill.verdict.text == "cheaper than list by $0.0006 (50 %) — unexplained"
    reason = bill.reason("unexplained")
    assert reason is not None and "fetched 12 days after the generation" in reason.text
    assert bill.difference == Decimal("-0.0006") and bill.difference_pct == Decimal("-50.00")
    assert bill.pricing_source is late


def test_price_change_is_only_what_applied_at_created_at() -> None:
    # the same DeepSeek endpoint fetched by day and by night: top-level keys differ, yet
    # the price at 14:07 UTC is the same, so nothing changed for this generation
    night = dict(
        sample("models-endpoints-deepseek-deepseek-v3.2")["data"]["endpoints"][1]["pricing"]
    )
    night.update(prompt="0.00000014", completion="0.00000021", input_cache_read="0.000000014")
    bill = check(
        explain(
            replace(PLAIN, total_cost=Decimal("0.000322")),
            DEEPSEEK_OWN,
            today=parse_pricing(night),
        )
    )
    assert bill.reason("price_changed") is None
    same = check(explain(PLAIN, SIMPLE, today=SIMPLE))
    assert same.reason("price_changed") is None
    gone = check(explain(PLAIN, SIMPLE, today=parse_pricing({"prompt": "x"})))
    changed = gone.reason("price_changed")
    assert changed is not None and "today's prices cannot price it" in changed.text


@pytest.mark.parametrize(
    ("why", "text"),
    [
        (ModelNotListed("old/model"), "old/model is no longer listed"),
        (ProviderNotListed("Fireworks", ("Chutes",)), "Fireworks no longer lists this model"),
        (FetchFailed("connection refused"), "prices could not be fetched: connection refused"),
        ("network down", "network down"),
        (None, "no price was given"),
        (parse_pricing({"prompt": "-1", "completion": "-1"}), "no readable prompt and completion"),
    ],
)
def test_pricing_unavailable_is_a_result_not_an_error(why: Any, text: str) -> None:
    bill = check(explain(PLAIN, why))
    assert bill.items == () and bill.list_price is None and bill.difference is None
    assert bill.codes == ("pricing_unavailable",)
    assert text in bill.reasons[0].text
    assert bill.verdict.code == "unavailable"
    assert bill.verdict.text.startswith("billed $0.0012; no list price to compare: ")
    assert bill.to_json()["list_price"] is None and bill.to_json()["items"] == []


def test_without_pricing_the_record_still_tells_cache_hits_insurance_byok() -> None:
    hit = check(
        explain(replace(PLAIN, total_cost=Decimal(0), response_cache_source_id="gen-9-y"), None)
    )
    assert hit.verdict.code == "cache_hit"
    insured = check(
        explain(replace(PLAIN, finish_reason="error", total_cost=Decimal(0)), "offline")
    )
    assert insured.verdict.code == "insured"
    fee = check(explain(byok("0.00006"), "offline"))
    assert fee.codes == ("pricing_unavailable", "byok_fee") and fee.true_spend == Decimal("0.00126")
    extra = check(explain(replace(PLAIN, id="gen-batch-1", num_fetches=1), "offline"))
    assert extra.codes == ("pricing_unavailable", "batch_discount", "tool_fees_not_derivable")
    none = check(explain(replace(PLAIN, total_cost=None), "offline"))
    assert none.verdict.code == "no_bill"


def test_no_billed_figure() -> None:
    bill = check(explain(replace(PLAIN, total_cost=None), SIMPLE))
    assert bill.verdict.code == "no_bill" and bill.difference is None and bill.billed is None
    assert bill.list_price == Decimal("0.0012")


def test_json_shape_numbers_and_nulls() -> None:
    payload = explain(CACHED, HAIKU).to_json()
    assert payload["billed"] == 0.0097364 and payload["list_price"] == 0.0097364
    assert payload["difference"] == 0 and payload["true_spend"] is None
    assert payload["items"][1] == {
        "name": "cached prompt tokens (cache read)",
        "quantity": 16384,
        "unit": "token",
        "unit_price": 1e-07,
        "amount": 0.0016384,
    }
    assert payload["reasons"][0]["code"] == "cache_read_savings"
    assert set(payload["reasons"][0]) == {"code", "text"}


# ---- reading the figures ----------------------------------------------------------------------


def test_from_generation_reads_the_model_an_object_or_a_dict_alike() -> None:
    from inspector.core.models import Generation

    data = sample("generation-streamed-reasoning-cached")
    model = Generation.from_api(data["data"])
    assert from_generation(model) == CACHED == from_generation(data["data"])
    assert CACHED.total_cost == Decimal("0.0097364")  # the float's decimal form, not binary
    assert CACHED.created_at == datetime(2026, 10, 20, 14, 7, 42, 106000, tzinfo=UTC)


def test_from_generation_is_lenient() -> None:
    junk = from_generation(
        {
            "id": 5,
            "native_tokens_prompt": -3,
            "native_tokens_cached": "lots",
            "native_tokens_completion": 1e15,
            "total_cost": "0.5",
            "cache_discount": "NaN",
            "is_byok": "yes",
            "created_at": "yesterday",
            "finish_reason": "   ",
        }
    )
    assert (
        junk.id == "5" and junk.native_tokens_prompt is None and junk.native_tokens_cached is None
    )
    assert junk.native_tokens_completion is None and junk.total_cost == Decimal("0.5")
    assert junk.cache_discount is None and junk.is_byok is True and junk.created_at is None
    assert junk.finish_reason is None
    assert from_generation(object()) == Figures()
    assert replace(PLAIN, native_tokens_cached=5000).cached == 1000  # never more than P
    no_prompt = replace(PLAIN, native_tokens_prompt=None, native_tokens_cached=300)
    assert (no_prompt.prompt, no_prompt.cached) == (300, 300)  # P includes C
