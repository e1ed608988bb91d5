"""InspectorApp: composes the screen and routes messages between the session, services and
widgets. It decides nothing about a record or an error: the application layer's session
does (facts, explanations, the recording policy), the widgets draw.

State lives in one reactive, :attr:`InspectorApp.state` (a frozen
:class:`~inspector.tui.state.LookupState`); the detail pane watches it, and the footer, the
keys and the palette follow it through :meth:`check_action`.

Nothing blocking runs before the first frame. Start-up is staged so the id field is usable
at once (deferred imports at these named seams only):

1. the first frame: the top bar, the id field (focused) and the footer;
2. right after it, :meth:`_mount_panes`: the history sidebar and the detail pane;
3. once they are painted, the key is resolved (no lookup is sent before: the session waits
   for that resolution) and the history read, in workers; the HTTP stack, the models and
   the record view are imported in another (``_warm_up``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import var
from textual.worker import Worker, WorkerState

from inspector.app.session import Session, TransportFactory
from inspector.app.settings import Settings
from inspector.core.errors import AuthError, InspectorError, LookupCancelled, MissingKeyError
from inspector.core.textsafe import clean
from inspector.infra import config
from inspector.tui.commands import InspectorCommands
from inspector.tui.lookups import LookupRunner, WorkerCrashed
from inspector.tui.messages import (
    HistoryChanged,
    HistoryLoaded,
    KeyResolved,
    LookupFailed,
    LookupMessage,
    LookupStarted,
    LookupSucceeded,
    LookupWaiting,
    StoredRecordLoaded,
)
from inspector.tui.services.clipboard_service import ClipboardService
from inspector.tui.state import LookupState, ShownFailure, ShownRecord
from inspector.tui.widgets.id_input import IdField, IdInput
from inspector.tui.widgets.key_footer import KeyFooter
from inspector.tui.widgets.key_status import KeyStatus

if TYPE_CHECKING:
    from inspector.app.lookup import Failed
    from inspector.core.ids import ParsedId
    from inspector.core.retry import RetryPolicy
    from inspector.infra.client import FetchResult
    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore, ResolvedKey
    from inspector.tui.services.history_service import HistoryService
    from inspector.tui.widgets.detail_pane import DetailPane
    from inspector.tui.widgets.history_sidebar import HistorySidebar

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

    state: var[LookupState] = var(LookupState(), bindings=True)
    """What the app shows and does now: the one reactive the widgets watch."""

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
        settings: Settings | None = None,
        transport: TransportFactory | None = None,
    ) -> None:
        """``transport`` makes the HTTP transport of each client (tests and scenes route
        a fixed host name to the local server with it); httpx's own by default."""
        super().__init__()
        settings = settings or Settings.load(base_url=base_url)
        if history is not None and not history.enabled:
            settings = Settings(settings.base_url, settings.timeout, False, settings.retry_scale)
        if keystore is None:
            from inspector.infra.keystore import KeyStore

            keystore = KeyStore()
        self.session = Session(
            settings,
            keystore=keystore,
            history=history if history is not None else _default_history,
            policy=retry_policy,
            transport=transport,
        )
        self.base_url = settings.base_url
        self.demo = demo
        self.demo_ids = tuple(demo_ids)
        self.runner = LookupRunner(self.session)
        self.clipboard_service = ClipboardService(self, native=self.NATIVE_CLIPBOARD)
        self._history_service: HistoryService | None = None
        self._initial_ids: str | None = " ".join(ids) or None
        self._lookup: Worker[None] | None = None
        self._key_prompt_declined = False
        self._panes_mounted = False

    # -- what other parts read ---------------------------------------------------------

    @property
    def phase(self) -> str:
        return self.state.phase

    @property
    def current_id(self) -> str | None:
        return self.state.gen_id

    @property
    def resolved_key(self) -> ResolvedKey | None:
        return self.session.key

    @property
    def history(self) -> HistoryStore:
        return self.session.history

    @property
    def keystore(self) -> KeyStore:
        return self.session.keystore

    @property
    def history_service(self) -> HistoryService:
        if self._history_service is None:
            from inspector.tui.services.history_service import HistoryService

            self._history_service = HistoryService(self, self.session)
        return self._history_service

    @property
    def detail(self) -> DetailPane:
        return cast("DetailPane", self.query_one("#detail"))

    @property
    def sidebar(self) -> HistorySidebar:
        return cast("HistorySidebar", self.query_one("#history"))

    @property
    def narrow(self) -> bool:
        return self.screen.has_class("-narrow")

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield KeyStatus(demo=self.demo)
        yield IdInput(id="id-input")
        yield Horizontal(id="body")  # the sidebar and the detail pane: see _mount_panes
        yield KeyFooter()

    def on_mount(self) -> None:
        from inspector.tui.signals import exit_on_signals

        exit_on_signals(self)  # SIGTERM/SIGHUP/SIGQUIT: a clean exit, terminal restored
        self.clipboard_service.native = self.NATIVE_CLIPBOARD
        self.query_one(IdInput).focus_field()
        self.call_after_refresh(self._mount_panes)

    async def _mount_panes(self) -> None:
        """After the first frame: the history sidebar and the detail pane."""
        # Deferred imports (a named seam): the panes are not part of the first frame.
        from inspector.tui.widgets.detail_pane import DetailPane
        from inspector.tui.widgets.history_sidebar import HistorySidebar

        body = self.query_one("#body")
        if not body.is_attached:  # quit before this moment: the screen is already gone
            return
        detail = DetailPane(id="detail", demo_ids=self.demo_ids, demo=self.demo, follow_state=True)
        await body.mount(HistorySidebar(id="history"), detail)
        self._panes_mounted = True
        self.refresh_bindings()
        self.call_after_refresh(self._after_panes)

    def _after_panes(self) -> None:
        self._resolve_key()
        self.sidebar.reload()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the HTTP stack, the models and the record view off the UI thread (a
        named seam), so the first Enter does not wait for them."""
        import inspector.core.models
        import inspector.infra.client
        import inspector.tui.widgets.record_view  # noqa: F401

        self.call_later(self._prepare_record_view)

    async def _prepare_record_view(self) -> None:
        if self._panes_mounted:
            await self.detail.prepare("record")

    async def on_unmount(self) -> None:
        await self.session.aclose()

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

    @work(exclusive=True, group="key", exit_on_error=False)
    async def _resolve_key(self) -> None:
        self.post_message(KeyResolved(await self.session.resolve_key()))

    @on(KeyResolved)
    def _key_resolved(self, event: KeyResolved) -> None:
        self._show_key(event.resolved)
        if event.resolved.key is None and not self.demo:
            self.action_enter_key(reason=_no_key_reason(event.resolved))
            return
        self._lookup_initial_ids()

    def _show_key(self, resolved: ResolvedKey) -> None:
        self._warm_up()
        self.query_one(KeyStatus).show_key(resolved)
        self.refresh_bindings()

    def _key_prompt_closed(self, resolved: ResolvedKey | None) -> None:
        if resolved is None:
            self._key_prompt_declined = True
        else:
            self._key_prompt_declined = False
            self.session.use_key(resolved)
            self._show_key(resolved)
            self.notify(
                f"Using the key {resolved.masked} ({resolved.source})", timeout=4, markup=False
            )
            state = self.state
            if state.phase == "error" and state.parsed and self._initial_ids is None:
                self.lookup(state.parsed)
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
        first, *others = event.ids
        self.lookup(first)
        if others:
            self._background_worker(others, self.state.seq)

    def lookup(self, parsed: ParsedId) -> None:
        """Look ``parsed`` up; a lookup in flight is cancelled and can no longer paint."""
        self.state = self.state.started(parsed)
        self._lookup = self._lookup_worker(parsed, self.state.seq)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _lookup_worker(self, parsed: ParsedId, seq: int) -> None:
        await self.runner.run(parsed, seq, self.post_message)

    @work(exclusive=True, group="background", exit_on_error=False)
    async def _background_worker(self, ids: list[ParsedId], seq: int) -> None:
        await self.runner.run_many(ids, seq, self.post_message)

    def _is_current(self, event: LookupMessage) -> bool:
        return not event.background and event.seq == self.state.seq

    @on(LookupStarted)
    def _lookup_started(self, event: LookupStarted) -> None:
        if self._is_current(event) and self.state.phase == "waiting":
            self.state = self.state.checking()

    @on(LookupWaiting)
    def _lookup_waiting(self, event: LookupWaiting) -> None:
        if self._is_current(event):
            self.state = self.state.waiting_for(event.event)

    @on(LookupSucceeded)
    async def _lookup_succeeded(self, event: LookupSucceeded) -> None:
        # Recorded once the record is on screen: the write and the list refresh can wait.
        self.call_after_refresh(self.history_service.record, event.outcome)
        if self._is_current(event):
            await self.detail.prepare("record")  # at once, unless this is the first record
            self.state = self.state.showing(self._shown(event.result, "network"))

    @on(LookupFailed)
    def _lookup_failed(self, event: LookupFailed) -> None:
        self.history_service.record(event.outcome)
        error = event.error
        key = self.session.key
        if isinstance(error, AuthError) and key is not None:
            self.query_one(KeyStatus).show_rejected(key)
        if not self._is_current(event):
            return
        self._fail(event.outcome)
        wants_key = isinstance(error, AuthError | MissingKeyError)
        if wants_key and not (self._key_prompt_declined or self.demo):
            self.action_enter_key(reason=_key_reason(error))

    def _fail(self, outcome: Failed) -> None:
        error = outcome.error
        explanation = self.session.explain(error, outcome.parsed, outcome.attempts)
        self.state = self.state.failed(ShownFailure(error, explanation, outcome.attempts))

    def _shown(
        self,
        result: FetchResult,
        source: str,
        looked_up_at: datetime | None = None,
    ) -> ShownRecord:
        return ShownRecord(
            generation=result.generation,
            raw=result.raw,
            facts=self.session.facts(result),
            source="history" if source == "history" else "network",
            looked_up_at=looked_up_at or datetime.now(UTC),
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a crashed worker becomes something the person can read."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error or RuntimeError("unknown failure")
        parsed = self.state.parsed
        if event.worker is self._lookup and parsed is not None:
            from inspector.app.lookup import Failed

            self._fail(Failed(parsed, WorkerCrashed(error), 1))
        else:
            self.notify(
                clean(f"{event.worker.group}: {type(error).__name__}: {error}"),
                title="Background task failed",
                severity="error",
                timeout=8,
                markup=False,
            )

    # -- history ----------------------------------------------------------------------------

    @on(HistoryLoaded)
    def _history_loaded(self, event: HistoryLoaded) -> None:
        if self._panes_mounted:
            self.sidebar.show_page(event.page, event.seq)

    @on(HistoryChanged)
    def _history_changed(self, event: HistoryChanged) -> None:
        if event.note:
            self.notify(event.note, timeout=3, markup=False)
        if self._panes_mounted:
            self.sidebar.reload()

    @on(StoredRecordLoaded)
    async def _stored_record(self, event: StoredRecordLoaded) -> None:
        from inspector.infra.client import FetchResult

        self.sidebar.close_overlay()
        parsed = _parse_stored(event.gen_id)
        if parsed is None:
            return
        if event.entry is None or event.generation is None or event.raw is None:
            self.lookup(parsed)  # nothing stored but the outcome: ask again
            return
        self.workers.cancel_group(self, "lookup")
        await self.detail.prepare("record")
        result = FetchResult(event.generation, event.raw)
        shown = self._shown(result, "history", event.entry.last_seen)
        self.state = self.state.opened(parsed, shown)

    def on_history_sidebar_query_changed(self, event: HistorySidebar.QueryChanged) -> None:
        self.history_service.query(event.text, event.seq)

    def on_history_sidebar_opened(self, event: HistorySidebar.Opened) -> None:
        self.history_service.open(event.gen_id)

    def on_history_sidebar_closed(self) -> None:
        self.action_leave_input()

    def on_history_sidebar_delete_requested(self, event: HistorySidebar.DeleteRequested) -> None:
        from inspector.tui.screens.confirm import ConfirmScreen

        gen_id = event.gen_id

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.history_service.delete(gen_id)

        self.push_screen(
            ConfirmScreen("Delete from history?", f"{gen_id} will be removed from history."),
            done,
        )

    def on_history_sidebar_clear_requested(self) -> None:
        from inspector.tui.screens.confirm import ConfirmScreen

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.history_service.clear()

        self.push_screen(
            ConfirmScreen(
                "Clear all history?",
                "Every entry in the history file will be deleted. This cannot be undone.",
                confirm_label="Clear all",
            ),
            done,
        )

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which actions work now: the footer, the keys and the palette all follow this."""
        if action in _NEEDS_PANES and not self._panes_mounted:
            return False
        state = self.state
        if action in _NEEDS_RECORD:
            return state.phase == "record"
        key = self.session.key
        rules: dict[str, bool] = {
            "cancel_lookup": state.busy,
            "leave_input": not state.busy and isinstance(self.focused, IdField),
            "copy_error": state.phase == "error",
            "copy_id": state.parsed is not None,
            "retry_now": state.parsed is not None and state.phase in ("waiting", "error"),
            "refresh": state.parsed is not None and state.phase in ("record", "loading"),
            "delete_history_entry": self._panes_mounted
            and self.sidebar.highlighted_id() is not None,
            "clear_history": self._panes_mounted and self.sidebar.total > 0,
            "forget_key": key is not None and key.source in ("keyring", "session"),
            "enter_key": not self.demo,
            "focus_demo_list": self._panes_mounted
            and state.phase == "empty"
            and bool(self.demo_ids)
            and isinstance(self.focused, IdField | None),
        }
        return rules.get(action, True)

    def action_lookup(self, gen_id: str) -> None:
        """Look an id up (used by the empty state's demo ids)."""
        self.query_one(IdInput).submit_text(gen_id)

    def action_cancel_lookup(self) -> None:
        state = self.state
        if not state.busy or state.parsed is None:
            return
        from inspector.app.lookup import Failed

        self.workers.cancel_group(self, "lookup")
        self._fail(Failed(state.parsed, LookupCancelled(state.parsed.id), 0))

    def action_leave_input(self) -> None:
        if not self.detail.focus_content():
            self.set_focus(None)

    action_focus_demo_list = action_leave_input  # ↓ from the id field: into the demo list

    def action_retry_now(self) -> None:
        state = self.state
        if state.phase == "waiting":
            self.session.skip_wait()
        elif state.parsed is not None:
            self.lookup(state.parsed)

    def action_refresh(self) -> None:
        if self.state.parsed is not None:
            self.lookup(self.state.parsed)

    def action_focus_input(self) -> None:
        self.query_one(IdInput).focus_field()

    def action_toggle_history(self) -> None:
        if not self.sidebar.toggle(narrow=self.narrow):
            self.action_leave_input()

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

        keystore = self.keystore
        had_session_key = keystore.resolve().source == "session"
        keystore.forget_session_key()
        try:
            deleted = keystore.delete()
            note = "Removed the key from the keyring" if deleted else "No key in the keyring"
        except KeyringUnavailable as error:
            note = (
                "Forgot the key of this session"
                if had_session_key
                else f"Keyring unavailable: {error.reason}"
            )
        self.notify(clean(note), timeout=5, markup=False)
        resolved = keystore.resolve()
        self.call_from_thread(self.session.use_key, resolved)
        self.post_message(KeyResolved(resolved))

    def action_help(self) -> None:
        from inspector.tui.help_sections import help_sections
        from inspector.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(help_sections(self)))

    # -- copy -------------------------------------------------------------------------------

    def action_copy_field(self) -> None:
        field = self.detail.focused_field()
        if field is None:
            self.notify(
                "Move to a field first (↑/↓), then press c", severity="warning", markup=False
            )
            return
        name, value = field
        self.clipboard_service.copy(value, name)

    def action_copy_id(self) -> None:
        if self.state.gen_id:
            self.clipboard_service.copy(self.state.gen_id, "generation id")

    def action_copy_json(self) -> None:
        record = self.state.record
        if record is not None:
            import json

            text = json.dumps(record.raw, indent=2, ensure_ascii=False)
            self.clipboard_service.copy(text, "raw JSON")

    def action_copy_summary(self) -> None:
        from inspector.app.summary import markdown_summary

        record = self.state.record
        if record is not None:
            self.clipboard_service.copy(
                markdown_summary(record.generation, record.raw), "Markdown summary"
            )

    def action_copy_error(self) -> None:
        text = self.detail.error_text()
        if text:
            self.clipboard_service.copy(text, "error message")


