"""Provider responses: one row per attempt, in order, as a waterfall of latencies, with what
each attempt's status means and how many fallbacks came before the one that served.

A record may list thousands of attempts; rows are made lazily and only the first
``PREVIEW`` are listed until the person asks for all of them (a "more" row).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.app.facts import status_words
from inspector.core import formatting as fmt
from inspector.core.textsafe import clean
from inspector.tui.record import palette
from inspector.tui.record.bars import span_bar
from inspector.tui.record.rows import Cell, ChainedRows, LazyRows, Row
from inspector.tui.record.values import dim, get_path, raw_text, shown

if TYPE_CHECKING:
    from inspector.core.models import Generation, ProviderResponse

__all__ = ["EXPAND_ACTION", "PREVIEW", "provider_rows", "status_words"]

PREVIEW = 50
EXPAND_ACTION = "providers:all"
NAME_WIDTH = 14
OUTCOME_MIN_WIDTH = 14
BAR_STYLE = palette.PRIMARY


@dataclass(frozen=True)
class _Chain:
    """The routing outcome, read once from the model (thousands of attempts are walked
    once, not once per question)."""

    count: int
    served: ProviderResponse | None
    fallbacks: int

    @classmethod
    def of(cls, gen: Generation) -> _Chain:
        return cls(len(gen.provider_responses), gen.served_by, gen.fallback_count)

    @property
    def served_index(self) -> int | None:
        return self.fallbacks if self.served is not None else None


class _Waterfall:
    """Everything a lazily made attempt row needs, computed once."""

    def __init__(
        self, gen: Generation, raw: dict[str, Any], chain: _Chain, *, labelled: bool, shown: int
    ) -> None:
        self.chain = chain
        self.labelled = labelled  # the first row carries the "Providers" label
        self.raw_list = raw.get("provider_responses")
        self.responses = gen.provider_responses
        latencies = [max(r.latency or 0.0, 0.0) for r in self.responses]
        self.starts = [0.0, *itertools.accumulate(latencies)][:-1]
        self.total = sum(latencies[:shown])  # the axis spans the attempts listed
        self.served_index = chain.served_index
        self.outcome_width = max(len(self._served_words()), OUTCOME_MIN_WIDTH)

    def _served_words(self) -> str:
        fallbacks = self.chain.fallbacks
        if fallbacks == 0:
            return "served, no fallback"
        noun = "fallback" if fallbacks == 1 else "fallbacks"
        return f"served after {fallbacks:,} {noun}"

    def _field(self, index: int, key: str, content: Content, **layout: Any) -> Cell:
        value = get_path(self.raw_list, (index, key))
        return Cell(
            content, field=f"provider_responses[{index}].{key}", raw=raw_text(value), **layout
        )

    def _outcome(self, index: int, response: ProviderResponse) -> Content:
        if index == self.served_index:
            return Content.styled(self._served_words(), palette.SUCCESS)
        return Content.styled(status_words(response.status), palette.MUTED)

    def row(self, index: int) -> Row:
        """The row of attempt ``index``: name, status, latency, bar, what happened."""
        response = self.responses[index]
        name = shown(response.provider_name) if response.provider_name else dim("unknown")
        status = response.status
        status_text = Content.styled(
            str(status) if status is not None else "—", f"bold {palette.status_style(status)}"
        )
        start, length = self.starts[index], response.latency

        def draw(width: int) -> Content:
            return span_bar(start, length or 0.0, self.total, width, BAR_STYLE)

        whole = get_path(self.raw_list, (index,))
        cells = (
            self._field(index, "provider_name", name, width=NAME_WIDTH),
            self._field(index, "status", status_text, width=3, align="right"),
            self._field(index, "latency", Content(fmt.duration_ms(length)), width=7, align="right"),
            Cell(bar=draw, min_width=5, max_width=40),
            Cell(
                self._outcome(index, response),
                field=f"provider_responses[{index}]",
                raw=raw_text(whole),
                width=self.outcome_width,
            ),
        )
        first = index == 0 and self.labelled
        label = "Providers" if first else ("" if self.labelled else f"#{index + 1}")
        return Row(cells, label=label, section="Providers" if first else None)


def _summary(chain: _Chain) -> Row:
    """``20,000 attempts · served by Fireworks after 19,999 fallbacks`` (or none served)."""
    served = chain.served
    if served is None:
        content = Content.styled(f"{chain.count:,} attempts, none served", palette.ERROR)
    else:
        name = clean(served.provider_name) if served.provider_name else "an unnamed provider"
        content = Content.assemble(
            (f"{chain.count:,} attempts · ", palette.MUTED),
            (f"served by {name} after {chain.fallbacks:,} fallbacks", palette.SUCCESS),
        )
    cell = Cell(content, field="fallback_count", raw=str(chain.fallbacks))
    return Row((cell,), label="Providers", section="Providers")


def provider_rows(gen: Generation, raw: dict[str, Any], *, show_all: bool = False) -> Sequence[Row]:
    """The attempts (the first ``PREVIEW`` unless ``show_all``), after a summary line when
    there are many or none served; a "more" row stands for the rest."""
    count = len(gen.provider_responses)
    if count == 0:
        return [Row((Cell(dim("none listed")),), label="Providers", section="Providers")]
    chain = _Chain.of(gen)
    summary = count > PREVIEW or (count > 1 and chain.served is None)
    shown_count = count if show_all else min(count, PREVIEW)
    waterfall = _Waterfall(gen, raw, chain, labelled=not summary, shown=shown_count)
    parts: list[Sequence[Row]] = [[_summary(chain)]] if summary else []
    parts.append(LazyRows(shown_count, waterfall.row))
    if shown_count < count:
        more = Content.assemble(
            (f"… {count - shown_count:,} more attempts", palette.ACCENT),
            (" — Enter to list them all", palette.MUTED),
        )
        parts.append([Row((Cell(more),), kind="more", action=EXPAND_ACTION)])
    return ChainedRows(parts)
