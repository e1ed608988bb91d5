"""What the command line prints: one-line errors and notes, wait announcements, summaries.

Everything that comes from the API goes through :func:`safe` (control characters and
escape sequences shown as visible text, never sent raw to the terminal). JSON output keeps
the data exactly, but escapes the characters a terminal could act on.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

from inspector.cli import exitcodes
from inspector.core.textsafe import clean

if TYPE_CHECKING:
    from inspector.core.retry import RetryDecision

PROG = "orinspect"
# Characters json.dumps(ensure_ascii=False) lets through that a terminal may act on or that
# cannot be encoded: DEL, C1 controls, bidi controls, line separators, lone surrogates.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def safe(value: object) -> str:
    """A value on one line, with every control character shown as visible escape text."""
    return clean(value)


def _emit(stream: TextIO, line: str) -> None:
    try:
        stream.write(line + "\n")
        stream.flush()
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        raise SystemExit(exitcodes.OK) from None


def print_error(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr: ``orinspect: error: …``."""
    _emit(stream or sys.stderr, f"{PROG}: error: {safe(message)}")


def print_note(message: str, stream: TextIO | None = None) -> None:
    """One informational line on stderr (warnings about odd ids, history notices)."""
    _emit(stream or sys.stderr, f"{PROG}: note: {safe(message)}")


def print_wait(decision: RetryDecision, prefix: str = "", stream: TextIO | None = None) -> None:
    """One line on stderr announcing a wait, before it starts."""
    _emit(stream or sys.stderr, f"{prefix}{wait_line(decision)}")


def print_line(text: str, stream: TextIO | None = None) -> None:
    """A line of normal output (stdout by default)."""
    _emit(stream or sys.stdout, text)


# ---- JSON ------------------------------------------------------------------------------


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_line(raw: dict[str, Any]) -> str:
    """The ``data`` object as received, compact, on one line, terminal-safe.

    Key order, unknown keys and value types are kept; characters a terminal could act on
    (they can only occur inside JSON strings) are written as ``\\uXXXX`` escapes.
    """
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(_escape_unsafe, text)


# ---- waits and failures ------------------------------------------------------------------


def wait_line(decision: RetryDecision) -> str:
    """``retrying in 2.0 s (attempt 2 of 5): Rate limited (429): Rate limit exceeded``."""
    return safe(decision.describe())
