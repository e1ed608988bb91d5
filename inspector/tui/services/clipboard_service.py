"""Copying: OSC 52 through Textual (works over SSH and in tmux) and the native clipboard
tool where there is one (for terminals that ignore OSC 52), with a toast saying what was
copied. Never raises; the native tool runs in a thread worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector.core.textsafe import clean, clipboard_text

if TYPE_CHECKING:
    from textual.app import App


class ClipboardService:
    """``copy(text, what)``: put ``text`` on the clipboard and say so."""

    def __init__(self, app: App[Any], *, native: bool = True) -> None:
        self.app = app
        self.native = native

    def copy(self, text: str, what: str) -> None:
        safe, changed = clipboard_text(text)
        self.app.copy_to_clipboard(safe)
        if self.native:
            self.app.run_worker(
                lambda: _copy_native(safe), thread=True, group="clipboard", exit_on_error=False
            )
        note = " (control characters shown escaped)" if changed else ""
        self.app.notify(f"Copied {clean(what)}{note}", timeout=2, markup=False)


def _copy_native(text: str) -> None:
    from inspector.infra.clipboard import copy_native

    copy_native(text)
