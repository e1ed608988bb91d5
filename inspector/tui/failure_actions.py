"""How the app meets its own failures: a crashed worker becomes a message the person can
read, a failure while closing does not stop the exit, and a crash prints one line.
"""

from __future__ import annotations

import os

from textual.worker import Worker, WorkerState

from inspector.core.textsafe import clean
from inspector.infra import config
from inspector.tui.app_base import AppBase
from inspector.tui.lookups import WorkerCrashed

__all__ = ["FailureActions"]


class FailureActions(AppBase):
    """Crashed workers, errors while closing, the one-line crash report."""

    _lookup: Worker[None] | None = None
    """The lookup worker in flight (the app sets it with each lookup)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a crashed worker becomes something the person can read."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error or RuntimeError("unknown failure")
        parsed = self.state.parsed
        if event.worker is self._lookup and parsed is not None:
            from inspector.app.lookup import Failed

            self.fail(Failed(parsed, WorkerCrashed(error), 1))
        else:
            self.notify(
                clean(f"{event.worker.group}: {type(error).__name__}: {error}"),
                title="Background task failed",
                severity="error",
                timeout=8,
                markup=False,
            )

    def _handle_exception(self, error: Exception) -> None:
        """Once the app is closing (^q, a signal, a terminal gone), a widget that fails to
        finish what it was doing is no error of the session: the exit goes on, with the
        exit code that was asked for."""
        if self._exit and not os.environ.get("INSPECTOR_DEBUG"):
            self.log.error(f"while closing: {type(error).__name__}: {error}")
            return
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        """A crash prints one line, not a traceback whose locals could hold the key."""
        if os.environ.get("INSPECTOR_DEBUG") or self._exception is None:
            super()._print_error_renderables()
            return
        self._exit_renderables.clear()
        error = self._exception
        self.error_console.print(
            f"{config.APP_NAME}: internal error: {type(error).__name__}: {error} "
            "(set INSPECTOR_DEBUG=1 for details)",
            markup=False,
            highlight=False,
        )
