"""Generation ids: recognise one, mine them out of pasted text, read their embedded time.

Forms (see API.md, "Ids"):

- ``gen-<unix seconds>-<20 alphanumerics>`` (chat and completions), kind ``"chat"``;
- typed variants ``gen-<kind>-<unix>-<tail>`` for ``img``, ``tts``, ``stt``, ``vid``,
  ``dec``, ``batch`` (hex tail, timestamp optional) and ``rerank``;
- the documentation's form without a timestamp (``gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG``),
  kind ``"untimed"``: accepted with a warning, its age is unknown;
- ``req-<unix>-…`` is a *request* id: recognised and refused with an explanation.

Odd-looking ids that still start with ``gen-`` are never refused, only warned about.
Pure functions; nothing here touches the network or the disk.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

from inspector.core.errors import MalformedIdError

KNOWN_KINDS = ("img", "tts", "stt", "vid", "dec", "batch", "rerank")
TAIL_LENGTH = 20
_ALPHABET = string.ascii_letters + string.digits
# Plausible embedded times: OpenRouter launched in 2023; allow a day of clock skew ahead.
_EARLIEST = datetime(2023, 1, 1, tzinfo=UTC)
_FUTURE_SLACK_SECONDS = 86_400

# One id, matched in full after stray quotes/whitespace are stripped.
_ID_RE = re.compile(r"gen-(?:(?P<kind>[a-z]{2,10})-)?(?:(?P<ts>\d{9,11})-)?(?P<tail>[A-Za-z0-9]+)")
# Loose shape that is still accepted (with a warning): anything gen- plus id characters.
_LOOSE_RE = re.compile(r"gen-[A-Za-z0-9_-]+")
# In pasted text: not glued to a preceding word; short tails need a timestamp.
_MINE_GEN_RE = re.compile(
    r"(?<![A-Za-z0-9_-])gen-(?:[a-z]{2,10}-)?"
    r"(?:\d{9,11}-[A-Za-z0-9]{6,}|[A-Za-z0-9]{16,})(?![A-Za-z0-9_-])"
)
_REQ_RE = re.compile(r"(?<![A-Za-z0-9_-])req-\d{9,11}-[A-Za-z0-9]+(?![A-Za-z0-9_-])")
_REQ_FULL_RE = re.compile(r"req-[A-Za-z0-9_-]+")
_STRIP_CHARS = " \t\r\n\"'`<>()[]{},;.“”‘’«»"


def utc_now() -> datetime:
    """The current time, timezone-aware UTC (the default clock everywhere)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ParsedId:
    """A recognised generation id and what its text says about it."""

    id: str
    kind: str
    created: datetime | None
    warning: str | None = None

    def age_seconds(self, now: datetime | None = None) -> float | None:
        """Seconds since the embedded creation time; None when the id carries none."""
        if self.created is None:
            return None
        now = now or datetime.now(UTC)
        return (now - self.created).total_seconds()


@dataclass(frozen=True)
class Extracted:
    """What :func:`extract_ids` found: generation ids, and request ids seen beside them."""

    ids: list[ParsedId]
    request_ids: list[str]


class RequestIdError(MalformedIdError):
    """A ``req-…`` request id was given where a generation id is needed."""

    def __init__(self, request_id: str) -> None:
        super().__init__(
            f"{request_id} is a request id, not a generation id: one API request can make "
            "several generations. Use the gen-… id from the response's `id` field "
            "(or its X-Generation-Id header)."
        )
        self.request_id = request_id


def _clean(text: str) -> str:
    """Strip whitespace, quotes, brackets and trailing punctuation around one token."""
    return text.strip().strip(_STRIP_CHARS)


def _created_from(ts: str | None) -> datetime | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), tz=UTC)


def _time_warning(created: datetime | None) -> str | None:
    if created is None:
        return None
    now = datetime.now(UTC)
    if created < _EARLIEST or (created - now).total_seconds() > _FUTURE_SLACK_SECONDS:
        return f"its embedded time ({created:%Y-%m-%d %H:%M} UTC) looks wrong"
    return None


