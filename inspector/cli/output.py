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
from inspector.core import jsonsafe
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


# What a console without these characters gets instead (cp1252, ASCII, …).
_ASCII = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "−": "-",
        "·": "-",
        "→": "->",
        "←": "<-",
        "…": "...",
        "•": "*",
        "✓": "ok",
        "✕": "x",
        "↵": "|",
        "▕": "|",
        "▏": "|",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "\u00a0": " ",
    }
)


class OutputError(Exception):
    """The output could not be written (a full disk, a device that refuses it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def degrade(text: str, encoding: str | None) -> str:
    """``text`` in characters ``encoding`` has: typographic ones become their ASCII
    stand-ins, anything else a ``?``."""
    encoding = encoding or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        plain = text.translate(_ASCII)
        try:
            return plain.encode(encoding, "replace").decode(encoding)
        except LookupError:
            return plain.encode("ascii", "replace").decode("ascii")
    return text


def _emit(stream: TextIO, line: str) -> None:
    """Write one line. A closed pipe (``| head``) ends the command quietly; any other
    failure to write becomes :class:`OutputError` (one line, exit code ``OUTPUT``)."""
    text = line + "\n"
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            stream.write(degrade(text, getattr(stream, "encoding", None)))
        stream.flush()
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        silence(stream)
        raise SystemExit(exitcodes.OK) from None
    except OSError as exc:
        silence(stream)
        raise OutputError(exc.strerror or str(exc)) from None


def silence(stream: TextIO) -> None:
    """Point ``stream``'s file descriptor at /dev/null, so the flush at exit cannot fail
    again (and print Python's own complaint)."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


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
    try:
        text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # NaN or Infinity somewhere: strict JSON has no word for them
        text = json.dumps(jsonsafe.finite(raw), ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(_escape_unsafe, text)


# ---- waits and failures ------------------------------------------------------------------


def wait_line(decision: RetryDecision) -> str:
    """``retrying in 2.0 s (attempt 2 of 5): Rate limited (429): Rate limit exceeded``."""
    return safe(decision.describe())
