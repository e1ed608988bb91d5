"""Widgets of the inspector UI, one per module."""
