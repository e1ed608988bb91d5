"""Which route answers a path, and the answers given before any route runs (401, 429)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from inspector.testserver import generation_route, key_route, models_route
from inspector.testserver.bodies import JSON_TYPE, error_body, rate_limit_body, rate_limit_headers
from inspector.testserver.exchange import Answer, Incoming
from inspector.testserver.storm import RateLimitStorm

if TYPE_CHECKING:
    from inspector.testserver.server import FakeOpenRouter

Route = Callable[["FakeOpenRouter", Incoming], Answer]
# path under /api/v1 -> (route, answers without a key)
ROUTES: dict[str, tuple[Route, bool]] = {
    "/generation": (generation_route.generation, False),
    "/key": (key_route.key, False),
    "/auth/key": (key_route.key, False),
    "/models": (models_route.models_list, True),
}


def find_route(sub: str) -> tuple[Route, bool] | None:
    """The route for ``sub`` (the path under /api/v1), and whether it answers without a key."""
    if sub in ROUTES:
        return ROUTES[sub]
    parts = sub.split("/")
    if len(parts) == 5 and parts[1] == "models" and parts[4] == "endpoints" and all(parts[2:4]):
        model_id = f"{unquote(parts[2])}/{unquote(parts[3])}"

        def endpoints(fake: FakeOpenRouter, incoming: Incoming) -> Answer:
            return models_route.endpoints(fake, incoming, model_id)

        return endpoints, True
    return None


def bearer(auth: str | None) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None for anything else."""
    scheme, _, token = (auth or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def unauthorized(auth: str | None) -> Answer:
    if bearer(auth) is not None:
        return Answer(401, error_body(401, "User not found."))
    return Answer(401, error_body(401, "No auth credentials found"))


def storm_answer(storm: RateLimitStorm, at: float) -> Answer | None:
    """The storm's 429 for a request that arrived at ``at``, or None to let it through."""
    wait = storm.check(at)
    if wait is None:
        return None
    headers = rate_limit_headers(wait, storm.style, time.time())
    body = rate_limit_body(headers if storm.style == "reset-ms" else None)
    return Answer(429, body, JSON_TYPE, headers)
