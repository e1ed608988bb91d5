"""Tokens: prompt (cached vs new) and completion (reasoning vs visible) with split bars
drawn to one scale within the record, then images, media and web tools when it has any.

The counts are the application layer's token facts (native counts when the record has
them, else OpenRouter's normalized ones, labelled so): nothing is chosen here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.core import formatting as fmt
from inspector.tui.record import palette
from inspector.tui.record.bars import split_bar
from inspector.tui.record.rows import Cell, Row, align_columns
from inspector.tui.record.values import cell, dim, fact_cell, shown

if TYPE_CHECKING:
    from inspector.app.facts import Fact, RecordFacts
    from inspector.core.models import Generation

__all__ = ["BAR_MAX", "NUMBER_WIDTH", "TOKEN_FIELDS", "token_rows"]

NUMBER_WIDTH = 9
BAR_MAX = 56  # token and timing bars share it, so they line up
TOKEN_FIELDS = (
    "native_tokens_prompt",
    "native_tokens_cached",
    "native_tokens_completion",
    "native_tokens_reasoning",
    "native_tokens_completion_images",
    "num_media_prompt",
    "num_input_audio_prompt",
    "num_media_completion",
    "num_search_results",
    "num_fetches",
    "web_search_engine",
)
CACHED, NEW = ("█", palette.SUCCESS), ("▒", palette.ACCENT)
REASONING, VISIBLE = ("█", palette.SECONDARY), ("▒", palette.ACCENT)


def _count(raw: dict[str, Any], fact: Fact) -> Cell:
    return fact_cell(fact, Content(fact.text), raw, width=NUMBER_WIDTH, align="right")


def _bar(
    first: int, second: int, styles: tuple[tuple[str, str], tuple[str, str]], scale: float
) -> Cell:
    (char_a, style_a), (char_b, style_b) = styles

    def draw(width: int) -> Content:
        return split_bar([(first, char_a, style_a), (second, char_b, style_b)], width, scale)

    return Cell(bar=draw, min_width=8, max_width=BAR_MAX)


def _legend(fact: Fact, style: str, raw: dict[str, Any]) -> Cell:
    content = Content.assemble((fact.text, style), (f" {fact.label}", palette.MUTED))
    return fact_cell(fact, content, raw)


def _split_row(
    raw: dict[str, Any],
    whole: Fact,
    parts: tuple[Fact | None, Fact | None],
    styles: tuple[tuple[str, str], tuple[str, str]],
    scale: float,
    label: str,
) -> Row:
    """``18,432 ███▒▒ 16,384 cached 2,048 new`` — or the count alone, labelled, when the
    record has no native split (a normalized count, or none)."""
    first, second = parts
    section = "Tokens" if label == "Prompt" else None
    if first is None or second is None:
        note = whole.note or ("normalized count" if whole.value is not None else "not reported")
        return Row((_count(raw, whole), Cell(dim(note))), label=label, section=section)
    cells = (
        _count(raw, whole),
        _bar(first.value or 0, second.value or 0, styles, scale),
        _legend(first, styles[0][1], raw),
        _legend(second, styles[1][1], raw),
    )
    return Row(cells, label=label, section=section)


def _scales(facts: RecordFacts) -> tuple[float, float]:
    """Bar lengths within the record: the larger count fills the bar, the other is to scale."""
    prompt, completion = facts.prompt.value or 0, facts.completion.value or 0
    longest = max(prompt, completion)
    if longest <= 0:
        return 1.0, 1.0
    return prompt / longest, completion / longest


def _counts_row(
    gen: Generation, raw: dict[str, Any], label: str, parts: tuple[tuple[str, str], ...]
) -> Row | None:
    """A row of small counts (``3 images · 1 audio``), only the keys with a value."""
    cells: list[Cell] = []
    for key, words in parts:
        value = getattr(gen, key)
        if value in (None, 0, ""):
            continue
        text = shown(value) if isinstance(value, str) else Content(fmt.tokens(value))
        cells.append(cell(raw, key, Content.assemble(text, (f" {words}", palette.MUTED))))
    return Row(tuple(cells), label=label) if cells else None


_EXTRA_ROWS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Images", (("native_tokens_completion_images", "image tokens"),)),
    (
        "Media",
        (
            ("num_media_prompt", "media in prompt"),
            ("num_input_audio_prompt", "audio in prompt"),
            ("num_media_completion", "media in completion"),
        ),
    ),
    (
        "Web",
        (
            ("num_search_results", "search results"),
            ("num_fetches", "fetches"),
            ("web_search_engine", "engine"),
        ),
    ),
)


def token_rows(facts: RecordFacts, gen: Generation, raw: dict[str, Any]) -> list[Row]:
    """Prompt and completion bars (to one scale), then images / media / web rows."""
    prompt_scale, completion_scale = _scales(facts)
    rows = align_columns(
        [
            _split_row(
                raw,
                facts.prompt,
                (facts.prompt_cached, facts.prompt_new),
                (CACHED, NEW),
                prompt_scale,
                "Prompt",
            ),
            _split_row(
                raw,
                facts.completion,
                (facts.reasoning, facts.visible),
                (REASONING, VISIBLE),
                completion_scale,
                "Completion",
            ),
        ]
    )
    for label, parts in _EXTRA_ROWS:
        row = _counts_row(gen, raw, label, parts)
        if row is not None:
            rows.append(row)
    return rows
