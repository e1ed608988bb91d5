"""textsafe.clean: API text can never drive the terminal, and reads as it came otherwise."""

from __future__ import annotations

import pytest

from inspector.core.textsafe import clean, clean_multiline, clean_parts, has_controls


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text", "plain text"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),  # markup stays text
        ("[bold]boom[/bold]", "[bold]boom[/bold]"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # CSI colours
        ("\x1b]0;pwned\x07title", "\\x1b]0;pwned\\x07title"),  # OSC with BEL
        ("\x1b]8;;https://x\x1b\\link", "\\x1b]8;;https://x\\x1b\\link"),  # OSC with ST
        ("\x9b2J", "\\x9b2J"),  # 8-bit CSI
        ("\x90dcs\x9c", "\\x90dcs\\x9c"),  # 8-bit DCS / ST
        ("a\x00b\x7fc", "a\\x00b\\x7fc"),
        ("abc\u202edcba", "abc\\u202edcba"),  # bidi override
        ("x\u2066y\u2069", "x\\u2066y\\u2069"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("line one\nline two\r\nthree\rfour", "line one↵line two↵three↵four"),
        ("tab\there", "tab here"),
        ("émoji 🎉 日本", "émoji 🎉 日本"),
        (12.5, "12.5"),
        (None, "None"),
    ],
)
def test_clean_neutralises_controls_and_keeps_text(raw: object, shown: str) -> None:
    assert clean(raw) == shown


def test_clean_output_holds_no_control_character_and_encodes() -> None:
    nasty = "".join(chr(c) for c in range(0x00, 0xA0)) + "\u202e\u2028\ud800\udfff"
    out = clean(nasty)
    assert all(ch.isprintable() for ch in out)
    out.encode("utf-8")  # no lone surrogate left


def test_clean_multiline_keeps_lines_and_expands_tabs() -> None:
    assert clean_multiline("a\r\nb\rc\n\td\x1b[2J") == "a\nb\nc\n    d\\x1b[2J"


def test_clean_parts_marks_what_was_replaced() -> None:
    parts = clean_parts("ok\x1b[1mbold\n")
    assert parts == [("ok", False), ("\\x1b", True), ("[1mbold", False), ("↵", True)]
    assert "".join(text for text, _ in parts) == clean("ok\x1b[1mbold\n")
    assert clean_parts("") == []
    assert clean_parts("plain") == [("plain", False)]


def test_has_controls() -> None:
    assert has_controls("a\x1bb")
    assert not has_controls("a\nb\tc [bold]")
