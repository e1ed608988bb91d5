"""JSON from the network, read so that nothing hostile in it can hurt what comes after.

One reader for every body the API sends (records, ``/key``, error bodies):

- **depth** — a document nested deeper than :data:`MAX_DEPTH` is refused with
  :class:`JsonTooDeep` (a ``ValueError``). ``json`` itself raises ``RecursionError`` on
  ~1,000 levels; a document just under that would still break the recursive code after it
  (serialisers, SQLite's JSON functions, a tree view), so the limit is far lower than any
  real record needs (they nest four levels);
- **non-finite numbers** — ``NaN``, ``Infinity``, ``-Infinity`` and literals that overflow a
  float (``1e400``) are parsed, then replaced by ``None``: a value that is not a number is no
  value, and what this module hands out is always strict JSON (``json.dumps(...,
  allow_nan=False)`` never fails on it, ``get --json`` never prints ``Infinity``);
- **big integers** stay Python ints (``2**64`` is kept exactly); integers of more than 4,300
  digits are refused by Python itself, which surfaces as the ``ValueError`` "not JSON";
- **strings** are kept as parsed, lone surrogates (``"\\ud800"``) included: showing them is
  the front-ends' job (:mod:`inspector.core.textsafe`). An optional ``replace`` function
  rewrites every string (keys and values), which is how the client masks secrets.

Pure: no I/O. The walk is iterative, so no input can exhaust the stack.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_DEPTH", "JsonTooDeep", "load_json", "sanitize"]

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted (a real record nests four levels)."""


class JsonTooDeep(ValueError):
    """The document nests arrays/objects deeper than :data:`MAX_DEPTH`."""

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        super().__init__(f"the JSON is nested more than {limit} levels deep")
        self.limit = limit


def load_json(
    data: bytes | bytearray | str,
    *,
    replace: Callable[[str], str] | None = None,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Parse ``data`` and :func:`sanitize` the result.

    Raises ``ValueError`` for anything that is not JSON (bad syntax, bad UTF-8, an integer
    too long to convert) and :class:`JsonTooDeep` (a ``ValueError`` too) for a document
    nested too deeply, at any depth, including one deep enough to exhaust ``json``'s stack.
    """
    try:
        value = json.loads(data)
    except RecursionError:
        raise JsonTooDeep(max_depth) from None
    return sanitize(value, replace=replace, max_depth=max_depth)


def sanitize(
    value: Any, *, replace: Callable[[str], str] | None = None, max_depth: int = MAX_DEPTH
) -> Any:
    """``value`` made strict JSON: non-finite floats become ``None``, strings go through
    ``replace``, and nesting deeper than ``max_depth`` raises :class:`JsonTooDeep`.

    Containers are changed in place (the caller owns what ``json.loads`` returned); the
    value itself is returned because a top-level scalar may be replaced.
    """
    top = _scalar(value, replace)
    if not isinstance(top, dict | list):
        return top
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(top, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > max_depth:
            raise JsonTooDeep(max_depth)
        if isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, dict | list):
                    stack.append((item, depth + 1))
                elif isinstance(item, float | str):
                    container[index] = _scalar(item, replace)
            continue
        if replace is not None and any(replace(key) != key for key in container):
            items = [(replace(key), item) for key, item in container.items()]
            container.clear()
            container.update(items)
        for key, item in container.items():
            if isinstance(item, dict | list):
                stack.append((item, depth + 1))
            elif isinstance(item, float | str):
                container[key] = _scalar(item, replace)
    return top


def finite(value: Any) -> Any:
    """A copy of ``value`` with every NaN or infinite float replaced by ``None``: what strict
    JSON can say of it (the CLI's ``--json``, the history's JSONL export). Recursive: the
    caller handles ``RecursionError`` for absurdly deep values."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value


def _scalar(value: Any, replace: Callable[[str], str] | None) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if replace is not None and isinstance(value, str):
        return replace(value)
    return value
