"""The top bar: the app's name, a "demo" badge, and which key is in use (always masked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from inspector.infra.config import APP_NAME
from inspector.tui.keymap import key_display
from inspector.tui.widgets.stylesheet import tcss_beside

if TYPE_CHECKING:
    from inspector.infra.keystore import ResolvedKey


class KeyStatus(Horizontal):
    """``orinspect  demo            key: keyring ✓  sk-or-v1-…a1b2``."""

    DEFAULT_CSS = tcss_beside(__file__)

    def __init__(self, *, demo: bool = False) -> None:
        super().__init__()
        self._demo = demo

    def compose(self) -> ComposeResult:
        yield Static(APP_NAME, id="app-name")
        if self._demo:
            yield Static(" demo ", id="demo-badge")
        yield Static(id="key-text")

    def on_mount(self) -> None:
        self.show_checking()

    def show_checking(self) -> None:
        self._set(Text("key: checking…", style="dim"), "-checking")

    def show_key(self, resolved: ResolvedKey) -> None:
        """Where the key came from and its masked form; a plain warning when there is none."""
        if resolved.key is None:
            text = Text.assemble(("key: none ✕", "bold"), (f"  {self._key()} to enter one", "dim"))
            self._set(text, "-missing")
            return
        source = "demo" if self._demo else resolved.source
        text = Text.assemble(
            ("key: ", "dim"), (source, ""), (" ✓", "bold"), "   ", (resolved.masked, "")
        )
        self._set(text, "-ok")

    def show_rejected(self, resolved: ResolvedKey) -> None:
        """OpenRouter answered 401 for this key: say so until another key is in use."""
        source = "demo" if self._demo else resolved.source
        hint = "" if self._demo else f"  {self._key()} to enter another"
        text = Text.assemble(
            ("key: ", "dim"),
            (source, ""),
            (" ✕ rejected", "bold"),
            "   ",
            (resolved.masked, ""),
            (hint, "dim"),
        )
        self._set(text, "-rejected")

    def _key(self) -> str:
        """The key of the key prompt, as mapped now."""
        return key_display(self.app, "app.api_key")

    def _set(self, text: Text, state: str) -> None:
        key_text = self.query_one("#key-text", Static)
        key_text.update(text)
        key_text.set_classes(state)
