"""Running a command's coroutine: a fresh event loop, Ctrl+C left to Python.

``asyncio.run`` turns the first Ctrl+C into a task cancellation and waits for the main
task to take it; here KeyboardInterrupt is raised at once, wherever the program is, every
task is then cancelled and run to the end of its cleanup (a batch records what finished),
and ``main`` reports the interruption (exit 130).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspector.app.session import Session

__all__ = ["run_in_loop", "run_with_session"]


def run_in_loop(coro: Coroutine[Any, Any, int]) -> int:
    """Run ``coro`` to its end on a new loop and return its exit code."""
    loop = asyncio.new_event_loop()
    main = loop.create_task(coro)
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            if pending:  # interrupted: let every wait and close run its cleanup
                for task in pending:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


def run_with_session(
    args: argparse.Namespace,
    work: Callable[[Session], Coroutine[Any, Any, int]],
    *,
    concurrent: bool,
) -> int:
    """Open the command's session (:func:`inspector.cli.session.open_session`), run
    ``work(session)`` on a new loop, and turn a failure to start (an unusable data folder,
    a bad base URL) into its one-line error and exit code."""
    from inspector.cli import exitcodes
    from inspector.cli.output import print_error
    from inspector.cli.session import open_session
    from inspector.core.errors import InspectorError

    try:
        with open_session(args, concurrent=concurrent) as session:
            return run_in_loop(work(session))
    except InspectorError as error:
        print_error(error.summary)
        return exitcodes.for_error(error)
