"""Tokens: prompt (cached vs new) and completion (reasoning vs visible) with split bars,
then images, media and web tools when the record has any.

Native counts are what was billed: ``native_tokens_prompt`` includes the cached tokens and
``native_tokens_completion`` includes the reasoning tokens (the model's derived properties
do the subtraction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.core import formatting as fmt
from inspector.tui.record import palette
from inspector.tui.record.bars import split_bar
from inspector.tui.record.rows import Cell, Row, align_columns
from inspector.tui.record.values import cell, dim, raw_text, shown

if TYPE_CHECKING:
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


def _count(raw: dict[str, Any], key: str, value: int | None) -> Cell:
    return cell(raw, key, Content(fmt.tokens(value)), width=NUMBER_WIDTH, align="right")


def _bar(first: int, second: int, styles: tuple[tuple[str, str], tuple[str, str]]) -> Cell:
    (char_a, style_a), (char_b, style_b) = styles

    def draw(width: int) -> Content:
        return split_bar([(first, char_a, style_a), (second, char_b, style_b)], width)

    return Cell(bar=draw, min_width=8, max_width=BAR_MAX)


def _legend(value: int, words: str, style: str, *, field: str, raw: str) -> Cell:
    content = Content.assemble((fmt.tokens(value), style), (f" {words}", palette.MUTED))
    return Cell(content, field=field, raw=raw)


def _prompt_row(gen: Generation, raw: dict[str, Any]) -> Row:
    if gen.native_tokens_prompt is None:
        return _normalized_only(raw, "tokens_prompt", gen.tokens_prompt, "Prompt")
    cached, new = gen.prompt_cached, gen.prompt_uncached or 0
    cells = (
        _count(raw, "native_tokens_prompt", gen.native_tokens_prompt),
        _bar(cached, new, (CACHED, NEW)),
        _legend(
            cached,
            "cached",
            palette.SUCCESS,
            field="native_tokens_cached",
            raw=raw_text(raw.get("native_tokens_cached")),
        ),
        _legend(new, "new", palette.ACCENT, field="prompt_uncached", raw=str(new)),
    )
    return Row(cells, label="Prompt", section="Tokens")


def _completion_row(gen: Generation, raw: dict[str, Any]) -> Row:
    if gen.native_tokens_completion is None:
        return _normalized_only(raw, "tokens_completion", gen.tokens_completion, "Completion")
    reasoning, visible = gen.completion_reasoning, gen.completion_visible or 0
    cells = (
        _count(raw, "native_tokens_completion", gen.native_tokens_completion),
        _bar(reasoning, visible, (REASONING, VISIBLE)),
        _legend(
            reasoning,
            "reasoning",
            palette.SECONDARY,
            field="native_tokens_reasoning",
            raw=raw_text(raw.get("native_tokens_reasoning")),
        ),
        _legend(visible, "visible", palette.ACCENT, field="completion_visible", raw=str(visible)),
    )
    return Row(cells, label="Completion")


def _normalized_only(raw: dict[str, Any], key: str, value: int | None, label: str) -> Row:
    """No native (billed) count: show OpenRouter's normalized count and say so."""
    note = "normalized count; no billed count" if value is not None else "not reported"
    return Row(
        (_count(raw, key, value), Cell(dim(note))),
        label=label,
        section="Tokens" if label == "Prompt" else None,
    )


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


def token_rows(gen: Generation, raw: dict[str, Any]) -> list[Row]:
    """Prompt and completion bars, then images / media / web rows when present."""
    rows = align_columns([_prompt_row(gen, raw), _completion_row(gen, raw)])
    for label, parts in _EXTRA_ROWS:
        row = _counts_row(gen, raw, label, parts)
        if row is not None:
            rows.append(row)
    return rows
