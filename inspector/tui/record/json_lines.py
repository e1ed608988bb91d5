"""Pretty-printed JSON (``json.dumps(value, indent=2)``) made line by line, on demand.

A record with 20,000 provider responses is 160,000 lines of JSON; formatting all of it up
front takes a third of a second of pure-Python work. Here the lines of big lists inside the
top-level object are made only when asked for, item by item, and the result is identical
to ``json.dumps(value, indent=2, ensure_ascii=False).split("\\n")``.
"""

from __future__ import annotations

import bisect
import itertools
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, overload

__all__ = ["LAZY_LIST_LENGTH", "JsonLines"]

LAZY_LIST_LENGTH = 200  # lists at least this long are formatted item by item
INDENT = 2


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=INDENT, ensure_ascii=False)


def _line_count(item: Any) -> int:
    """How many lines ``_dumps(item)`` has; cheap for scalars and flat objects (an empty
    list or object is one line, ``[]`` / ``{}``)."""
    if not isinstance(item, dict | list) or not item:
        return 1
    if isinstance(item, dict):
        for value in item.values():
            if isinstance(value, dict | list) and value:
                break
        else:
            return len(item) + 2
    return _dumps(item).count("\n") + 1


class _Block:
    """A run of lines: ``count`` of them, line ``i`` made by ``line(i)``. Lazy blocks have
    a ``width`` estimated from a sample of their items."""

    def __init__(self, count: int, line: Callable[[int], str], width: int | None = None) -> None:
        self.count = count
        self.line = line
        self.width = (
            width if width is not None else max((len(line(i)) for i in range(count)), default=0)
        )


def _eager(lines: list[str]) -> _Block:
    return _Block(len(lines), lines.__getitem__)


def _lazy_list(items: list[Any]) -> _Block:
    """The items of a long list, each indented two levels, made when needed."""
    counts = [_line_count(item) for item in items]
    starts = [0, *itertools.accumulate(counts)]
    pad = " " * (2 * INDENT)
    last = len(items) - 1

    @lru_cache(maxsize=256)
    def item_lines(index: int) -> list[str]:
        lines = [pad + line for line in _dumps(items[index]).split("\n")]
        if index != last:
            lines[-1] += ","
        return lines

    def line(i: int) -> str:
        index = bisect.bisect_right(starts, i) - 1
        return item_lines(index)[i - starts[index]]

    sample = {*range(min(len(items), 50)), last}
    width = max(len(line) for index in sample for line in item_lines(index))
    return _Block(starts[-1], line, width)


def _member_blocks(key: str, value: Any, last: bool) -> list[_Block]:
    comma = "" if last else ","
    if isinstance(value, list) and len(value) >= LAZY_LIST_LENGTH:
        head = " " * INDENT + json.dumps(key, ensure_ascii=False) + ": ["
        tail = " " * INDENT + "]" + comma
        return [_eager([head]), _lazy_list(value), _eager([tail])]
    lines = _dumps({key: value}).split("\n")[1:-1]
    lines[-1] += comma
    return [_eager(lines)]


class JsonLines(Sequence[str]):
    """The lines of ``json.dumps(value, indent=2, ensure_ascii=False)``, made lazily."""

    def __init__(self, value: Any) -> None:
        blocks: list[_Block] = []
        if isinstance(value, dict) and value:
            blocks.append(_eager(["{"]))
            keys = list(value)
            for position, key in enumerate(keys):
                blocks += _member_blocks(str(key), value[key], position == len(keys) - 1)
            blocks.append(_eager(["}"]))
        else:
            blocks.append(_eager(_dumps(value).split("\n")))
        self._blocks = [block for block in blocks if block.count]
        self._starts = [0, *itertools.accumulate(block.count for block in self._blocks)]
        self.width = max((block.width for block in self._blocks), default=0)
        """The longest line (estimated from a sample inside long lists)."""

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        block = bisect.bisect_right(self._starts, index) - 1
        return self._blocks[block].line(index - self._starts[block])
