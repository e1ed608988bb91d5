"""A progress bar on stderr for a batch: done/total, ok/pending/failed, rate and ETA.

Shown only when stderr is a terminal (and the caller has several ids): :func:`progress_bar`
imports the drawing library (``rich.progress``, already a dependency through Textual) only
then, so ``get --json`` into a pipe never loads it. While the bar is up, lines written to
stderr (notes, waits, errors) appear above it, and so do records on stdout when stdout is
the same terminal; stdout that goes elsewhere (a pipe, a file) is left untouched.

Every figure drawn comes from :class:`inspector.app.batch.Progress`; the bar only lays it
out.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

from inspector.app.batch_text import progress_text

if TYPE_CHECKING:
    from inspector.app.batch import Progress

__all__ = ["progress_bar", "progress_text", "status_line", "wanted"]

Show = Callable[["Progress"], None]


def wanted(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (stderr by default) is a terminal a bar can be drawn on."""
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


@contextlib.contextmanager
def progress_bar(total: int, *, enabled: bool) -> Iterator[Show]:
    """Yield ``show(progress)``; draws a bar on stderr while the block runs when
    ``enabled`` (a no-op otherwise). The bar is removed when the block ends."""
    if not enabled:
        yield lambda progress: None
        return
    import rich.progress as bars
    from rich.console import Console

    console = Console(file=sys.stderr)
    bar = bars.Progress(
        bars.BarColumn(),
        bars.MofNCompleteColumn(),
        bars.TextColumn("{task.fields[figures]}", markup=False),
        console=console,
        transient=True,
        redirect_stdout=wanted(sys.stdout),
        redirect_stderr=True,
        refresh_per_second=8,
    )
    task = bar.add_task("lookups", total=total, figures="")

    def show(progress: Progress) -> None:
        bar.update(
            task, completed=progress.done, total=progress.total, figures=progress_text(progress)
        )

    with bar:
        yield show


@contextlib.contextmanager
def status_line(*, enabled: bool) -> Iterator[Callable[[str], None]]:
    """Yield ``show(text)``: one line kept at the bottom of stderr while the block runs
    (records and notes scroll above it), when ``enabled``; a no-op otherwise."""
    if not enabled:
        yield lambda text: None
        return
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    live = Live(
        Text(""),
        console=Console(file=sys.stderr),
        transient=True,
        redirect_stdout=wanted(sys.stdout),
        redirect_stderr=True,
        refresh_per_second=4,
    )

    def show(text: str) -> None:
        live.update(Text(text, no_wrap=True, overflow="ellipsis"))

    with live:
        yield show
