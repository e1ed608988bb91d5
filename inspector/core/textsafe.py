"""Make text from the API safe to put on a terminal.

Strings in a generation record come from users and providers (``external_user``,
``origin``, ``user_agent`` …) and may hold anything: ANSI colour codes, an OSC sequence that
retitles the window, C1 controls, bidi overrides, lone surrogates. Nothing here interprets
them; every such character is shown as visible escape text (``\\x1b``, ``\\u202e``) so the
person sees that it is there and the terminal never acts on it. Printable text, including
markup-looking text such as ``[bold]``, is left alone: the UI renders it as plain text.
"""

from __future__ import annotations

import re

__all__ = ["clean", "clean_multiline", "clean_parts", "clipboard_text", "has_controls"]

# C0 (minus tab/newline/CR, handled apart), DEL, C1, bidi embeddings/overrides/isolates and
# marks, line/paragraph separators, and UTF-16 surrogates (which cannot be encoded at all).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_NEWLINES = re.compile("\r\n|\r|\n")
_ONE_LINE = re.compile(f"\r\n|\r|\n|\t|{_UNSAFE.pattern}")


def _visible(match: re.Match[str]) -> str:
    """The escape text of one unsafe character: ``\\x1b`` or ``\\u202e``."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _one_line(char: str) -> str:
    """What one matched character (or CRLF) becomes on a single line."""
    if char in ("\r\n", "\r", "\n"):
        return "↵"
    if char == "\t":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(value: object) -> str:
    """``str(value)`` on one line, with every control character shown as escape text.

    Newlines become ``↵`` and tabs a single space, so a value never breaks a layout row;
    ESC, C0/C1 controls, bidi controls and surrogates become ``\\x1b``-style text, which
    neutralises whole escape sequences (CSI, OSC … BEL/ST) because none can start without one.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return _ONE_LINE.sub(lambda match: _one_line(match.group()), text)


def clean_parts(value: object) -> list[tuple[str, bool]]:
    """:func:`clean` as pieces ``(text, replaced)``, so a UI can mark what was neutralised
    (``replaced`` is True for the ``\\x1b`` and ``↵`` stand-ins, False for the text)."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return [(text, False)] if text else []
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _ONE_LINE.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((_one_line(match.group()), match.group() != "\t"))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def clean_multiline(value: object, *, tab_size: int = 4) -> str:
    """Like :func:`clean` but keeps line breaks (normalised to ``\\n``) and expands tabs."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    text = _NEWLINES.sub("\n", text).expandtabs(tab_size)
    return _UNSAFE.sub(_visible, text)


def has_controls(value: object) -> bool:
    """True when :func:`clean` would change the text beyond newlines and tabs."""
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE.search(text) is not None


def clipboard_text(value: object) -> tuple[str, bool]:
    """The text that may go on the clipboard, and whether it differs from ``str(value)``.

    Every control character but newline and tab is shown as escape text, as :func:`clean`
    does (ESC becomes ``\\x1b``; C0, DEL, C1, bidi controls, line/paragraph separators and
    surrogates alike), and CR or CRLF become a plain newline. Newlines and tabs stay: they
    are what multi-line text is made of, and once ESC is escaped no copied value can hold
    ``ESC[201~``, so it cannot end a bracketed paste and have the shell run its next line.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text, False
    safe = _UNSAFE.sub(_visible, _NEWLINES.sub("\n", text))
    return safe, safe != text
