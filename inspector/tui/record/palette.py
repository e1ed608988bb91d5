"""Theme-aware styles for record content: theme variables only, so every theme works."""

from __future__ import annotations

__all__ = [
    "ACCENT",
    "BADGE_ACCENT",
    "BADGE_ERROR",
    "BADGE_MUTED",
    "BADGE_PRIMARY",
    "BADGE_SUCCESS",
    "BADGE_WARNING",
    "BOLD",
    "ERROR",
    "MUTED",
    "PRIMARY",
    "SECONDARY",
    "SUCCESS",
    "WARNING",
    "status_style",
]

ACCENT = "$text-accent"
SUCCESS = "$text-success"
WARNING = "$text-warning"
ERROR = "$text-error"
SECONDARY = "$text-secondary"
PRIMARY = "$text-primary"
MUTED = "$foreground-muted"
BOLD = "bold"

BADGE_SUCCESS = "$text-success on $success-muted"
BADGE_WARNING = "$text-warning on $warning-muted"
BADGE_ERROR = "$text-error on $error-muted"
BADGE_ACCENT = "$text-accent on $accent-muted"
BADGE_PRIMARY = "$text-primary on $primary-muted"
BADGE_MUTED = "$foreground-muted on $foreground 10%"


def status_style(status: int | None) -> str:
    """Colour of an HTTP status: 2xx success, 429 and other 4xx warning, 5xx error."""
    if status is None:
        return MUTED
    if 200 <= status < 300:
        return SUCCESS
    if 400 <= status < 500:
        return WARNING
    return ERROR
