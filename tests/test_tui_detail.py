"""DetailPane in a tiny app: every state, the record view, raw JSON, hostile text, 20,000
provider responses, and the 80×24 / 200×50 layouts.

The app here implements the actions the pane's widgets call (``app.lookup``,
``app.cancel_lookup``, ``app.retry_now``, ``app.enter_key``, ``app.copy_error``) by recording
them. Countdowns run on a fake clock, so nothing sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from inspector.app.explain import explain
from inspector.app.lookup import Waiting
from inspector.core.errors import (
    AuthError,
    BadRequestError,
    ConfigError,
    ForbiddenError,
    InspectorError,
    InvalidResponseError,
    LookupCancelled,
    NetworkError,
    NotFoundError,
    PaymentError,
    PendingError,
    RateLimitedError,
    UpstreamError,
)
from inspector.core.ids import parse_id
from inspector.core.models import ErrorInfo, Generation
from inspector.core.retry import RetryDecision
from inspector.testserver import catalog
from inspector.tui.record.rows import layout_row
from inspector.tui.widgets.detail_pane import DetailPane
from inspector.tui.widgets.empty_state import DemoList
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.raw_json_view import RawJsonView, pretty_json
from inspector.tui.widgets.record_view import RecordView

# ---- the test app -----------------------------------------------------------------------


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class PaneApp(App[None]):
    """A DetailPane and a recorder of the app actions its widgets call."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.calls: list[tuple[Any, ...]] = []

    def compose(self) -> ComposeResult:
        yield DetailPane(clock=self.clock, id="detail")

    @property
    def pane(self) -> DetailPane:
        return self.query_one(DetailPane)

    def action_lookup(self, gen_id: str) -> None:
        self.calls.append(("lookup", gen_id))

    def action_cancel_lookup(self) -> None:
        self.calls.append(("cancel_lookup",))

    def action_retry_now(self) -> None:
        self.calls.append(("retry_now",))

    def action_enter_key(self) -> None:
        self.calls.append(("enter_key",))

    def action_copy_error(self) -> None:
        self.calls.append(("copy_error",))


# ---- helpers ------------------------------------------------------------------------------


def record(gen_id: str) -> tuple[Generation, dict[str, Any]]:
    """A seeded record of the local server, parsed as the client would."""
    raw = catalog.records().get(gen_id) or catalog.sample_record(gen_id)
    return Generation.from_api(raw), raw


def statics_text(widget: Any) -> str:
    """The text of every Static inside ``widget`` that is displayed."""
    parts = []
    for static in widget.query(Static):
        if static.display:
            content = static.visual
            parts.append(content.plain if isinstance(content, Content) else str(content))
    return "\n".join(parts)


def list_lines(field_list: FieldList, width: int = 120) -> list[str]:
    """Every row of a field list laid out at ``width`` (not only those on screen)."""
    return [layout_row(row, width, field_list.label_width).content.plain for row in field_list.rows]


