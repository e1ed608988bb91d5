"""Running a command's coroutine: a fresh event loop, Ctrl+C left to Python.

``asyncio.run`` turns the first Ctrl+C into a task cancellation, which cannot interrupt
the blocking transport's socket read; here KeyboardInterrupt is raised at once, wherever
the program is, every task is then cancelled and run to the end of its cleanup (a batch
records what finished), and ``main`` reports the interruption (exit 130).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

__all__ = ["run_in_loop"]


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
