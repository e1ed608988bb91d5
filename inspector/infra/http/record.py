"""What a successful call hands out: :class:`FetchResult` (a record), :class:`KeyInfo`, and
:func:`read_data_object`, the one reader of a 200's ``data`` object.

The models are imported only when a ``Generation`` is asked for, so ``get --json`` never
pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inspector.core.errors import InvalidResponseError
from inspector.core.jsonsafe import JsonTooDeep, load_json
from inspector.core.retry import error_detail
from inspector.infra.http.errors import Answer, error_info
from inspector.infra.http.redact import Redactor

if TYPE_CHECKING:
    from inspector.core.models import Generation

__all__ = ["FetchResult", "KeyInfo", "read_data_list", "read_data_object"]


class FetchResult:
    """A successful lookup: the parsed ``generation`` and the ``data`` object as received
    (strict JSON, secrets masked: see :func:`read_data_object`).

    Behaves as a frozen dataclass with fields ``generation`` and ``raw``. The
    ``Generation`` model is built on first access, so callers that only need ``raw``
    (``get --json``) never import the models.
    """

    __slots__ = ("_generation", "raw")
    raw: dict[str, Any]
    _generation: Generation | None

    def __init__(self, generation: Generation | None = None, raw: dict[str, Any] | None = None):
        if generation is None and raw is None:
            raise TypeError("FetchResult needs a generation or the raw data object")
        if raw is None:
            assert generation is not None
            raw = generation.to_api()
        object.__setattr__(self, "raw", raw)
        object.__setattr__(self, "_generation", generation)

    @property
    def generation(self) -> Generation:
        """The permissive model of ``raw`` (parsed once, on first use)."""
        generation: Generation | None = self._generation
        if generation is None:
            from inspector.core.models import Generation

            generation = Generation.from_api(self.raw)
            object.__setattr__(self, "_generation", generation)
        return generation

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"FetchResult is frozen; cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FetchResult) and other.raw == self.raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FetchResult(id={self.raw.get('id')!r}, fields={len(self.raw)})"


@dataclass(frozen=True)
class KeyInfo:
    """What ``GET /key`` says about the current key (``raw`` holds everything it said)."""

    label: str | None
    limit: float | None
    limit_remaining: float | None
    usage: float | None
    is_free_tier: bool | None
    raw: dict[str, Any] = field(repr=False)


def read_data_object(answer: Answer, redactor: Redactor | None = None) -> dict[str, Any]:
    """The ``data`` object of a 200 answer, or :class:`InvalidResponseError`.

    The object is strict JSON (non-finite numbers are ``None``; see
    :mod:`inspector.core.jsonsafe`) and every string in it, keys included, has the
    ``redactor``'s secrets masked. Any bytes at all give one or the other.
    """
    data: dict[str, Any] = _read_data(answer, redactor, dict)
    return data


def read_data_list(answer: Answer, redactor: Redactor | None = None) -> list[Any]:
    """The ``data`` list of a 200 answer (``GET /models``), as :func:`read_data_object`."""
    data: list[Any] = _read_data(answer, redactor, list)
    return data


def _read_data(answer: Answer, redactor: Redactor | None, kind: type) -> Any:
    redactor = redactor or Redactor(None)
    replace = redactor.text if redactor else None
    try:
        payload = load_json(answer.body, replace=replace)
    except JsonTooDeep as exc:
        payload, problem = None, f"the body is JSON nested more than {exc.limit} levels deep"
    except ValueError:
        payload, problem = None, "the body is not JSON"
    else:
        problem = f"the body is JSON without a `data` {'list' if kind is list else 'object'}"
    if isinstance(payload, dict) and isinstance(payload.get("data"), kind):
        return payload["data"]
    info = error_info(answer, redactor, as_text=True)
    summary = f"{answer.status} Unexpected answer: {problem} ({error_detail(info)})"
    raise InvalidResponseError(redactor.text(summary), info=info)
