"""Screens and modals of the inspector UI, one per module."""
