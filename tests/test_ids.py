"""Id parsing: bare ids, pasted text, typed variants, untimed ids, request ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from inspector.core.errors import MalformedIdError
from inspector.core.ids import (
    ParsedId,
    RequestIdError,
    extract_ids,
    make_id,
    parse_id,
    short_id,
)

CHAT = "gen-1790983685-vELIl0vh5b8ltNURLhyU"
CHAT_TIME = datetime(2026, 10, 2, 23, 28, 5, tzinfo=UTC)
UNTIMED = "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG"
REQ = "req-1792505729-Gv2XpN7kQe4RbW9tLc1Z"


def test_bare_id_and_embedded_time() -> None:
    parsed = parse_id(CHAT)
    assert parsed == ParsedId(CHAT, "chat", CHAT_TIME, None)
    assert parsed.age_seconds(CHAT_TIME + timedelta(seconds=90)) == 90.0


@pytest.mark.parametrize(
    "text",
    [
        f"  {CHAT}\n",
        f'"{CHAT}"',
        f"'{CHAT}'",
        f"`{CHAT}`",
        f"<{CHAT}>",
        f"“{CHAT}”",
        f"\t'{CHAT}',",
        f"{CHAT}.",
    ],
)
def test_stray_whitespace_quotes_and_punctuation(text: str) -> None:
    assert parse_id(text).id == CHAT


@pytest.mark.parametrize(
    ("gen_id", "kind"),
    [
        ("gen-img-1790829263-IsDxAD6HYDnBBhQ96S7m", "img"),
        ("gen-tts-1790829263-IsDxAD6HYDnBBhQ96S7m", "tts"),
        ("gen-stt-1790829263-IsDxAD6HYDnBBhQ96S7m", "stt"),
        ("gen-vid-1790829263-IsDxAD6HYDnBBhQ96S7m", "vid"),
        ("gen-dec-1790829263-IsDxAD6HYDnBBhQ96S7m", "dec"),
        ("gen-rerank-1790829263-IsDxAD6HYDnBBhQ96S7m", "rerank"),
        ("gen-batch-1790829263-9f86d081884c7d659a2feaa0c55ad015", "batch"),
    ],
)
def test_typed_variants(gen_id: str, kind: str) -> None:
    parsed = parse_id(gen_id)
    assert parsed.kind == kind
    assert parsed.created == datetime(2026, 10, 1, 4, 34, 23, tzinfo=UTC)
    assert parsed.warning is None


def test_batch_id_with_hex_tail_and_no_timestamp() -> None:
    parsed = parse_id("gen-batch-9f86d081884c7d659a2feaa0c55ad015")
    assert (parsed.kind, parsed.created, parsed.warning) == ("batch", None, None)


def test_untimed_form_is_accepted_with_a_warning() -> None:
    parsed = parse_id(UNTIMED)
    assert parsed.kind == "untimed"
    assert parsed.created is None
    assert parsed.age_seconds() is None
    assert parsed.warning and "no timestamp" in parsed.warning


@pytest.mark.parametrize(
    ("gen_id", "needle"),
    [
        ("gen-1790983685-short", "5 characters"),
        ("gen-emb-1790983685-vELIl0vh5b8ltNURLhyU", "unknown id type"),
        ("gen-0000000001-vELIl0vh5b8ltNURLhyU", "looks wrong"),
        ("gen-9999999999-vELIl0vh5b8ltNURLhyU", "looks wrong"),
        ("gen-1790983685-vELIl0vh5b8ltNURLhyU-x_y", "usual"),
    ],
)
def test_odd_ids_warn_but_are_never_refused(gen_id: str, needle: str) -> None:
    parsed = parse_id(gen_id)
    assert parsed.id == gen_id
    assert parsed.warning is not None and needle in parsed.warning


def test_request_id_is_refused_with_an_explanation() -> None:
    with pytest.raises(RequestIdError) as caught:
        parse_id(f" {REQ} ")
    assert isinstance(caught.value, MalformedIdError)
    assert caught.value.request_id == REQ
    assert "request id, not a generation id" in str(caught.value)


@pytest.mark.parametrize(
    "text", ["", "   ", "hello", "chatcmpl-6e2b1d94c8a74f0f9a3e5b7c1d2f8a60", "gen-", "gen id"]
)
def test_non_ids_are_malformed(text: str) -> None:
    with pytest.raises(MalformedIdError) as caught:
        parse_id(text)
    assert "not a generation id" in caught.value.summary


def test_malformed_message_never_echoes_control_characters() -> None:
    with pytest.raises(MalformedIdError) as caught:
        parse_id("\x1b]0;pwned\x07")
    assert "\x1b" not in caught.value.summary and "\x07" not in caught.value.summary


def test_parse_id_accepts_text_holding_exactly_one_id() -> None:
    url = f"https://openrouter.ai/api/v1/generation?id={CHAT}&x=1"
    assert parse_id(url).id == CHAT
    with pytest.raises(MalformedIdError, match="found 2"):
        parse_id(f"{CHAT} {UNTIMED}")


def test_extract_from_urls_json_and_logs_deduplicated_in_order() -> None:
    other = "gen-1790983700-AAAAAAAAAAbbbbbbbbbb"
    img = "gen-img-1790829263-IsDxAD6HYDnBBhQ96S7m"
    body = json.dumps({"data": {"id": other, "request_id": REQ}})
    text = "\n".join(
        [
            f"GET https://openrouter.ai/api/v1/generation?id={CHAT} 404",
            f"see https://example.org/x?generation_id={img}&foo=bar",
            body,
            f"2026-10-02 23:28:06 INFO done id={CHAT}",  # duplicate
            "gen-batch-size=16 and regen-1790983685-vELIl0vh5b8ltNURLhyU are not ids",
            f"untimed: {UNTIMED}",
        ]
    )
    found = extract_ids(text)
    assert [p.id for p in found.ids] == [CHAT, img, other, UNTIMED]
    assert found.request_ids == [REQ]


def test_extract_decodes_percent_encoded_urls() -> None:
    url = "https://x.example/?id=" + CHAT.replace("-", "%2D")
    assert [p.id for p in extract_ids(url).ids] == [CHAT]


def test_extract_from_text_without_ids() -> None:
    found = extract_ids("nothing to see here")
    assert found.ids == [] and found.request_ids == []


def test_short_id() -> None:
    assert short_id("gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe") == "pZ3nW8…"
    assert short_id(UNTIMED) == "3bhGkx…"


def test_make_id_round_trips() -> None:
    made = make_id(CHAT_TIME)
    parsed = parse_id(made)
    assert parsed.created == CHAT_TIME and parsed.kind == "chat" and parsed.warning is None
    assert make_id(1790983685, "vELIl0vh5b8ltNURLhyU") == CHAT
    assert make_id(datetime(2026, 10, 2, 23, 28, 5), "x" * 20).startswith("gen-1790983685-")
    assert parse_id(make_id(CHAT_TIME, prefix="gen-img")).kind == "img"
    assert make_id(CHAT_TIME) != make_id(CHAT_TIME)
