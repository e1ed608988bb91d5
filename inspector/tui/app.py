"""InspectorApp: composes the screen and routes messages between workers and widgets.

Nothing blocking runs before the first frame: the keyring, the history store and the
network are touched from workers started after it. Lookups all go through one worker shape
(``_lookup_worker``); each carries a sequence number and only the latest one paints.

Start-up is staged so the id field is usable as soon as possible:

1. the first frame: the top bar, the id field (focused) and the footer;
2. right after it, :meth:`InspectorApp._mount_panes`: the history sidebar and the detail
   pane (composing and painting them about doubled the time to the first frame);
3. once they are painted, the key is resolved and the history read, in thread workers;
   the HTTP stack, the models and the record view are imported in another (``_warm_up``),
   so the first Enter does not wait for them. The history store (sqlite3) and the key
   store are built when first used, after the first frame.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.worker import Worker, WorkerState

from inspector.core.errors import AuthError, InspectorError
from inspector.core.textsafe import clean
from inspector.infra import config
from inspector.tui.commands import InspectorCommands
from inspector.tui.lookup_worker import (
    LookupCancelled,
    LookupRunner,
    WorkerCrashed,
    outcome_of,
    worth_recording,
)
from inspector.tui.messages import (
    KeyResolved,
    LookupFailed,
    LookupMessage,
    LookupStarted,
    LookupSucceeded,
    LookupWaiting,
    StoredRecordLoaded,
)
from inspector.tui.widgets.id_input import IdField, IdInput
from inspector.tui.widgets.key_footer import KeyFooter
from inspector.tui.widgets.key_status import KeyStatus

if TYPE_CHECKING:
    from inspector.core.retry import RetryPolicy
    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore, ResolvedKey
    from inspector.tui.screens.help import HelpSection
    from inspector.tui.widgets.detail_pane import DetailPane
    from inspector.tui.widgets.history_sidebar import HistorySidebar

Phase = Literal["empty", "loading", "waiting", "record", "error"]

# Actions that need the sidebar or the detail pane, which are mounted after the first frame.
_NEEDS_PANES = {
    "toggle_history",
    "filter_history",
    "delete_history_entry",
    "clear_history",
    "lookup",
    "copy_error",
    "copy_field",
    "copy_json",
    "copy_summary",
    "toggle_raw",
}

LOADING_DELAY = 0.12  # seconds before the loading state is painted

# When each action makes sense (used by the footer, the key handler and the palette).
_NEEDS_RECORD = {"copy_field", "copy_json", "copy_summary", "toggle_raw"}


class InspectorApp(App[int], inherit_bindings=False):
    """The inspector: id input, history sidebar, detail pane, footer."""

    TITLE = config.APP_NAME
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {InspectorCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    NATIVE_CLIPBOARD = True  # tests turn it off so they never touch the desktop clipboard

    BINDINGS: ClassVar[list[BindingType]] = [
        # Footer order: what is needed most comes first (80 columns show about six keys).
        Binding("escape", "cancel_lookup", "cancel"),
        Binding("escape", "leave_input", "leave field", show=False),
        Binding("down", "focus_demo_list", "demo list", show=False),
        Binding("c", "copy_field", "copy field"),
        Binding("c", "copy_error", "copy error"),
        Binding("y", "copy_id", "copy id"),
        Binding("r", "retry_now", "retry now"),
        Binding("r", "refresh", "refresh"),
        Binding("h,f2", "toggle_history", "history"),
        Binding("question_mark,f1", "help", "help"),
        Binding("k", "enter_key", "key"),
        Binding("J", "copy_json", "copy JSON"),
        Binding("m", "copy_summary", "copy summary"),
        Binding("j", "toggle_raw", "raw JSON", show=False),
        Binding("slash", "filter_history", "filter history", show=False),
        Binding("i", "focus_input", "id field", show=False),
        Binding("ctrl+q", "quit", "quit", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        *,
        ids: Sequence[str] = (),
        base_url: str | None = None,
        history: HistoryStore | None = None,
        keystore: KeyStore | None = None,
        demo: bool = False,
        demo_ids: Sequence[tuple[str, str]] = (),
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        super().__init__()
        self.base_url = config.base_url(base_url)
        self._history = history
        self._keystore = keystore
        self.demo = demo
        self.demo_ids = tuple(demo_ids)
        self.runner = LookupRunner(self.base_url, retry_policy)
        self.resolved_key: ResolvedKey | None = None
        self.phase: Phase = "empty"
        self._footer_phase: Phase = "empty"
        self.current_id: str | None = None
        self._initial_ids: str | None = " ".join(ids) or None
        self._seq = 0
        self._lookup: Worker[None] | None = None
        self._key_prompt_declined = False
        self._panes_mounted = False

    @property
    def history(self) -> HistoryStore:
        """The history store; the default one is built on first use, after the first frame
        (its module brings sqlite3)."""
        if self._history is None:
            from inspector.infra.history import HistoryStore

            self._history = HistoryStore()
        return self._history

    @history.setter
    def history(self, store: HistoryStore) -> None:
        self._history = store

    @property
    def keystore(self) -> KeyStore:
        """The key store; the default one is built on first use, after the first frame."""
        if self._keystore is None:
            from inspector.infra.keystore import KeyStore

            self._keystore = KeyStore()
        return self._keystore

    @keystore.setter
    def keystore(self, store: KeyStore) -> None:
        self._keystore = store

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield KeyStatus(demo=self.demo)
        yield IdInput(id="id-input")
        yield Horizontal(id="body")  # the sidebar and the detail pane: see _mount_panes
        yield KeyFooter()

    @property
    def detail(self) -> DetailPane:
        return cast("DetailPane", self.query_one("#detail"))

    @property
    def sidebar(self) -> HistorySidebar:
        return cast("HistorySidebar", self.query_one("#history"))

    @property
    def narrow(self) -> bool:
        return self.screen.has_class("-narrow")

    def on_mount(self) -> None:
        self.query_one(IdInput).focus_field()
        self.call_after_refresh(self._mount_panes)

    async def _mount_panes(self) -> None:
        """After the first frame: the history sidebar and the detail pane, then the key and
        the history (see the module docstring)."""
        from inspector.tui.widgets.detail_pane import DetailPane
        from inspector.tui.widgets.history_sidebar import HistorySidebar

        body = self.query_one("#body")
        if not body.is_attached:  # quit before this moment: the screen is already gone
            return
        detail = DetailPane(id="detail")
        detail.base_url = self.base_url
        await body.mount(HistorySidebar(self.history, id="history"), detail)
        self._panes_mounted = True
        detail.show_empty(self.demo_ids, demo=self.demo)
        self.refresh_bindings()
        # Once they are painted: the workers' imports would slow that paint down.
        self.call_after_refresh(self._after_panes)

    def _after_panes(self) -> None:
        self._resolve_key()
        self.sidebar.reload()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the HTTP stack, the models and the record view, and open the client, off
        the UI thread: the first Enter does not wait for them."""
        import inspector.core.models
        import inspector.tui.widgets.record_view  # noqa: F401

        self.runner.prepare()
        self.call_later(self._prepare_record_view)

    async def _prepare_record_view(self) -> None:
        """Build the (hidden) record view while the person types: the first record shows
        without waiting for it."""
        if self._panes_mounted:
            await self.detail.prepare("record")

    async def on_unmount(self) -> None:
        await self.runner.aclose()
        if self._history is not None:
            self._history.close()

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

    # -- key --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="key", exit_on_error=False)
    def _resolve_key(self) -> None:
        self.post_message(KeyResolved(self.keystore.resolve()))

    @on(KeyResolved)
    def _key_resolved(self, event: KeyResolved) -> None:
        at_start = self.resolved_key is None
        self._use_key(event.resolved)
        if at_start and event.resolved.key is None and not self.demo:
            self.action_enter_key(reason=_no_key_reason(event.resolved))
            return
        self._lookup_initial_ids()

    def _use_key(self, resolved: ResolvedKey) -> None:
        self.resolved_key = resolved
        self.runner.set_key(resolved.key)
        self._warm_up()
        self.query_one(KeyStatus).show_key(resolved)
        self.refresh_bindings()

    def _key_prompt_closed(self, resolved: ResolvedKey | None) -> None:
        if resolved is None:
            self._key_prompt_declined = True
        else:
            self._key_prompt_declined = False
            self._use_key(resolved)
            self.notify(
                f"Using the key {resolved.masked} ({resolved.source})", timeout=4, markup=False
            )
            if self.phase == "error" and self.current_id and self._initial_ids is None:
                self.lookup(self.current_id)
        self._lookup_initial_ids()

    def _lookup_initial_ids(self) -> None:
        if self._initial_ids is not None:
            text, self._initial_ids = self._initial_ids, None
            self.query_one(IdInput).submit_text(text)

    # -- lookups ----------------------------------------------------------------------------

    @on(IdInput.LookupRequested)
    def _lookup_requested(self, event: IdInput.LookupRequested) -> None:
        if not self._panes_mounted:  # Enter in the very first moment: run it with the key
            self._initial_ids = " ".join(parsed.id for parsed in event.ids)
            return
        first, *others = (parsed.id for parsed in event.ids)
        self.lookup(first)
        if others:
            self._background_worker(others, self._seq)

    def lookup(self, gen_id: str) -> None:
        """Look ``gen_id`` up now; a lookup in flight is cancelled and can no longer paint."""
        self._seq += 1
        self.current_id = gen_id
        self.phase = "loading"
        self._lookup = self._lookup_worker(gen_id, self._seq)
        # Most answers arrive sooner: painting "loading" only after a moment avoids a flash.
        self.set_timer(LOADING_DELAY, partial(self._show_loading, self._seq, gen_id))

    def _show_loading(self, seq: int, gen_id: str) -> None:
        if seq == self._seq and self.phase == "loading":
            self.detail.show_loading(gen_id)
            self._set_phase("loading")
            self._focus_detail()

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _lookup_worker(self, gen_id: str, seq: int) -> None:
        await self.runner.run(gen_id, seq, self.post_message)

    @work(exclusive=True, group="background", exit_on_error=False)
    async def _background_worker(self, gen_ids: list[str], seq: int) -> None:
        await self.runner.run_many(gen_ids, seq, self.post_message)

    def _is_current(self, event: LookupMessage) -> bool:
        return not event.background and event.seq == self._seq

    @on(LookupStarted)
    def _lookup_started(self, event: LookupStarted) -> None:
        if self._is_current(event) and self.phase == "waiting":
            self._set_phase("loading")
            self.detail.show_loading(event.gen_id)

    @on(LookupWaiting)
    def _lookup_waiting(self, event: LookupWaiting) -> None:
        if self._is_current(event):
            self._set_phase("waiting")
            self.detail.show_waiting(event.event, id_age=_id_age(event.gen_id))
            self._focus_detail()

    @on(LookupSucceeded)
    async def _lookup_succeeded(self, event: LookupSucceeded) -> None:
        raw = event.result.raw
        # Recorded once the record is on screen: the write and the list refresh can wait.
        self.call_after_refresh(self.sidebar.record_success, event.gen_id, raw)
        if self._is_current(event):
            self.current_id = event.gen_id
            await self.detail.prepare("record")  # at once, unless this is the first record
            self._show_record(event.result.generation, raw, "network")

    @on(LookupFailed)
    def _lookup_failed(self, event: LookupFailed) -> None:
        error = event.error
        if event.attempts and worth_recording(error):  # not key, credit or network trouble
            info = error.info
            message = (info.message if info else "") or error.summary
            self.sidebar.record_failure(event.gen_id, outcome_of(error), error.status, message)
        if isinstance(error, AuthError) and self.resolved_key is not None:
            self.query_one(KeyStatus).show_rejected(self.resolved_key)
        if not self._is_current(event):
            return
        self._show_error(event.gen_id, error, event.attempts)
        if isinstance(error, AuthError) and not (self._key_prompt_declined or self.demo):
            self.action_enter_key(reason="OpenRouter did not accept the key. Enter another one.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a crashed worker becomes something the person can read."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error or RuntimeError("unknown failure")
        if event.worker is self._lookup:
            self._show_error(self.current_id, WorkerCrashed(error), 1)
        else:
            self.notify(
                clean(f"{event.worker.group}: {type(error).__name__}: {error}"),
                title="Background task failed",
                severity="error",
                timeout=8,
                markup=False,
            )

    # -- painting the detail pane -----------------------------------------------------------

    def _show_record(
        self,
        generation: Any,
        raw: dict[str, Any],
        source: str,
        looked_up_at: datetime | None = None,
    ) -> None:
        self._set_phase("record")
        self.detail.show_record(
            generation, raw, source=source, looked_up_at=looked_up_at or datetime.now(UTC)
        )
        self._focus_detail()

    def _show_error(self, gen_id: str | None, error: InspectorError, attempts: int) -> None:
        key = self.resolved_key
        self._set_phase("error")
        self.detail.show_error(
            gen_id,
            error,
            attempts=attempts,
            key_source=key.source if key else None,
            key_masked=key.masked if key else None,
        )
        self._focus_detail()

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        if phase != self._footer_phase:  # the footer is rebuilt only when its keys change
            self._footer_phase = phase
            self.refresh_bindings()

    def _focus_detail(self) -> None:
        """Leave the id field so the letter keys work; focus the pane if it can hold focus."""
        if isinstance(self.focused, IdField) or self.focused is None:
            self.call_after_refresh(self._focus_detail_now)

    def _focus_detail_now(self) -> None:
        if not self.detail.focus_content():
            self.set_focus(None)  # nothing to focus there: at least leave the id field

    # -- history ----------------------------------------------------------------------------

    @on(StoredRecordLoaded)
    async def _stored_record(self, event: StoredRecordLoaded) -> None:
        self.sidebar.close_overlay()
        if event.generation is None or event.raw is None:
            self.lookup(event.entry.gen_id)  # nothing stored but the outcome: ask again
            return
        self._seq += 1  # a lookup in flight must not overwrite what was just opened
        self.workers.cancel_group(self, "lookup")
        self.current_id = event.entry.gen_id
        await self.detail.prepare("record")
        self._show_record(event.generation, event.raw, "history", event.entry.last_seen)

    # HistorySidebar.Closed and .Opened (handlers named by Textual's convention: the sidebar's
    # module is imported after the first frame)

    def on_history_sidebar_closed(self) -> None:
        self._focus_detail_now()

    def on_history_sidebar_opened(self, event: HistorySidebar.Opened) -> None:
        self.sidebar.close_overlay()
        self.lookup(event.gen_id)

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which actions work now: the footer, the keys and the palette all follow this."""
        if action in _NEEDS_PANES and not self._panes_mounted:
            return False
        busy = self.phase in ("loading", "waiting")
        if action in _NEEDS_RECORD:
            return self.phase == "record"
        rules: dict[str, bool] = {
            "cancel_lookup": busy,
            "leave_input": not busy and isinstance(self.focused, IdField),
            "copy_error": self.phase == "error",
            "copy_id": self.current_id is not None,
            "retry_now": self.current_id is not None and self.phase in ("waiting", "error"),
            "refresh": self.current_id is not None and self.phase in ("record", "loading"),
            "delete_history_entry": self._panes_mounted
            and self.sidebar.highlighted_id() is not None,
            "clear_history": self._panes_mounted and self.sidebar.total > 0,
            "forget_key": self.resolved_key is not None
            and self.resolved_key.source in ("keyring", "session"),
            "enter_key": not self.demo,
            "focus_demo_list": self._panes_mounted
            and self.phase == "empty"
            and bool(self.demo_ids)
            and isinstance(self.focused, IdField | None),
        }
        return rules.get(action, True)

    def action_lookup(self, gen_id: str) -> None:
        """Look an id up (used by the empty state's demo ids)."""
        self.query_one(IdInput).submit_text(gen_id)

    def action_cancel_lookup(self) -> None:
        if self.phase not in ("loading", "waiting") or self.current_id is None:
            return
        self._seq += 1
        self.workers.cancel_group(self, "lookup")
        self._show_error(self.current_id, LookupCancelled(self.current_id), 0)

    def action_leave_input(self) -> None:
        self._focus_detail_now()

    def action_focus_demo_list(self) -> None:
        """↓ from the id field: into the demo list the empty state shows."""
        self._focus_detail_now()

    def action_retry_now(self) -> None:
        if self.phase == "waiting":
            self.runner.skip_wait()
        elif self.current_id is not None:
            self.lookup(self.current_id)

    def action_refresh(self) -> None:
        if self.current_id is not None:
            self.lookup(self.current_id)

    def action_focus_input(self) -> None:
        self.query_one(IdInput).focus_field()

    def action_toggle_history(self) -> None:
        if not self.sidebar.toggle(narrow=self.narrow):
            self._focus_detail_now()

    def action_filter_history(self) -> None:
        self.sidebar.reveal(narrow=self.narrow)
        self.sidebar.action_focus_filter()

    def action_delete_history_entry(self) -> None:
        self.sidebar.action_delete_entry()

    def action_clear_history(self) -> None:
        self.sidebar.action_clear_all()

    def action_toggle_raw(self) -> None:
        self.detail.toggle_raw_json()

    def action_enter_key(self, reason: str | None = None) -> None:
        from inspector.tui.screens.key_prompt import KeyPromptScreen

        if isinstance(self.screen, KeyPromptScreen):
            return
        self.push_screen(
            KeyPromptScreen(self.keystore, self.base_url, reason=reason), self._key_prompt_closed
        )

    def action_forget_key(self) -> None:
        from inspector.tui.screens.confirm import ConfirmScreen

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._forget_key()

        self.push_screen(
            ConfirmScreen(
                "Forget the API key?",
                "The key is removed from the keyring (and from this session). "
                "OPENROUTER_API_KEY, if set, still applies.",
                confirm_label="Forget",
            ),
            done,
        )

    @work(thread=True, exclusive=True, group="key", exit_on_error=False)
    def _forget_key(self) -> None:
        from inspector.infra.keystore import KeyringUnavailable

        self.keystore.forget_session_key()
        try:
            deleted = self.keystore.delete()
            note = "Removed the key from the keyring" if deleted else "No key in the keyring"
        except KeyringUnavailable as error:
            note = f"Keyring unavailable: {error.reason}"
        self.notify(clean(note), timeout=5, markup=False)
        self.post_message(KeyResolved(self.keystore.resolve()))

    def action_help(self) -> None:
        from inspector.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self._help_sections()))

    def _help_sections(self) -> list[HelpSection]:
        from inspector.tui.screens.help import bindings_of
        from inspector.tui.widgets.history_sidebar import HistorySidebar

        return [
            ("Everywhere", bindings_of(self.BINDINGS)),
            ("Id field", bindings_of(IdField.BINDINGS)),
            ("History sidebar", bindings_of(HistorySidebar.BINDINGS)),
            ("Detail pane", bindings_of(_detail_bindings())),
        ]

    # -- copy -------------------------------------------------------------------------------

    def action_copy_field(self) -> None:
        field = self.detail.focused_field()
        if field is None:
            self.notify(
                "Move to a field first (↑/↓), then press c", severity="warning", markup=False
            )
            return
        name, value = field
        self._copy(value, name)

    def action_copy_id(self) -> None:
        if self.current_id:
            self._copy(self.current_id, "generation id")

    def action_copy_json(self) -> None:
        current = self.detail.current
        if current is not None:
            import json

            self._copy(json.dumps(current[1], indent=2, ensure_ascii=False), "raw JSON")

    def action_copy_summary(self) -> None:
        from inspector.app.summary import markdown_summary

        current = self.detail.current
        if current is not None:
            self._copy(markdown_summary(*current), "Markdown summary")

    def action_copy_error(self) -> None:
        text = self.detail.error_text()
        if text:
            self._copy(text, "error message")

    def _copy(self, text: str, what: str) -> None:
        self.copy_to_clipboard(text)
        if self.NATIVE_CLIPBOARD:
            self._copy_native(text)
        self.notify(f"Copied {clean(what)}", timeout=2, markup=False)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy_native(self, text: str) -> None:
        from inspector.infra.clipboard import copy_native

        copy_native(text)


def _id_age(gen_id: str) -> float | None:
    from inspector.core.ids import parse_id

    try:
        return parse_id(gen_id).age_seconds()
    except InspectorError:
        return None


def _no_key_reason(resolved: ResolvedKey) -> str:
    if resolved.problem:
        problem = resolved.problem.removeprefix("keyring unavailable: ")
        where = f"No key in {config.ENV_API_KEY}, and the keyring cannot be used here ({problem})."
    else:
        where = f"No key in {config.ENV_API_KEY} or the keyring."
    return f"{where} Enter your OpenRouter API key to look generations up."


def _detail_bindings() -> list[BindingType]:
    """The keys of the detail pane's states and record view, for the help screen."""
    from inspector.tui.widgets.error_state import ErrorState
    from inspector.tui.widgets.field_list import FieldList
    from inspector.tui.widgets.loading_state import LoadingState
    from inspector.tui.widgets.pending_state import PendingState
    from inspector.tui.widgets.record_view import RecordView
    from inspector.tui.widgets.retrying_state import RetryingState

    widgets = (RecordView, FieldList, LoadingState, PendingState, RetryingState, ErrorState)
    return [binding for widget in widgets for binding in widget.BINDINGS]
