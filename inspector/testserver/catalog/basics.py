"""Helpers every catalog module uses: the shared samples, timestamps, ids, record copies."""

from __future__ import annotations

import json
import secrets
import string
import time
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from inspector.testserver.bodies import json_copy
from inspector.testserver.catalog.ids import (
    CANCELLED_ID,
    CHAT_ID,
    FALLBACK_ID,
    REASONING_CACHED_ID,
)

__all__ = [
    "SAMPLE_FILES",
    "attempt",
    "chat_like",
    "derive",
    "id_time",
    "iso",
    "new_id",
    "random_tail",
    "sample",
    "sample_record",
]


SAMPLE_FILES = {
    CHAT_ID: "generation-chat.json",
    REASONING_CACHED_ID: "generation-streamed-reasoning-cached.json",
    CANCELLED_ID: "generation-cancelled.json",
    FALLBACK_ID: "generation-fallback.json",
}

_ALNUM = string.ascii_letters + string.digits


@cache
def _read_data(name: str) -> bytes:
    return (resources.files("inspector.testserver") / "data" / name).read_bytes()


def sample(name: str) -> dict[str, Any]:
    """A fresh copy of ``data/<name>`` (e.g. ``"generation-chat.json"``) as parsed JSON."""
    loaded: dict[str, Any] = json.loads(_read_data(name))
    return loaded


def sample_record(gen_id: str) -> dict[str, Any]:
    """The ``data`` object of the shared sample with that id."""
    record: dict[str, Any] = sample(SAMPLE_FILES[gen_id])["data"]
    return record


def iso(unix: float, *, style: str = "Z") -> str:
    """``created_at`` in one of the two observed forms: ``…:05.873Z`` or ``…:05.873000+00:00``."""
    moment = datetime.fromtimestamp(unix, UTC)
    if style == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.isoformat(timespec="microseconds")


def random_tail(length: int = 20) -> str:
    """Alphanumerics like the tail of a real generation id."""
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def id_time(gen_id: str) -> int:
    """The unix seconds embedded in a ``gen-[kind-]<unix>-<tail>`` id."""
    return int(next(part for part in gen_id.split("-") if part.isdigit()))


def new_id(created: float | None = None, *, prefix: str = "gen") -> str:
    """``<prefix>-<unix>-<20 alnum>``, by default stamped now."""
    unix = int(time.time() if created is None else created)
    return f"{prefix}-{unix}-{random_tail()}"


def derive(base: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with ``changes`` applied."""
    record: dict[str, Any] = json_copy(dict(base))
    record.update(json_copy(changes))
    return record


def chat_like(gen_id: str, created: float | None = None) -> dict[str, Any]:
    """The chat sample re-stamped with ``gen_id`` (its time from the id unless given)."""
    unix = id_time(gen_id) if created is None else created
    tail = gen_id.rsplit("-", 1)[-1]
    return derive(
        sample_record(CHAT_ID),
        id=gen_id,
        created_at=iso(unix + 0.482),
        request_id=f"req-{int(unix)}-{tail[::-1]}",
    )


def attempt(
    provider: str, model: str, *, status: int | None = 200, latency: int = 500, **extra: Any
) -> dict[str, Any]:
    """One ``provider_responses`` entry (``endpoint_id`` derived from the provider and model)."""
    digest = f"{zlib.crc32(f'{provider}|{model}'.encode()):012d}"
    entry: dict[str, Any] = {
        "endpoint_id": f"7e57c0de-0000-4000-8000-{digest}",
        "is_byok": False,
        "latency": latency,
        "model_permaslug": model,
        "provider_name": provider,
        "status": status,
    }
    entry.update(extra)
    return entry
