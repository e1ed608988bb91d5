"""Plain-language explanations of lookup failures: what happened, why, what to do next.

One explanation per error class, shared by the TUI error widget and the CLI. The texts do
not name keys of either interface; :attr:`Explanation.action` tells the interface which of
its own commands fits ("enter_key", "retry") so it can offer it. Text from the API inside
an explanation has passed through :func:`inspector.core.textsafe.clean`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inspector.core import formatting as fmt
from inspector.core.errors import (
    AuthError,
    BadRequestError,
    ConfigError,
    ForbiddenError,
    FutureIdError,
    InspectorError,
    InvalidResponseError,
    LookupCancelled,
    MalformedIdError,
    MissingKeyError,
    NetworkError,
    NotFoundError,
    PaymentError,
    PendingError,
    RateLimitedError,
    UpstreamError,
)
from inspector.core.textsafe import clean, clean_multiline

__all__ = ["BODY_PREVIEW_CHARS", "Explanation", "explain"]

BODY_PREVIEW_CHARS = 240
CREDITS_URL = "https://openrouter.ai/settings/credits"
STATUS_URL = "https://status.openrouter.ai"


@dataclass(frozen=True)
class Explanation:
    """A failure in words. ``title`` is short ("Key rejected · 401"); ``cause`` says what
    happened and why; ``next_step`` what to do; ``detail`` holds evidence (the server's
    message, content type, start of the body, attempts) or None."""

    title: str
    cause: str
    next_step: str
    detail: str | None = None
    action: str | None = None  # "enter_key" | "retry" | None: the command that fits

    def one_line(self) -> str:
        """Title, cause and next step on one line (the CLI's error line)."""
        return " ".join(f"{self.title}: {self.cause} → {self.next_step}".split())

    def as_text(self) -> str:
        """The whole explanation as plain text, for copying or printing."""
        parts = [self.title, "", self.cause]
        if self.detail:
            parts += ["", self.detail]
        parts += ["", self.next_step]
        return "\n".join(parts)


@dataclass(frozen=True)
class _Context:
    gen_id: str | None
    id_age: float | None
    key_source: str | None
    key_masked: str | None
    attempts: int
    base_url: str | None


def _title(error: InspectorError, extra: str = "") -> str:
    status = f" · {error.status}" if error.status is not None else ""
    return f"{error.title}{status}{extra}"


def _server_message(error: InspectorError) -> str | None:
    """The API's own message, cleaned, or None when it gave none."""
    info = error.info
    if info is not None and info.message:
        return clean(info.message)
    return None


def _quoted(error: InspectorError, lead: str) -> str | None:
    message = _server_message(error)
    return f'{lead}: "{message}"' if message else None


def _attempts_note(ctx: _Context) -> str | None:
    if ctx.attempts <= 1:
        return None
    retries = ctx.attempts - 1
    return f"Tried {ctx.attempts} times ({retries} {'retry' if retries == 1 else 'retries'})."


def _join(*parts: str | None) -> str | None:
    kept = [part for part in parts if part]
    return "\n".join(kept) if kept else None


def _id_words(ctx: _Context) -> str:
    return clean(ctx.gen_id) if ctx.gen_id else "This id"


def _key_words(ctx: _Context) -> str:
    where = {
        "environment": "the key from OPENROUTER_API_KEY",
        "keyring": "the key from the keyring",
        "session": "the key entered for this session",
    }.get(ctx.key_source or "", "the key")
    return f"{where} ({ctx.key_masked})" if ctx.key_masked else where


def _auth(error: InspectorError, ctx: _Context) -> Explanation:
    message = _server_message(error) or ""
    no_key = ctx.key_source == "none" or "no auth credentials" in message.lower()
    if no_key:
        return Explanation(
            title=_title(error, " · no key"),
            cause="No API key was sent, so OpenRouter cannot say whose generation this is.",
            next_step="Enter an OpenRouter API key (any key of the account that made the call).",
            detail=_quoted(error, "OpenRouter said"),
            action="enter_key",
        )
    return Explanation(
        title=_title(error),
        cause=f"OpenRouter did not accept {_key_words(ctx)}. "
        "It may have been revoked, deleted or mistyped.",
        next_step="Enter another key (any key of the account that made the call).",
        detail=_quoted(error, "OpenRouter said"),
        action="enter_key",
    )


def _missing_key(error: InspectorError, ctx: _Context) -> Explanation:
    problem = getattr(error, "problem", None)
    why = f" (the keyring could not be used: {clean(problem)})" if problem else ""
    return Explanation(
        title=error.title,
        cause=f"No API key was found in OPENROUTER_API_KEY or the keyring{why}, so nothing "
        "was sent.",
        next_step="Enter an OpenRouter API key (any key of the account that made the call).",
        action="enter_key",
    )


def _cancelled(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title="Lookup cancelled",
        cause=f"You stopped the lookup of {_id_words(ctx)}; nothing was recorded.",
        next_step="Try again when you are ready.",
        action="retry",
    )


def _future(error: InspectorError, ctx: _Context) -> Explanation:
    ahead = -(getattr(error, "age", None) or 0.0)
    return Explanation(
        title=_title(error),
        cause=f"{_id_words(ctx)} carries a creation time {fmt.age(ahead)} in the future, so "
        "it cannot be a generation that is merely not indexed yet: it was not polled. Usually "
        "a digit of the id is wrong, or this machine's clock is off.",
        next_step="Check the id against where you copied it from, and this machine's clock.",
        detail=_quoted(error, "OpenRouter said"),
    )


def _payment(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause="OpenRouter refused to answer because the account's credit balance is negative.",
        next_step=f"Add credits at {CREDITS_URL}, then look the id up again.",
        detail=_quoted(error, "OpenRouter said"),
        action="retry",
    )


def _forbidden(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause=f"{_id_words(ctx)} exists but belongs to another account: "
        f"{_key_words(ctx)} may not read it.",
        next_step="Look it up with a key of the account (or workspace) that made the call.",
        detail=_quoted(error, "OpenRouter said"),
        action="enter_key",
    )


def _not_found(error: InspectorError, ctx: _Context) -> Explanation:
    created = (
        f"{_id_words(ctx)} was created {fmt.relative_age(ctx.id_age)}"
        if ctx.id_age is not None
        else _id_words(ctx)
    )
    return Explanation(
        title=_title(error),
        cause=f"{created} and OpenRouter has no record of it for this key. Usually: it "
        "belongs to another account, the request that made it failed (failed requests "
        "never get a record), or a character of the id is wrong.",
        next_step="Check the id against where you copied it from, or try the key of the "
        "account that made the call.",
        detail=_join(_quoted(error, "OpenRouter said"), _attempts_note(ctx)),
        action="enter_key",
    )


def _pending(error: InspectorError, ctx: _Context) -> Explanation:
    age = ctx.id_age if ctx.id_age is not None else getattr(error, "age", None)
    created = f" It was created {fmt.relative_age(age)}." if age is not None else ""
    return Explanation(
        title=_title(error),
        cause=f"{_id_words(ctx)} is not indexed yet.{created} OpenRouter publishes a "
        "generation's stats shortly after the call completes: usually within seconds, "
        "sometimes minutes. Ids of failed requests never appear.",
        next_step="Check again in a minute. If it is still missing after an hour, the "
        "request most likely failed.",
        detail=_attempts_note(ctx),
        action="retry",
    )


def _rate_limited(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause="OpenRouter is limiting how fast this key may make requests.",
        next_step="Wait a minute, then try again.",
        detail=_join(_quoted(error, "OpenRouter said"), _attempts_note(ctx)),
        action="retry",
    )


def _upstream(error: InspectorError, ctx: _Context) -> Explanation:
    info = error.info
    body = _body_preview(error) if info is not None and not info.is_json else None
    return Explanation(
        title=_title(error),
        cause="OpenRouter (or the network edge in front of it) failed to answer. This is "
        "on their side and usually passes.",
        next_step=f"Try again shortly; {STATUS_URL} shows incidents.",
        detail=_join(_quoted(error, "OpenRouter said"), body, _attempts_note(ctx)),
        action="retry",
    )


def _body_preview(error: InspectorError) -> str | None:
    info = error.info
    if info is None:
        return None
    kind = clean(info.content_type) if info.content_type else "no content type"
    start = clean_multiline(info.body_start[:BODY_PREVIEW_CHARS]).strip()
    more = "…" if len(info.body_start) > BODY_PREVIEW_CHARS else ""
    body = "\n".join(f"  {line}" for line in start.splitlines()[:6]) if start else "  (empty)"
    return f"Status {info.status}, {kind}. Start of the body:\n{body}{more}"


def _invalid_cause(error: InspectorError) -> str:
    """One plain sentence; the body itself is shown once, in the detail."""
    info = error.info
    kind = clean(info.content_type).split(";")[0].strip() if info and info.content_type else ""
    if "`data`" in error.summary or "json" in kind:
        return (
            "The server answered with JSON, but not OpenRouter's: there is no `data` object "
            "holding the generation."
        )
    if "html" in kind:
        return (
            "The server did not answer with OpenRouter's JSON: it sent a web page instead, "
            'often a proxy, captive portal or "please wait" page.'
        )
    sent = f"a {kind} body" if kind else "a body without a content type"
    return f"The server did not answer with OpenRouter's JSON: it sent {sent} instead."


def _invalid(error: InspectorError, ctx: _Context) -> Explanation:
    info = error.info
    extra = f" {clean(info.content_type).split(';')[0]}" if info and info.content_type else ""
    where = f" ({clean(ctx.base_url)})" if ctx.base_url else ""
    return Explanation(
        title=_title(error, extra),
        cause=_invalid_cause(error),
        next_step=f"Check that the base URL{where} points at OpenRouter's API "
        "(https://openrouter.ai/api/v1); if it does, the service is having trouble: "
        "try again later.",
        detail=_join(_body_preview(error), _attempts_note(ctx)),
        action="retry",
    )


_NETWORK_CAUSES = {
    "dns": "The host name of the API could not be resolved.",
    "connect": "No connection could be made to the API.",
    "timeout": "The API did not answer in time.",
    "reset": "The connection broke before the whole answer arrived.",
    "tls": "The secure connection to the API could not be set up.",
}


def _network(error: InspectorError, ctx: _Context) -> Explanation:
    kind = getattr(error, "kind", "network")
    where = f" ({clean(ctx.base_url)})" if ctx.base_url else ""
    return Explanation(
        title=_title(error),
        cause=_NETWORK_CAUSES.get(kind, "The request did not get a complete answer."),
        next_step=f"Check your connection and the base URL{where} "
        "(--base-url or OPENROUTER_BASE_URL), then try again.",
        detail=_join(clean(error.summary), _attempts_note(ctx)),
        action="retry",
    )


def _bad_request(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause="OpenRouter rejected the request as malformed, most likely because the id is "
        "incomplete or has a stray character.",
        next_step="Paste the whole id (gen-…) again, exactly as it was returned.",
        detail=_quoted(error, "OpenRouter said"),
    )


def _config(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause=clean(error.summary),
        next_step="Fix the setting (--base-url, OPENROUTER_BASE_URL, OPENROUTER_API_KEY) "
        "and try again.",
    )


def _malformed(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause=clean(error.summary),
        next_step="Paste a generation id such as gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe; any "
        "text that holds one works too.",
    )


def _generic(error: InspectorError, ctx: _Context) -> Explanation:
    return Explanation(
        title=_title(error),
        cause=clean(error.summary) or "The lookup failed.",
        next_step="Try again; if it keeps failing, copy this message into a bug report.",
        detail=_join(_quoted(error, "The server said"), _attempts_note(ctx)),
        action="retry",
    )


# Most specific first: PendingError and NotFoundError share 404, several share ApiError.
_Explainer = Callable[[InspectorError, _Context], Explanation]
_EXPLAINERS: tuple[tuple[type[InspectorError], _Explainer], ...] = (
    (MissingKeyError, _missing_key),
    (LookupCancelled, _cancelled),
    (FutureIdError, _future),
    (AuthError, _auth),
    (PaymentError, _payment),
    (ForbiddenError, _forbidden),
    (PendingError, _pending),
    (NotFoundError, _not_found),
    (RateLimitedError, _rate_limited),
    (InvalidResponseError, _invalid),
    (UpstreamError, _upstream),
    (NetworkError, _network),
    (BadRequestError, _bad_request),
    (ConfigError, _config),
    (MalformedIdError, _malformed),
)


def explain(
    error: InspectorError,
    *,
    gen_id: str | None = None,
    id_age: float | None = None,
    key_source: str | None = None,
    key_masked: str | None = None,
    attempts: int = 1,
    base_url: str | None = None,
) -> Explanation:
    """Explain ``error`` in plain words.

    ``gen_id`` and ``id_age`` (seconds) name the generation; ``key_source`` ("environment",
    "keyring", "session", "none") and ``key_masked`` say which key was used (never the key
    itself); ``attempts`` is how many requests were made; ``base_url`` where they went.
    """
    ctx = _Context(gen_id, id_age, key_source, key_masked, max(attempts, 1), base_url)
    for cls, explainer in _EXPLAINERS:
        if isinstance(error, cls):
            return explainer(error, ctx)
    return _generic(error, ctx)
