"""Values as they came and values as they are shown.

``raw_text`` gives the exact text of a value from the ``data`` object (what "copy field"
copies: ``0.0097364`` for ``total_cost``, not ``$0.0097364``). ``shown`` turns any API value
into safe display content: cleaned of control characters and never parsed as markup.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.core import formatting as fmt
from inspector.core.textsafe import clean, clean_parts
from inspector.tui.record.palette import MUTED
from inspector.tui.record.rows import Cell

if TYPE_CHECKING:
    from inspector.app.facts import Fact

__all__ = [
    "MUTED",
    "cell",
    "dim",
    "fact_cell",
    "get_path",
    "raw_text",
    "shown",
]

REPLACED_STYLE = "reverse $text-warning"
_ABSENT = object()


def raw_text(value: Any) -> str:
    """The exact text of a JSON value: strings as they are, everything else as JSON."""
    if isinstance(value, str):
        return value
    if value is _ABSENT or value is None:
        return "null"
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def get_path(raw: Any, path: tuple[str | int, ...]) -> Any:
    """``raw[path[0]][path[1]]…``, or ``None`` when any step is missing."""
    node = raw
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def shown(value: Any, style: str = "") -> Content:
    """An API value as plain display content (``—`` when missing). Control characters
    appear as ``\\x1b``-style text, marked so they cannot pass for the value's own text."""
    if value is None:
        return dim(fmt.MISSING)
    text = raw_text(value) if not isinstance(value, str) else value
    parts = clean_parts(text)
    if not any(replaced for _, replaced in parts):
        return Content.styled(clean(text), style) if style else Content(clean(text))
    return Content.assemble(
        *((piece, REPLACED_STYLE if replaced else style) for piece, replaced in parts)
    )


def dim(text: str) -> Content:
    """Our own words, muted."""
    return Content.styled(text, MUTED)


def fact_cell(fact: Fact, content: Content, raw: dict[str, Any], **layout: Any) -> Cell:
    """A selectable cell for an application-layer fact: a record field copies its exact
    value, a derived figure (true spend, throughput …) copies its number."""
    if fact.field is not None:
        return cell(raw, fact.field, content, **layout)
    return Cell(content, field=fact.key, raw=fmt.number(fact.value), **layout)


def cell(
    raw: dict[str, Any],
    key: str,
    content: Content | None = None,
    **layout: Any,
) -> Cell:
    """A selectable cell for top-level field ``key``: shows ``content`` (default: the value
    itself), copies the exact raw text."""
    value = raw.get(key)
    return Cell(
        content=content if content is not None else shown(value),
        field=key,
        raw=raw_text(value),
        **layout,
    )
