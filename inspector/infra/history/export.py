"""Writers for ``HistoryStore.export``: JSON Lines (raw records) and CSV (main figures)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO

from inspector.core import jsonsafe
from inspector.core.textsafe import clean_multiline
from inspector.infra.history.entry import HistoryEntry

CSV_FIELDS = (
    "gen_id",
    "outcome",
    "status",
    "message",
    "first_seen",
    "last_seen",
    "lookup_count",
    "created_at",
    "model",
    "provider",
    "total_cost",
    "tokens_prompt",
    "tokens_completion",
)
_TEXT_FIELDS = ("gen_id", "outcome", "message", "model", "provider")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

EntryWriter = Callable[[HistoryEntry], int]


def make_writer(fp: TextIO, fmt: str) -> EntryWriter:
    """A function writing one entry to ``fp`` in ``fmt``; it returns 1 if it wrote a row."""
    if fmt == "jsonl":
        return _jsonl_writer(fp)
    if fmt == "csv":
        return _csv_writer(fp)
    raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")


def _jsonl_writer(fp: TextIO) -> EntryWriter:
    def write(entry: HistoryEntry) -> int:
        if entry.raw is None:
            return 0
        fp.write(json_record(entry.raw) + "\n")
        return 1

    return write


def json_record(raw: dict[str, Any]) -> str:
    """One record as strict, ASCII-only JSON on one line.

    Control characters from the API arrive escaped, never raw. A NaN or Infinity (which a
    server may send and Python reads, but JSON has no way to write) becomes ``null``.
    """
    try:
        return json.dumps(raw, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except ValueError:
        pass
    try:
        finite = jsonsafe.finite(raw)
    except RecursionError:  # too deep to rewrite: keep the data, in Python's JSON dialect
        finite = raw
    return json.dumps(finite, ensure_ascii=True, separators=(",", ":"))


def _csv_writer(fp: TextIO) -> EntryWriter:
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(CSV_FIELDS)

    def write(entry: HistoryEntry) -> int:
        writer.writerow(csv_row(entry))
        return 1

    return write


def csv_row(entry: HistoryEntry) -> list[str]:
    """One CSV row: ISO 8601 UTC times, exact numbers, text made safe for spreadsheets."""
    values: dict[str, Any] = {name: getattr(entry, name) for name in CSV_FIELDS}
    row = []
    for name in CSV_FIELDS:
        value = values[name]
        if name in _TEXT_FIELDS:
            row.append(safe_cell(value))
        else:
            row.append(_plain(value))
    return row


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def safe_cell(value: str | None) -> str:
    """Text for a CSV cell: control and bidi characters shown as ``\\xNN``/``\\uNNNN``
    (line breaks kept), and a leading ``'`` before ``= + - @`` so a spreadsheet never runs
    API text as a formula."""
    if value is None:
        return ""
    text = clean_multiline(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text
