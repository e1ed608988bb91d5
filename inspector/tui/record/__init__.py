"""The record view's content: rows of selectable fields, built section by section.

Each section module turns a :class:`~inspector.core.models.Generation` (and the raw
``data`` object it came from) into :class:`~inspector.tui.record.rows.Row` objects; the
:class:`~inspector.tui.widgets.field_list.FieldList` widget draws and navigates them.
"""
