"""Read a widget's ``.tcss`` file that sits beside its module, for ``DEFAULT_CSS``.

Widgets (unlike apps and screens) have no ``CSS_PATH``; this keeps their CSS in ``.tcss``
files anyway, shipped as package data (``pyproject.toml``: ``"*" = ["*.tcss"]``).
"""

from __future__ import annotations

from pathlib import Path


def tcss_beside(module_file: str) -> str:
    """The text of ``<module>.tcss`` next to ``module_file`` (pass ``__file__``)."""
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
