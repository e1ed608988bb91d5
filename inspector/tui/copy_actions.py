"""The copy actions of the app: what ``c``, ``y``, ``C`` and ``m`` put on the clipboard.

Each says what it copied (the clipboard service's toast); none copies anything but what
its footer hint names: ``c`` is "copy field" over the fields, "copy JSON" over the raw
JSON, "copy error" on an error.
"""

from __future__ import annotations

from inspector.tui.app_base import AppBase
from inspector.tui.keymap import key_display

__all__ = ["CopyActions"]


class CopyActions(AppBase):
    """``action_copy_*`` of the app."""

    def action_copy_field(self) -> None:
        field = self.detail.focused_field()
        if field is None:
            down, copy = key_display(self, "list.down"), key_display(self, "app.copy")
            self.notify(
                f"Move to a field first ({down}), then press {copy}",
                severity="warning",
                markup=False,
            )
            return
        name, value = field
        self.clipboard_service.copy(value, name)

    def action_copy_raw(self) -> None:
        """``c`` over the raw JSON: the whole JSON, as shown."""
        self.action_copy_json()

    def action_copy_id(self) -> None:
        if self.state.gen_id:
            self.clipboard_service.copy(self.state.gen_id, "generation id")

    def action_copy_json(self) -> None:
        record = self.state.record
        if record is not None:
            from inspector.tui.widgets.raw_json_view import pretty_json

            self.clipboard_service.copy(pretty_json(record.raw), "raw JSON")

    def action_copy_summary(self) -> None:
        from inspector.app.summary import markdown_summary

        record = self.state.record
        if record is not None:
            self.clipboard_service.copy(
                markdown_summary(record.generation, record.raw, bill=record.bill),
                "Markdown summary",
            )

    def action_copy_error(self) -> None:
        text = self.detail.error_text()
        if text:
            self.clipboard_service.copy(text, "error message")