def screen_lines(widget: Any) -> list[str]:
    """What a line-API widget draws on screen right now."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


def info(
    status: int, message: str = "", *, content_type: str = "application/json", body: str = ""
) -> ErrorInfo:
    return ErrorInfo(
        status=status,
        message=message,
        content_type=content_type,
        body_start=body,
        is_json=not body,
    )


def pending_event(gen_id: str, *, delay: float = 8.0, attempt: int = 3) -> Waiting:
    decision = RetryDecision(
        delay=delay,
        attempt=attempt,
        max_attempts=None,
        kind="pending",
        reason="not indexed yet",
        status=404,
        source="poll",
        deadline_age=600.0,
    )
    error = PendingError("not indexed yet", info=info(404, f"Generation {gen_id} not found"))
    return Waiting(parse_id(gen_id), decision, error)


def retry_event(gen_id: str, *, delay: float = 10.0, source: str = "Retry-After") -> Waiting:
    decision = RetryDecision(
        delay=delay,
        attempt=2,
        max_attempts=5,
        kind="retry",
        reason="Rate limited (429): Rate limit exceeded",
        status=429,
        source=source,
    )
    error = RateLimitedError("rate limited", info=info(429, "Rate limit exceeded"), retry_after=10)
    return Waiting(parse_id(gen_id), decision, error)


@pytest.fixture
def young_id() -> Iterator[str]:
    yield f"gen-{int(time.time()) - 12}-Qx7pLm2Zr8TnV4sKc1Wd"


# ---- empty --------------------------------------------------------------------------------


async def test_empty_state_says_what_to_do_and_how_to_try_the_demo() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_empty()
        await pilot.pause()
        assert app.pane.state == "empty"
        text = statics_text(app.pane)
        assert "Paste a generation id" in text
        assert "orinspect --demo" in text
        assert not app.query_one(DemoList).display
        demo_line = app.query_one("#empty-demo")
        where = app.query_one("#empty-where")
        assert where.region.y > demo_line.region.bottom  # a blank line between the two
        keys = app.query_one("#empty-keys", Static).visual.plain  # type: ignore[union-attr]
        # the id field has the focus: offer keys that work from there, not bare letters
        assert "f1 help" in keys and "f2 history" in keys and "esc K API key" in keys
        assert "? help" not in keys and "H history" not in keys


async def test_empty_state_in_demo_mode_offers_no_key_entry() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_empty(catalog.DEMO_IDS[:2], demo=True)
        await pilot.pause()
        keys = app.query_one("#empty-keys", Static).visual.plain  # type: ignore[union-attr]
        assert "API key" not in keys and "f1 help" in keys


async def test_empty_state_lists_demo_ids_and_each_one_looks_up() -> None:
    app = PaneApp()
    demo_ids = catalog.DEMO_IDS[:4]
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_empty(demo_ids, demo=True)
        await pilot.pause()
        demo = app.query_one(DemoList)
        assert demo.display
        assert [opt.id for opt in demo.options] == [gen_id for _, gen_id in demo_ids]
        assert "Demo mode" in statics_text(app.pane)
        assert app.pane.focus_content()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.calls == [("lookup", demo_ids[1][1])]


# ---- loading --------------------------------------------------------------------------------


async def test_loading_shows_the_id_a_spinner_and_escape_cancels() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.pane.show_loading(catalog.CHAT_ID)
        app.pane.focus_content()
        await pilot.pause()
        state = app.query_one("#loading")
        first = statics_text(state)
        assert catalog.CHAT_ID in first and "esc" in first and "0.0 s" in first
        app.clock.advance(0.5)
        state.tick()  # type: ignore[attr-defined]
        assert "0.5 s" in statics_text(state)
        await pilot.press("escape")
        assert app.calls == [("cancel_lookup",)]


# ---- pending ---------------------------------------------------------------------------------


async def test_pending_counts_down_by_the_clock_and_offers_r_and_escape(young_id: str) -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_waiting(pending_event(young_id), id_age=12.0)
        app.pane.focus_content()
        await pilot.pause()
        assert app.pane.state == "pending"
        state = app.query_one("#pending")
        text = statics_text(state)
        assert f"{young_id} was created 12 s ago" in text
        assert "Next check in 8 s" in text
        assert "attempt 3" in text and "until 10 min old" in text
        assert "r check now" in text and "esc stop" in text

        app.clock.advance(3.2)
        state.tick()  # type: ignore[attr-defined]
        text = statics_text(state)
        assert "Next check in 5 s" in text
        assert "was created 15 s ago" in text

        app.clock.advance(10)
        state.tick()  # type: ignore[attr-defined]
        assert "checking now" in statics_text(state)

        await pilot.press("r")
        await pilot.press("escape")
        assert app.calls == [("retry_now",), ("cancel_lookup",)]


async def test_loading_the_same_id_during_a_wait_keeps_the_wait_on_screen(young_id: str) -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_waiting(pending_event(young_id), id_age=12.0)
        await pilot.pause()
        app.pane.show_loading(young_id)
        await pilot.pause()
        assert app.pane.state == "pending"
        assert "checking now" in statics_text(app.query_one("#pending"))
        app.pane.show_loading(catalog.CHAT_ID)  # another id: a real loading state
        assert app.pane.state == "loading"


async def test_pending_without_an_age_uses_the_errors_age() -> None:
    app = PaneApp()
    event = pending_event("gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG")
    event = Waiting(event.parsed, event.decision, PendingError("young", age=30.0))
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_waiting(event, id_age=None)
        await pilot.pause()
        assert "was created 30 s ago" in statics_text(app.query_one("#pending"))


# ---- retrying --------------------------------------------------------------------------------


async def test_retrying_shows_status_message_countdown_attempts_and_why() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_waiting(retry_event(catalog.RATE_LIMITED_ID), id_age=None)
        app.pane.focus_content()
        await pilot.pause()
        assert app.pane.state == "retrying"
        state = app.query_one("#retrying")
        text = statics_text(state)
        assert "Rate limited · 429" in text
        assert "Rate limit exceeded" in text
        assert "Retrying in 10 s" in text
        assert "attempt 2 of 5" in text
        assert "Retry-After" in text
        app.clock.advance(2.5)
        state.tick()  # type: ignore[attr-defined]
        assert "Retrying in 8 s" in statics_text(state)
        await pilot.press("r", "escape")
        assert app.calls == [("retry_now",), ("cancel_lookup",)]


async def test_retrying_after_a_server_error_shows_the_start_of_a_non_json_body() -> None:
    app = PaneApp()
    body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>"
    error = UpstreamError("bad gateway", info=info(502, content_type="text/html", body=body))
    decision = RetryDecision(
        delay=1.0,
        attempt=3,
        max_attempts=5,
        kind="retry",
        reason="Server error (502)",
        status=502,
        source="backoff",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_waiting(Waiting(parse_id(catalog.CHAT_ID), decision, error), id_age=None)
        await pilot.pause()
        text = statics_text(app.query_one("#retrying"))
        assert "Server error · 502" in text
        assert "text/html" in text and "<!DOCTYPE html>" in text
        assert "attempt 3 of 5" in text and "backoff" in text


# ---- errors ----------------------------------------------------------------------------------

HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway | openrouter.ai</title>"

ERROR_CASES: list[tuple[str, InspectorError, list[str], str | None]] = [
    (
        "401",
        AuthError("rejected", info=info(401, "User not found.")),
        ["Key rejected · 401", "did not accept", "sk-or-v1-…a1b2", "User not found."],
        "k",
    ),
    (
        "401-none",
        AuthError("no key", info=info(401, "No auth credentials found")),
        ["No API key was sent", "Enter an OpenRouter API key"],
        "k",
    ),
    (
        "402",
        PaymentError("payment", info=info(402, "Insufficient credits.")),
        ["Payment required · 402", "credit", "Add credits"],
        None,
    ),
    (
        "403",
        ForbiddenError("forbidden", info=info(403, "Forbidden")),
        ["Forbidden · 403", "another account"],
        "k",
    ),
    (
        "404",
        NotFoundError("not found", info=info(404, "Generation not found")),
        [
            "Not found · 404",
            "days ago",
            "belongs to another account",
            "failed",
            "character of the id is wrong",
        ],
        "k",
    ),
    (
        "network",
        NetworkError("Connection refused", kind="connect"),
        ["Network error", "No connection", "base URL", "https://openrouter.example/api/v1"],
        None,
    ),
    (
        "invalid",
        InvalidResponseError(
            "the body was not JSON", info=info(502, content_type="text/html", body=HTML)
        ),
        [
            "Unexpected answer · 502 text/html",
            "not answer with OpenRouter's JSON",
            "Start of the body",
            "<!DOCTYPE html>",
            "Tried 4 times",
        ],
        None,
    ),
    (
        "400",
        BadRequestError("bad", info=info(400, "ZodError: Invalid id")),
        ["Bad request · 400", "malformed", "ZodError"],
        None,
    ),
    (
        "config",
        ConfigError("The key would go over http:// to a remote host"),
        ["Configuration", "http://", "Fix the setting"],
        None,
    ),
    (
        "cancelled",
        LookupCancelled(catalog.CHAT_ID),
        ["Lookup cancelled", "You stopped the lookup"],
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "error", "phrases", "key"), ERROR_CASES, ids=[case[0] for case in ERROR_CASES]
)
async def test_each_error_class_says_what_happened_and_what_to_do(
    name: str, error: InspectorError, phrases: list[str], key: str | None
) -> None:
    app = PaneApp()
    gen_id = catalog.NOT_FOUND_ID if name == "404" else catalog.CHAT_ID
    async with app.run_test(size=(100, 30)) as pilot:
        attempts = 4 if name == "invalid" else 1
        explanation = explain(
            error,
            gen_id=gen_id,
            id_age=parse_id(gen_id).age_seconds(),
            attempts=attempts,
            key_source="keyring",
            key_masked="sk-or-v1-…a1b2",
            base_url="https://openrouter.example/api/v1",
        )
        app.pane.show_error(gen_id, error, explanation=explanation, attempts=attempts)
        app.pane.focus_content()
        await pilot.pause()
        assert app.pane.state == "error"
        shown = statics_text(app.query_one("#error"))
        copied = app.pane.error_text()
        assert copied is not None and gen_id in copied
        for phrase in phrases:
            assert phrase in shown, phrase
            assert phrase in copied, phrase
        assert "c copy this message" in shown
        await pilot.press("c")
        assert app.calls[-1] == ("copy_error",)
        if key == "k":
            assert "K enter a key" in shown
            await pilot.press("K")
            assert app.calls[-1] == ("enter_key",)
        await pilot.press("r")
        assert app.calls[-1] == ("retry_now",)


async def test_error_text_is_none_unless_an_error_shows() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.pane.error_text() is None
        app.pane.show_error(None, NetworkError("boom", kind="dns"))
        await pilot.pause()
        text = app.pane.error_text()
        assert text is not None and "could not be resolved" in text
        app.pane.show_loading(catalog.CHAT_ID)
        assert app.pane.error_text() is None


# ---- the record -------------------------------------------------------------------------------


async def test_record_shows_the_key_figures() -> None:
    app = PaneApp()
    gen, raw = record(catalog.REASONING_CACHED_ID)
    async with app.run_test(size=(100, 40)) as pilot:
        app.pane.show_record(gen, raw)
        await pilot.pause()
        assert app.pane.state == "record"
        assert app.pane.current == (gen, raw)
        assert gen.id is not None and gen.id in (app.pane.border_title or "")
        text = "\n".join(list_lines(app.query_one("#record-fields", FieldList)))
        for phrase in [
            "anthropic/claude-4.5-haiku-20251001",
            "Amazon Bedrock",
            "stop",
            "provider: end_turn",
            "streamed",
            "cache 89 %",
            "$0.0097364",
            "cache discount −$0.0147456",
            "18,432",
            "16,384 cached",
            "2,048 new",
            "1,210",
            "745 reasoning",
            "465 visible",
            "1.87 s",
            "14.21 s",
            "85 tok/s",  # native completion tokens per second, as in the CLI
            "total 16.08 s",
            "served, no fallback",
            "agent-run-7f3a9c",
            "not set: preset, router",
            "none: every key is known",
        ]:
            assert phrase in text, phrase


async def test_fields_are_selectable_and_copy_their_exact_raw_value() -> None:
    app = PaneApp()
    gen, raw = record(catalog.REASONING_CACHED_ID)
    async with app.run_test(size=(100, 40)) as pilot:
        app.pane.show_record(gen, raw)
        app.pane.focus_content()
        await pilot.pause()
        assert app.pane.focused_field() == ("model", "anthropic/claude-4.5-haiku-20251001")
        await pilot.press("right")
        assert app.pane.focused_field() == ("provider_name", "Amazon Bedrock")
        seen: dict[str, str] = {}
        await pilot.press("left")
        while not seen or not next(reversed(seen)).startswith("provider_responses"):
            await pilot.press("down")
            field = app.pane.focused_field()
            assert field is not None and len(seen) < 20
            seen[field[0]] = field[1]
        assert list(seen) == [
            "created_at",
            "finish_reason",
            "total_cost",
            "native_tokens_prompt",
            "native_tokens_completion",
            "latency",
            "generation_time",
            "provider_responses[0].provider_name",
        ]
        assert seen["total_cost"] == "0.0097364"
        assert seen["native_tokens_prompt"] == "18432"
        assert seen["latency"] == "1874"
        assert seen["created_at"] == "2026-10-20T14:07:42.106Z"
        await pilot.press("right")
        assert app.pane.focused_field() == ("provider_responses[0].status", "200")
        hint = app.query_one("#record-hint", Static).visual
        assert isinstance(hint, Content) and "provider_responses[0].status" in hint.plain


async def test_focused_field_is_none_without_a_record() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.pane.focused_field() is None
        assert app.pane.current is None


async def test_section_keys_jump_between_sections_and_the_mouse_picks_a_field() -> None:
    app = PaneApp()
    gen, raw = record(catalog.FALLBACK_ID)
    async with app.run_test(size=(100, 40)) as pilot:
        app.pane.show_record(gen, raw)
        app.pane.focus_content()
        await pilot.pause()
        await pilot.press("right_square_bracket")
        assert app.pane.focused_field() == ("total_cost", "0.0040726")
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.pane.focused_field() == ("latency", "2614")
        await pilot.press("left_square_bracket")
        field = app.pane.focused_field()
        assert field is not None and field[0] == "native_tokens_prompt"
        fields = app.query_one("#record-fields", FieldList)
        index = next(
            i
            for i, row in enumerate(fields.rows)
            if any(c.field == "provider_responses[1].provider_name" for c in row.cells)
        )
        row_layout = layout_row(
            fields.rows[index], fields.scrollable_content_region.width, fields.label_width
        )
        span = row_layout.spans[0]
        assert span is not None
        y = index - int(fields.scroll_offset.y)
        await pilot.click(fields, offset=(span[0] + 1 + 1, y))  # +1 for the left padding
        assert app.pane.focused_field() == ("provider_responses[1].provider_name", "Together")


async def test_fallback_chain_reads_like_a_waterfall() -> None:
    app = PaneApp()
    gen, raw = record(catalog.FALLBACK_ID)
    async with app.run_test(size=(100, 40)) as pilot:
        app.pane.show_record(gen, raw)
        await pilot.pause()
        lines = list_lines(app.query_one("#record-fields", FieldList))
        attempts = [line for line in lines if " ms " in line or " s " in line]
        chain = [
            line for line in attempts if any(p in line for p in ("Chutes", "Together", "Fireworks"))
        ]
        assert [
            name for line in chain for name in ("Chutes", "Together", "Fireworks") if name in line
        ] == ["Chutes", "Together", "Fireworks"]
        assert "429" in chain[0] and "rate limited" in chain[0]
        assert "502" in chain[1] and "upstream error" in chain[1]
        assert "200" in chain[2] and "served after 2 fallbacks" in chain[2]


@pytest.mark.parametrize(
    ("gen_id", "phrases"),
    [
        (catalog.NEGATIVE_DISCOUNT_ID, ["cache write +$0.0195765"]),
        (catalog.BYOK_ID, ["BYOK", "Upstream", "charged by the provider"]),
        (catalog.CANCELLED_ID, ["cancelled", "no finish reason", "2,231", "normalized count"]),
        (catalog.CACHE_HIT_ID, ["response cache hit"]),
        (catalog.IMAGE_ID, ["Images", "image tokens"]),
        (
            catalog.FUTURE_FIELDS_ID,
            ["Other fields", "keys this version does not know", *catalog.FUTURE_EXTRA_KEYS],
        ),
    ],
)
async def test_record_variants(gen_id: str, phrases: list[str]) -> None:
    app = PaneApp()
    gen, raw = record(gen_id)
    async with app.run_test(size=(120, 40)) as pilot:
        app.pane.show_record(gen, raw)
        await pilot.pause()
        record_view = app.query_one(RecordView)
        text = "\n".join(list_lines(record_view.fields) + list_lines(record_view.side))
        for phrase in phrases:
            assert phrase in text, phrase


async def test_other_fields_copy_exactly_as_they_came() -> None:
    app = PaneApp()
    gen, raw = record(catalog.FUTURE_FIELDS_ID)
    key = catalog.FUTURE_EXTRA_KEYS[-1]
    async with app.run_test(size=(100, 40)) as pilot:
        app.pane.show_record(gen, raw)
        await pilot.pause()
        fields = app.query_one(RecordView).fields
        assert fields.move_to_field(key)
        field = app.pane.focused_field()
        assert field is not None and field[0] == key
        import json

        value = raw[key]
        expected = (
            value
            if isinstance(value, str)
            else json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        )
        assert field[1] == expected


async def test_raw_json_toggles_highlighted_and_scrollable() -> None:
    app = PaneApp()
    gen, raw = record(catalog.FALLBACK_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_record(gen, raw, source="history")
        app.pane.focus_content()
        await pilot.pause()
        assert "from history" in (app.pane.border_subtitle or "")
        app.pane.toggle_raw_json()  # the app's "v" (tests/test_tui_keys.py presses it)
        await pilot.pause()
        view = app.query_one(RawJsonView)
        assert view.display and view.has_focus
        assert '  "total_cost": 0.0040726,' in view.lines
        drawn = screen_lines(view)
        assert drawn[0].startswith("{") or drawn[0].strip().startswith("{")
        strip = view.render_line(1)
        colours = {seg.style.color for seg in strip if seg.style and seg.text.strip()}
        assert len(colours) >= 2  # key and value coloured differently
        name, text = app.pane.focused_field() or ("", "")
        assert name == "raw JSON" and '"provider_responses"' in text
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_offset.y > 0
        app.pane.toggle_raw_json()
        await pilot.pause()
        assert not view.display
        assert app.pane.focused_field() == ("model", "moonshotai/kimi-k2-0905")


# ---- hostile text ---------------------------------------------------------------------------


def _segments(widget: Any) -> list[Any]:
    return [seg for y in range(widget.size.height) for seg in widget.render_line(y)]


async def test_hostile_text_is_shown_literally_and_never_acted_on() -> None:
    app = PaneApp()
    app.title = "my title"
    raw = catalog.hostile_text_record()
    gen = Generation.from_api(raw)
    async with app.run_test(size=(120, 60)) as pilot:
        app.pane.show_record(gen, raw)
        app.pane.focus_content()
        await pilot.pause()
        record_view = app.query_one(RecordView)
        lines = list_lines(record_view.fields) + list_lines(record_view.side)
        text = "\n".join(lines)
        assert "[@click=app.quit]x[/]" in text
        assert "[bold]boom[/bold] \\x1b[31mred\\x1b[0m" in text
        assert "\\x1b]0;pwned\\x07https://evil.example/" in text
        assert "\\x9b2J" in text
        assert "line one↵line two↵\\x08\\x08[/]" in text
        # Nothing drawn holds a control character or a click action from the data.
        for widget in (record_view.fields, record_view.side):
            for seg in _segments(widget):
                assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in seg.text)
                meta = seg.style.meta if seg.style else {}
                assert "@click" not in meta
        # The hint line shows the full value of the field under the cursor: still inert.
        hint = app.query_one("#record-hint", Static)
        for key in catalog.HOSTILE_STRINGS:
            assert record_view.fields.move_to_field(key) or record_view.side.move_to_field(key)
            await pilot.pause()
            shown = hint.visual
            assert isinstance(shown, Content) and key in shown.plain
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in shown.plain)
            assert app.pane.focused_field() == (key, catalog.HOSTILE_STRINGS[key])  # exact
        app.pane.toggle_raw_json()
        await pilot.pause()
        for seg in _segments(app.query_one(RawJsonView)):
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in seg.text)
        assert app.is_running
        assert app.title == "my title"


async def test_hostile_text_in_an_error_is_neutralised() -> None:
    app = PaneApp()
    error = AuthError("x", info=info(401, "\x1b]0;pwned\x07[bold]nope[/bold]\x1b[2J"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.pane.show_error(catalog.CHAT_ID, error)
        await pilot.pause()
        text = app.pane.error_text() or ""
        assert "\x1b" not in text and "\\x1b]0;pwned\\x07[bold]nope[/bold]" in text
        assert "[bold]nope[/bold]" in statics_text(app.query_one("#error"))
        assert app.is_running


# ---- sizes -------------------------------------------------------------------------------------


async def _every_state(app: PaneApp, pilot: Any, young: str) -> None:
    pane = app.pane
    pane.show_empty(catalog.DEMO_IDS, demo=True)
    await pilot.pause()
    pane.show_loading(catalog.CHAT_ID)
    await pilot.pause()
    pane.show_waiting(pending_event(young), id_age=12)
    await pilot.pause()
    pane.show_waiting(retry_event(catalog.CHAT_ID), id_age=None)
    await pilot.pause()
    for _, error, _, _ in ERROR_CASES:
        pane.show_error(catalog.CHAT_ID, error)
        await pilot.pause()
    for gen_id in (catalog.REASONING_CACHED_ID, catalog.FALLBACK_ID, catalog.HOSTILE_TEXT_ID):
        gen, raw = record(gen_id)
        pane.show_record(gen, raw)
        await pilot.pause()
        pane.toggle_raw_json()
        await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_every_state_renders_at_80x24_and_200x50(
    size: tuple[int, int], young_id: str
) -> None:
    app = PaneApp()
    async with app.run_test(size=size) as pilot:
        await _every_state(app, pilot, young_id)
        app.save_screenshot("/dev/null")  # a full render of the last screen
        assert app.is_running


async def test_80x24_first_screen_has_header_cost_tokens_and_timing() -> None:
    app = PaneApp()
    gen, raw = record(catalog.REASONING_CACHED_ID)
    async with app.run_test(size=(80, 21)) as pilot:  # 24 rows less the shell's top and footer
        app.pane.show_record(gen, raw)
        await pilot.pause()
        visible = "\n".join(screen_lines(app.query_one("#record-fields", FieldList)))
        for phrase in [
            "anthropic/claude-4.5-haiku",
            "ago",
            "stop",
            "Cost",
            "$0.0097364",
            "Prompt",
            "Completion",
            "Latency",
            "Generation",
        ]:
            assert phrase in visible, phrase
        assert not app.query_one(RecordView).wide


async def test_200x50_puts_figures_and_listings_side_by_side() -> None:
    app = PaneApp()
    gen, raw = record(catalog.REASONING_CACHED_ID)
    async with app.run_test(size=(200, 50)) as pilot:
        app.pane.show_record(gen, raw)
        app.pane.focus_content()
        await pilot.pause()
        record_view = app.query_one(RecordView)
        assert record_view.wide and record_view.side.display
        main = "\n".join(list_lines(record_view.fields))
        side = "\n".join(list_lines(record_view.side))
        assert "Prompt" in main and "Attribution" not in main
        assert "Attribution" in side and "agent-run-7f3a9c" in side
        await pilot.press("tab")
        await pilot.pause()
        assert record_view.side.has_focus
        assert app.pane.focused_field() == ("origin", "https://agent.example.com/")


# ---- raw JSON lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        catalog.sample_record(catalog.FALLBACK_ID),
        catalog.records()[catalog.FUTURE_FIELDS_ID],
        catalog.hostile_text_record(),
        {"a": [], "b": [{"x": [1, {"y": None}]}, 3, "s", {}], "c": {"d": []}},
        [1, 2],
        {},
        None,
    ],
)
def test_json_lines_match_json_dumps_even_when_made_lazily(
    value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.tui.record import json_lines

    expected = pretty_json(value).split("\n")
    assert list(json_lines.JsonLines(value)) == expected
    monkeypatch.setattr(json_lines, "LAZY_LIST_LENGTH", 1)  # every list item by item
    lines = json_lines.JsonLines(value)
    assert list(lines) == expected
    assert lines.width >= max(len(line) for line in expected[:60])


# ---- 20,000 provider responses ------------------------------------------------------------------


async def test_twenty_thousand_provider_responses_open_fast_and_can_all_be_seen() -> None:
    app = PaneApp()
    raw = catalog.huge_fallback_record()
    gen = Generation.from_api(raw)
    assert len(gen.provider_responses) == 20_000
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        app.pane.show_record(gen, raw)
        call = time.perf_counter() - started
        await pilot.pause()  # and painted
        painted = time.perf_counter() - started
        # Typically 0.01 s and 0.1 s; the bounds leave room for a busy test machine.
        assert call < 0.25, f"show_record took {call:.3f} s"
        assert painted < 1.0, f"show_record and the paint took {painted:.3f} s"

        fields = app.query_one("#record-fields", FieldList)
        lines = list_lines(fields)
        assert any("served by Fireworks after 19,999 fallbacks" in line for line in lines)
        assert any("19,950 more attempts" in line for line in lines)
        assert len(fields.rows) < 200  # bounded until asked

        app.pane.focus_content()
        more = next(i for i, row in enumerate(fields.rows) if row.kind == "more")
        fields._set_cursor(more, 0)
        started = time.perf_counter()
        await pilot.press("enter")
        await pilot.pause()
        assert time.perf_counter() - started < 1.0
        assert len(fields.rows) > 20_000
        await pilot.press("end")
        found = False
        for _ in range(40):
            await pilot.press("up")
            field = app.pane.focused_field()
            if field and field[0].startswith("provider_responses[19999]"):
                found = True
                break
        assert found
        started = time.perf_counter()
        app.pane.toggle_raw_json()
        assert time.perf_counter() - started < 0.25  # lines are made as they are shown
        await pilot.pause()
        view = app.query_one(RawJsonView)
        assert view.has_focus
        assert len(view.lines) > 100_000
        expected = pretty_json(raw).split("\n")
        assert len(view.lines) == len(expected)
        for index in (0, 1, 40, 50_000, 159_990, len(expected) - 1):
            assert view.lines[index] == expected[index]
        await pilot.press("end")
        await pilot.pause()
        assert screen_lines(view)[-1].strip() == "}"


# ---- focus and drawing helpers -----------------------------------------------------------------


async def test_only_the_visible_state_can_take_focus(young_id: str) -> None:
    app = PaneApp()
    gen, raw = record(catalog.CHAT_ID)
    async with app.run_test(size=(100, 30)) as pilot:

        def first_focusable() -> Any:
            return next((w for w in app.pane.query("*") if w.focusable), None)

        app.pane.show_empty()
        await pilot.pause()
        assert first_focusable() is None  # nothing to do in the pane: the id field keeps focus
        app.pane.show_loading(catalog.CHAT_ID)
        await pilot.pause()
        assert first_focusable() is app.query_one("#loading")
        app.pane.show_waiting(pending_event(young_id), id_age=12)
        await pilot.pause()
        assert first_focusable() is app.query_one("#pending")
        app.pane.show_record(gen, raw)
        await pilot.pause()
        assert first_focusable() is app.query_one("#record-fields")
        app.pane.focus_content()
        await pilot.pause()
        app.pane.show_error(catalog.CHAT_ID, NetworkError("x", kind="reset"))
        await pilot.pause()
        assert app.focused is app.query_one("#error")  # focus followed the pane's content


def test_bars_fill_their_width_exactly() -> None:
    from inspector.tui.record.bars import progress_bar, span_bar, split_bar

    for width in (1, 7, 20, 56):
        assert split_bar([(16384, "█", ""), (2048, "▒", "")], width).cell_length == width
        assert span_bar(1874, 14210, 16084, width, "").cell_length == width
        assert progress_bar(0.37, width, "").cell_length == width
    split = split_bar([(16384, "█", ""), (2048, "▒", "")], 36).plain
    assert split.count("█") == 32 and split.count("▒") == 4
    assert split_bar([(1000, "█", ""), (1, "▒", "")], 10).plain.count("▒") == 1  # never lost
    assert span_bar(0, 1, 1000, 10, "").plain.startswith("▏")  # a sliver, not nothing
    assert progress_bar(1.0, 5, "").plain == "█████"