def _default_history() -> HistoryStore:
    """The history store at the configured path; built on first use (after the first
    frame: its module brings sqlite3). A data folder setting that is no usable path turns
    history off for this run, and the sidebar's notice says why."""
    from inspector.core.errors import ConfigError
    from inspector.infra.history import HistoryStore

    try:
        return HistoryStore()
    except ConfigError as error:
        store = HistoryStore(Path(os.devnull), enabled=False)
        store.notices.append(f"History is off for this run: {error.summary}")
        return store


def _parse_stored(gen_id: str) -> ParsedId | None:
    """A stored id, parsed (ids in history were parsed before they were looked up)."""
    from inspector.core.ids import parse_id

    try:
        return parse_id(gen_id)
    except InspectorError:
        return None


def _key_reason(error: InspectorError) -> str:
    if isinstance(error, MissingKeyError):
        return "No API key is set. Enter one to look generations up."
    return "OpenRouter did not accept the key. Enter another one."


def _no_key_reason(resolved: ResolvedKey) -> str:
    if resolved.problem:
        problem = resolved.problem.removeprefix("keyring unavailable: ")
        where = f"No key in {config.ENV_API_KEY}, and the keyring cannot be used here ({problem})."
    else:
        where = f"No key in {config.ENV_API_KEY} or the keyring."
    return f"{where} Enter your OpenRouter API key to look generations up."
