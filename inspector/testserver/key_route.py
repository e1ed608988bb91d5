"""``GET /key`` (and the older alias ``/auth/key``): what the key is allowed, never the key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector.testserver.bodies import json_bytes
from inspector.testserver.exchange import Answer, Incoming

if TYPE_CHECKING:
    from inspector.testserver.server import FakeOpenRouter


def default_key_info() -> dict[str, Any]:
    """What ``GET /key`` answers for the test key (the shape of the real ``data``)."""
    return {
        "label": "sk-or-v1-fak...a1b2",
        "limit": 25.0,
        "limit_remaining": 18.7514,
        "limit_reset": None,
        "include_byok_in_limit": False,
        "usage": 6.2486,
        "usage_daily": 0.0412,
        "usage_weekly": 1.2093,
        "usage_monthly": 6.2486,
        "byok_usage": 0,
        "byok_usage_daily": 0,
        "byok_usage_weekly": 0,
        "byok_usage_monthly": 0,
        "is_free_tier": False,
        "is_provisioning_key": False,
        "rate_limit": {"requests": -1, "interval": "10s", "note": "deprecated"},
        "expires_at": None,
    }


def key(fake: FakeOpenRouter, incoming: Incoming) -> Answer:
    return Answer(200, json_bytes({"data": fake.key_info_copy()}))