def _shape_warning(kind: str, ts: str | None, tail: str) -> str | None:
    if kind == "untimed":
        return "this id carries no timestamp (an older form), so its age is unknown"
    if kind not in ("chat", *KNOWN_KINDS):
        return f"unknown id type {kind!r}"
    if ts is None and kind != "batch":
        return "this id carries no timestamp, so its age is unknown"
    if kind == "batch":
        return None if re.fullmatch(r"[0-9a-fA-F]+", tail) else "batch ids usually end in hex"
    if len(tail) != TAIL_LENGTH:
        return f"the part after the timestamp has {len(tail)} characters, usually {TAIL_LENGTH}"
    return None


def _from_match(text: str) -> ParsedId | None:
    """Parse an already-clean candidate; None if it is not of the ``gen-`` shape at all."""
    match = _ID_RE.fullmatch(text)
    if match is None:
        if _LOOSE_RE.fullmatch(text):
            return ParsedId(text, "unknown", None, "this does not look like a usual generation id")
        return None
    ts, tail = match["ts"], match["tail"]
    kind = match["kind"] or ("chat" if ts else "untimed")
    created = _created_from(ts)
    warnings = [w for w in (_shape_warning(kind, ts, tail), _time_warning(created)) if w]
    return ParsedId(text, kind, created, "; ".join(warnings) or None)


def parse_id(text: str) -> ParsedId:
    """Recognise one generation id; stray whitespace, quotes and brackets are fine.

    Text holding exactly one id among other words (a URL, a log line) is accepted too.
    Raises :class:`RequestIdError` for a ``req-…`` id and :class:`MalformedIdError` for
    anything else that is not a generation id.
    """
    token = _clean(text)
    parsed = _from_match(token) if token else None
    if parsed is not None:
        return parsed
    if _REQ_FULL_RE.fullmatch(token):
        raise RequestIdError(token)
    found = extract_ids(text)
    if len(found.ids) == 1:
        return found.ids[0]
    if len(found.ids) > 1:
        raise MalformedIdError(f"expected one generation id, found {len(found.ids)}")
    if found.request_ids:
        raise RequestIdError(found.request_ids[0])
    shown = _describe_token(token)
    raise MalformedIdError(
        f"{shown} is not a generation id (expected gen-<unix time>-<20 letters and digits>)"
    )


def _describe_token(token: str) -> str:
    """A short, printable rendering of what the user typed, for error messages."""
    if not token:
        return "empty text"
    printable = "".join(ch if ch.isprintable() else "?" for ch in token)
    return repr(printable if len(printable) <= 60 else printable[:57] + "...")


def extract_ids(text: str) -> Extracted:
    """Mine pasted text (URLs with ``id=``/``generation_id=``, JSON, logs) for ids.

    Percent-encoded URLs are decoded first. Ids are de-duplicated, first occurrence
    first; request ids (``req-…``) are collected separately, never looked up.
    """
    if "%" in text:
        text = f"{text}\n{unquote(text)}"
    ids: dict[str, ParsedId] = {}
    for match in _MINE_GEN_RE.finditer(text):
        parsed = _from_match(match.group(0))
        if parsed is not None and parsed.id not in ids:
            ids[parsed.id] = parsed
    request_ids = list(dict.fromkeys(m.group(0) for m in _REQ_RE.finditer(text)))
    return Extracted(ids=list(ids.values()), request_ids=request_ids)


def short_id(gen_id: str) -> str:
    """A compact label: the first 6 characters of the id's tail and an ellipsis."""
    tail = gen_id.rsplit("-", 1)[-1] or gen_id
    return f"{tail[:6]}…"


def make_id(created: datetime | int, tail: str | None = None, prefix: str = "gen") -> str:
    """Build ``<prefix>-<unix seconds>-<tail>``; a random 20-character tail by default."""
    if isinstance(created, datetime):
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        seconds = int(created.timestamp())
    else:
        seconds = int(created)
    if tail is None:
        import secrets  # only tests, the server and the demo make ids

        tail = "".join(secrets.choice(_ALPHABET) for _ in range(TAIL_LENGTH))
    return f"{prefix}-{seconds}-{tail}"
