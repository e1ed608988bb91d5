"""Key/value sections: attribution, the remaining documented fields, and "other fields"
(keys this version does not know), each value shown as it came, cleaned for the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.content import Content

from inspector.core.models import Generation
from inspector.core.textsafe import clean
from inspector.tui.record import palette
from inspector.tui.record.rows import Cell, Row
from inspector.tui.record.values import cell, dim, raw_text, shown

__all__ = [
    "ATTRIBUTION",
    "KEY_WIDTH_MAX",
    "RAW_ACTION",
    "attribution_rows",
    "details_rows",
    "other_rows",
    "raw_json_row",
]

RAW_ACTION = "raw:toggle"
KEY_WIDTH_MAX = 28
UNSET_PER_ROW = 4

# (key, label): the order people look for them in.
ATTRIBUTION: tuple[tuple[str, str], ...] = (
    ("origin", "origin"),
    ("app_id", "app id"),
    ("external_user", "user"),
    ("user_agent", "user agent"),
    ("http_referer", "referer"),
    ("session_id", "session"),
    ("request_id", "request id"),
    ("preset_id", "preset"),
    ("workspace_id", "workspace"),
    ("data_region", "region"),
    ("router", "router"),
    ("service_tier", "tier"),
)


def _heading(title: str, note: str = "") -> Row:
    cells = (Cell(dim(note)),) if note else ()
    return Row(cells, label=title, kind="heading", section=title)


def _is_set(value: Any) -> bool:
    return value is not None and value != ""


def attribution_rows(gen: Generation, raw: dict[str, Any]) -> list[Row]:
    """Who and what made the call; the unset ones are named on one muted line."""
    rows = [_heading("Attribution")]
    unset: list[str] = []
    for key, label in ATTRIBUTION:
        value = raw.get(key)
        if _is_set(value):
            rows.append(Row((cell(raw, key),), label=label))
        else:
            unset.append(label)
    for start in range(0, len(unset), UNSET_PER_ROW):
        names = ", ".join(unset[start : start + UNSET_PER_ROW])
        lead = "not set: " if start == 0 else "         "
        rows.append(Row((Cell(dim(lead + names)),), label=""))
    return rows


def _key_value_rows(raw: dict[str, Any], keys: Iterable[str]) -> list[Row]:
    """One row per key: the key (as text, never markup) then its exact value."""
    keys = list(keys)
    width = min(max((len(clean(k)) for k in keys), default=0), KEY_WIDTH_MAX)
    rows = []
    for key in keys:
        value = raw.get(key)
        label = Cell(Content.styled(clean(key), palette.MUTED), width=width)
        content = shown(value) if _is_set(value) else dim(raw_text(value) if key in raw else "—")
        rows.append(Row((label, cell(raw, key, content)), gutter=False))
    return rows


def details_rows(raw: dict[str, Any], shown_elsewhere: Iterable[str]) -> list[Row]:
    """Every documented field not shown in another section, in schema order."""
    skip = set(shown_elsewhere) | {"provider_responses"}
    keys = [key for key in Generation.FIELDS if key not in skip]
    return [_heading("Fields", "the rest of the record"), *_key_value_rows(raw, keys)]


def other_rows(gen: Generation) -> list[Row]:
    """Keys the model does not know (newer API fields), exactly as received."""
    extra = gen.other_fields
    if not extra:
        return [_heading("Other fields", "none: every key is known")]
    noun = "key" if len(extra) == 1 else "keys"
    rows = [_heading("Other fields", f"{len(extra)} {noun} this version does not know")]
    return rows + _key_value_rows(extra, extra)


def raw_json_row() -> list[Row]:
    """The way into the raw JSON view."""
    more = Content.assemble(
        ("Raw JSON", palette.ACCENT),
        (" — Enter shows the record as received", palette.MUTED),
    )
    return [Row((Cell(more),), kind="more", action=RAW_ACTION, section="Raw JSON", gutter=False)]
