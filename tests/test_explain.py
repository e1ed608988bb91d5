"""explain: one plain-language explanation per error class, with the next step."""

from __future__ import annotations

import pytest

from inspector.app.explain import Explanation, explain
from inspector.core.errors import (
    AuthError,
    BadRequestError,
    ConfigError,
    ForbiddenError,
    InspectorError,
    InvalidResponseError,
    MalformedIdError,
    NetworkError,
    NotFoundError,
    PaymentError,
    PendingError,
    RateLimitedError,
    UpstreamError,
)
from inspector.core.models import ErrorInfo

GEN_ID = "gen-1790000000-pPW5tzKDyYAhRh6DFzNM"


def json_info(status: int, message: str) -> ErrorInfo:
    return ErrorInfo(status=status, message=message, content_type="application/json")


def html_info(status: int, body: str) -> ErrorInfo:
    return ErrorInfo(
        status=status, content_type="text/html; charset=utf-8", body_start=body, is_json=False
    )


CASES: list[tuple[InspectorError, str, list[str], str | None]] = [
    (
        AuthError("x", info=json_info(401, "User not found.")),
        "Key rejected · 401",
        [
            "did not accept the key from the keyring (sk-or-v1-…a1b2)",
            "revoked",
            'OpenRouter said: "User not found."',
            "Enter another key",
        ],
        "enter_key",
    ),
    (
        PaymentError("x", info=json_info(402, "Insufficient credits.")),
        "Payment required · 402",
        ["credit balance is negative", "Add credits at https://openrouter.ai/settings/credits"],
        "retry",
    ),
    (
        ForbiddenError("x", info=json_info(403, "Forbidden")),
        "Forbidden · 403",
        ["belongs to another account", "key of the account"],
        "enter_key",
    ),
    (
        NotFoundError("x", info=json_info(404, "Generation not found")),
        "Not found · 404",
        [
            f"{GEN_ID} was created 41 days ago",
            "belongs to another account",
            "the request that made it failed",
            "a character of the id is wrong",
        ],
        "enter_key",
    ),
    (
        PendingError("x", age=20.0),
        "Not indexed yet · 404",
        ["not indexed yet", "created 20 s ago", "within seconds, sometimes minutes"],
        "retry",
    ),
    (
        RateLimitedError("x", info=json_info(429, "Rate limit exceeded")),
        "Rate limited · 429",
        ["limiting how fast", "Rate limit exceeded", "Wait a minute"],
        "retry",
    ),
    (
        UpstreamError("x", info=html_info(502, "<html>Bad gateway</html>")),
        "Server error · 502",
        ["failed to answer", "text/html", "<html>Bad gateway</html>", "status.openrouter.ai"],
        "retry",
    ),
    (
        InvalidResponseError(
            "the body was not JSON", info=html_info(200, "<!DOCTYPE html><p>hi</p>")
        ),
        "Unexpected answer · 200 text/html",
        [
            "did not answer with OpenRouter's JSON: it sent a web page instead",
            "Status 200, text/html; charset=utf-8",
            "Start of the body",
            "<!DOCTYPE html><p>hi</p>",
            "Check that the base URL",
        ],
        "retry",
    ),
    (
        NetworkError("timed out after 30 s", kind="timeout"),
        "Network error",
        ["did not answer in time", "timed out after 30 s", "base URL"],
        "retry",
    ),
    (
        NetworkError("Name or service not known", kind="dns"),
        "Network error",
        ["could not be resolved"],
        "retry",
    ),
    (
        BadRequestError("x", info=json_info(400, "ZodError: invalid id")),
        "Bad request · 400",
        ["malformed", "ZodError: invalid id", "Paste the whole id"],
        None,
    ),
    (
        ConfigError("Refusing to send the key over http:// to example.com"),
        "Configuration",
        ["Refusing to send the key", "--base-url"],
        None,
    ),
    (
        MalformedIdError("req-… is a request id, not a generation id"),
        "Not a generation id",
        ["request id", "Paste a generation id"],
        None,
    ),
]


@pytest.mark.parametrize(
    ("error", "title", "phrases", "action"),
    CASES,
    ids=[type(case[0]).__name__ + str(i) for i, case in enumerate(CASES)],
)
def test_explain_each_error_class(
    error: InspectorError, title: str, phrases: list[str], action: str | None
) -> None:
    found = explain(
        error,
        gen_id=GEN_ID,
        id_age=41 * 86400 + 30,
        key_source="keyring",
        key_masked="sk-or-v1-…a1b2",
        base_url="https://openrouter.example/api/v1",
    )
    if isinstance(error, PendingError):
        found = explain(error, gen_id=GEN_ID)
    assert isinstance(found, Explanation)
    assert found.title == title
    text = found.as_text()
    for phrase in phrases:
        assert phrase in text, phrase
    assert found.action == action
    assert found.cause and found.next_step


def test_no_key_is_its_own_case() -> None:
    error = AuthError("x", info=json_info(401, "No auth credentials found"))
    found = explain(error, key_source="none")
    assert found.title == "Key rejected · 401 · no key"
    assert "No API key was sent" in found.cause


def test_attempts_and_the_base_url_are_told() -> None:
    found = explain(
        NetworkError("refused", kind="connect"), attempts=5, base_url="http://127.0.0.1:9/api/v1"
    )
    assert "Tried 5 times (4 retries)." in (found.detail or "")
    assert "http://127.0.0.1:9/api/v1" in found.next_step


def test_api_text_in_explanations_is_cleaned() -> None:
    error = AuthError("x", info=json_info(401, "\x1b]0;pwned\x07nope\x9b2J"))
    text = explain(error).as_text()
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "\\x1b]0;pwned\\x07nope\\x9b2J" in text


def test_long_bodies_are_cut() -> None:
    body = "<p>" + "x" * 5000
    found = explain(InvalidResponseError("not JSON", info=html_info(502, body)))
    assert found.detail is not None and len(found.detail) < 600 and found.detail.endswith("…")


def test_unknown_errors_still_explain() -> None:
    class Strange(InspectorError):
        title = "Strange"

    found = explain(Strange("something odd"))
    assert found.title == "Strange" and "something odd" in found.cause


def test_a_body_that_is_not_json_is_quoted_once() -> None:
    body = "<!DOCTYPE html><p>Just a moment...</p>"
    found = explain(InvalidResponseError("200 Unexpected answer: x", info=html_info(200, body)))
    assert found.title == "Unexpected answer · 200 text/html"
    assert body not in found.cause and "Unexpected answer" not in found.cause
    assert found.cause.count(".") == 1  # one plain sentence
    assert found.detail is not None and found.detail.count(body) == 1
