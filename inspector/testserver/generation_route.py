"""``GET /generation?id=ID``: the record, or what the id's :class:`Scenario` scripts.

Each authorised request for an id increments that id's counter; request number *n*
(0-based) plays ``scenario.steps[n]``, later ones ``scenario.then`` (by default: the
record). An unknown id answers ``404 Generation <id> not found``; a missing or blank ``id``
a 400 in the Zod shape.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from inspector.testserver.bodies import (
    error_body,
    missing_id_message,
    not_found_body,
    rate_limit_body,
    rate_limit_headers,
    reason_phrase,
    zod_body,
)
from inspector.testserver.encoding import encode_answer
from inspector.testserver.exchange import Answer, Incoming
from inspector.testserver.steps import Step

if TYPE_CHECKING:
    from inspector.testserver.server import FakeOpenRouter


def generation(fake: FakeOpenRouter, incoming: Incoming) -> Answer:
    gen_id = incoming.query.get("id", "")
    if not gen_id.strip():
        return Answer(400, zod_body(missing_id_message()))
    return resolve(fake, gen_id, fake.next_step(gen_id), incoming)


def resolve(fake: FakeOpenRouter, gen_id: str, step: Step, incoming: Incoming) -> Answer:
    """Turn a scripted step into concrete bytes and headers, at request time."""
    headers = dict(step.headers)
    wait_headers: dict[str, str] = {}
    if step.retry_after is not None:
        wait = step.retry_after * fake.time_scale
        wait_headers = rate_limit_headers(wait, step.retry_after_style, time.time())
        headers.update(wait_headers)
    status, body = step.status, step.body
    if body is None and step.body_for is not None:
        body = step.body_for(incoming)
    if body is None:
        status, body = _default_body(fake, gen_id, step, wait_headers)
    answer = Answer(
        status,
        body,
        step.content_type,
        headers,
        step.delay,
        step.action,
        step.drip,
        step.stream,
    )
    if step.encoding is None:
        return answer
    return encode_answer(
        answer, step.encoding, force=step.force_encoding, accept=incoming.accept_encoding
    )


def _default_body(
    fake: FakeOpenRouter, gen_id: str, step: Step, wait_headers: dict[str, str]
) -> tuple[int, bytes]:
    status = step.status
    if step.action == "reset" or step.stream is not None:
        return status, b""
    if status == 200:
        record = fake.record_bytes(gen_id)
        return (200, record) if record is not None else (404, not_found_body(gen_id))
    if status == 404:
        return 404, not_found_body(gen_id)
    if status == 429:
        reset_style = step.retry_after_style == "reset-ms"
        return 429, rate_limit_body(wait_headers if reset_style else None)
    return status, error_body(status, reason_phrase(status))
