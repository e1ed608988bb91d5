"""Failure messages made safe to keep: nothing key-shaped, no ``user_id``, bounded length."""

from __future__ import annotations

import re

from inspector.infra.history.values import storable_text

MESSAGE_LIMIT = 2000  # characters of a failure message that are kept

_KEY_SHAPED = re.compile(r"sk-or-[A-Za-z0-9_\-]+|(?i:bearer)\s+\S+")
_USER_ID = re.compile(r"(\"?user_id\"?\s*[:=]\s*\"?)[^\s\",}]+|\buser_[A-Za-z0-9]{16,}\b")


def scrub_message(message: str | None) -> str | None:
    """A failure message safe to keep: nothing key-shaped, no ``user_id``, bounded length."""
    if message is None:
        return None
    text = _KEY_SHAPED.sub("[redacted]", storable_text(str(message)))
    text = _USER_ID.sub(lambda m: (m.group(1) or "") + "[redacted]", text)
    return text[:MESSAGE_LIMIT]
