"""InspectorApp: composes the screen and routes messages between the session, services and
widgets. It decides nothing about a record or an error: the application layer's session
does (facts, explanations, the recording policy), the widgets draw.

State lives in one reactive, :attr:`InspectorApp.state` (a frozen
:class:`~inspector.tui.state.LookupState`, declared in :mod:`inspector.tui.app_base`); the
detail pane watches it, and the footer, the keys and the palette follow it through
:meth:`check_action`. The API key, copying, history and the app's own failures have their
actions in their own modules (:mod:`~inspector.tui.key_actions`,
:mod:`~inspector.tui.copy_actions`, :mod:`~inspector.tui.history_actions`,
:mod:`~inspector.tui.failure_actions`); the keys are in :mod:`inspector.tui.bindings` and
:mod:`inspector.tui.keymap`, and typing or pasting anywhere reaches the id field through
:mod:`inspector.tui.typeahead`.

Nothing blocking runs before the first frame. Start-up is staged so the id field is usable
at once (deferred imports at these named seams only):

1. the first frame: the top bar, the id field (focused) and the footer;
2. right after it, :meth:`_mount_panes`: the history sidebar and the detail pane (and the
   garbage collector, paused by the launcher, resumes: :mod:`inspector.tui.collector`);
3. once they are painted, the key is resolved (no lookup is sent before: the session waits
   for that resolution; the environment's key needs no thread) and the history read;
4. 0.3 s later, with no lookup asked for yet, the first lookup's imports and record view
   are made ready in idle time (:mod:`inspector.tui.warm_up`).

An id sent before the panes are painted holds the paints until its answer is in (at most
0.25 s, :mod:`inspector.tui.paint_hold`): its record is the next frame, not the fourth."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal

from inspector.app.session import Session, TransportFactory
from inspector.app.settings import Settings
from inspector.app.user_config import UserConfig
from inspector.core.errors import LookupCancelled
from inspector.core.textsafe import clean
from inspector.infra import config
from inspector.tui import collector
from inspector.tui.app_base import AppBase
from inspector.tui.batch_actions import BatchActions
from inspector.tui.bill_actions import BillActions
from inspector.tui.bindings import APP_BINDINGS, NEEDS_PANES, NEEDS_RECORD
from inspector.tui.commands import InspectorCommands
from inspector.tui.copy_actions import CopyActions
from inspector.tui.defaults import default_history, threaded_transport
from inspector.tui.failure_actions import FailureActions
from inspector.tui.history_actions import HistoryActions
from inspector.tui.key_actions import ApiKeyActions
from inspector.tui.keymap import apply_keymap
from inspector.tui.lookups import LookupRunner
from inspector.tui.messages import (
    LookupFailed,
    LookupMessage,
    LookupStarted,
    LookupSucceeded,
    LookupWaiting,
)
from inspector.tui.paint_hold import PaintHold
from inspector.tui.services.clipboard_service import ClipboardService
from inspector.tui.signals import exit_on_signals
from inspector.tui.typeahead import TypeAhead
from inspector.tui.warm_up import DELAY as WARM_UP_DELAY
from inspector.tui.warm_up import WarmUp
from inspector.tui.widgets.id_input import IdField, IdInput
from inspector.tui.widgets.key_footer import KeyFooter
from inspector.tui.widgets.key_status import KeyStatus

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import SystemCommand
    from textual.screen import Screen

    from inspector.core.ids import ParsedId
    from inspector.core.retry import RetryPolicy
    from inspector.infra.history import HistoryStore
    from inspector.infra.keystore import KeyStore
    from inspector.tui.state import LookupState


class InspectorApp(
    HistoryActions,
    ApiKeyActions,
    CopyActions,
    BillActions,
    BatchActions,
    FailureActions,
    inherit_bindings=False,
):
    """The inspector: id input, history sidebar, detail pane, footer."""

    TITLE = config.APP_NAME
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {InspectorCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    NATIVE_CLIPBOARD = True  # tests turn it off so they never touch the desktop clipboard
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

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
        user_config: UserConfig | None = None,
        follow: Path | None = None,
        transport: TransportFactory | None = None,
    ) -> None:
        """``user_config``: the config file's theme and keymap (the launcher reads the
        file; without it, the defaults). ``follow``: a file to follow in the batch view
        from the start (``orinspect --follow FILE``). ``transport`` makes each client's
        HTTP transport (scenes route a fixed host name to the local server with it)."""
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
            history=history if history is not None else default_history,
            policy=retry_policy,
            transport=transport or threaded_transport,
        )
        self.base_url = settings.base_url
        self.demo = demo
        self.demo_ids = tuple(demo_ids)
        self.runner = LookupRunner(self.session)
        self.clipboard_service = ClipboardService(self, native=self.NATIVE_CLIPBOARD)
        self.initial_ids = " ".join(ids) or None
        self.follow_path = follow
        self._typeahead: TypeAhead | None = None
        self.paint_hold = PaintHold(self)  # an id sent at start-up paints with its answer
        self.warm_up = WarmUp(self._build_record_view)  # the first lookup's work, done ahead
        self._panes_painted = False
        self.config_problems = list(self._apply_user_config(user_config or UserConfig()))

    def _apply_user_config(self, user: UserConfig) -> list[str]:
        """The config file's theme and keymap; one line for each thing left out."""
        problems = list(user.problems)
        if user.theme is not None:
            if user.theme in self.available_themes:
                self.theme = user.theme
            else:
                names = ", ".join(sorted(self.available_themes))
                problems.append(f"theme {user.theme!r} is not one of: {names}; left out")
        problems.extend(apply_keymap(self, user.keymap))
        return problems

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield KeyStatus(demo=self.demo)
        yield IdInput(id="id-input")
        yield Horizontal(id="body")  # the sidebar and the detail pane: see _mount_panes
        yield KeyFooter()

    def on_load(self) -> None:
        # As early as the event loop runs: SIGTERM/SIGHUP/SIGQUIT end the app cleanly (the
        # terminal restored, 128 + the signal), a terminal that went away too.
        exit_on_signals(self)

    def on_mount(self) -> None:
        self.clipboard_service.native = self.NATIVE_CLIPBOARD
        self._typeahead = TypeAhead(self, self.id_input)
        self.id_input.focus_field()
        self.watch(self, "state", self._answer_shown, init=False)
        self.call_after_refresh(self._mount_panes)
        for problem in self.config_problems:
            self.notify(clean(problem), title="Config file", severity="warning", timeout=12)

    async def _mount_panes(self) -> None:
        """After the first frame: the history sidebar and the detail pane."""
        # Deferred imports (a named seam): the panes are not part of the first frame.
        from inspector.tui.widgets.detail_pane import DetailPane
        from inspector.tui.widgets.history_sidebar import HistorySidebar

        collector.resume()  # start-up's objects frozen (paused only by the launcher)
        if self.initial_ids is not None:  # ids on the command line: paint them with the panes
            self.paint_hold.take()
        body = self.query_one("#body")
        if not body.is_attached:  # quit before this moment: the screen is already gone
            return
        detail = DetailPane(id="detail", demo_ids=self.demo_ids, demo=self.demo, follow_state=True)
        await body.mount(HistorySidebar(id="history"), detail)
        self._panes_mounted = True
        self.refresh_bindings()
        self.call_after_refresh(self._after_panes)

    def _after_panes(self) -> None:
        self._panes_painted = True
        self.resolve_key()
        self.sidebar.reload()
        self.open_follow()  # --follow FILE: the batch view (inspector.tui.batch_actions)
        self.set_timer(WARM_UP_DELAY, self._start_warm_up, name="warm-up")

    def _no_lookup_yet(self) -> bool:
        """No id has been looked up or opened, and none waits for the key."""
        return self.state.seq == 0 and self.initial_ids is None

    def _start_warm_up(self) -> None:
        self.run_worker(self._warm_up(), group="warm-up", exit_on_error=False)

    async def _warm_up(self) -> None:
        """The first lookup's work, done ahead while the app is idle
        (:mod:`inspector.tui.warm_up`): once the key is known (the keyring's thread imports
        modules of its own), unless a lookup has come first."""
        await self.session.resolve_key()
        if self._no_lookup_yet():
            await self.warm_up.run()

    async def _build_record_view(self) -> None:
        await self.detail.prepare("record")

    async def on_unmount(self) -> None:
        await self.session.aclose()

    # -- keys from the terminal -------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes from the terminal pass the type-ahead first (it may send them
        to the id field instead of the focused widget)."""
        typeahead = self._typeahead
        if typeahead is not None and not event.is_forwarded:
            if isinstance(event, events.Key) and await typeahead.key(event):
                return
            if isinstance(event, events.Paste) and await typeahead.paste(event):
                return
        await super().on_event(event)

    # -- lookups ----------------------------------------------------------------------------

    @on(IdInput.LookupRequested)
    def _lookup_requested(self, event: IdInput.LookupRequested) -> None:
        if not self._panes_painted:  # sent before the panes were painted: paint the answer
            self.paint_hold.take()
        if not self.panes_mounted:  # Enter in the very first moment: run it with the key
            self.initial_ids = " ".join(parsed.id for parsed in event.ids)
            return
        if len(event.ids) > 1:  # several ids: the batch view (inspector.tui.batch_actions)
            self.open_batch(event.ids)
            return
        self.lookup(event.ids[0])

    def lookup(self, parsed: ParsedId) -> None:
        """Look ``parsed`` up; a lookup in flight is cancelled and can no longer paint."""
        self.state = self.state.started(parsed)
        self._lookup = self._lookup_worker(parsed, self.state.seq)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _lookup_worker(self, parsed: ParsedId, seq: int) -> None:
        await self.warm_up.take_over()  # never importing beside the warm-up's thread
        await self.runner.run(parsed, seq, self.post_message)

    def _answer_shown(self, old: object, new: LookupState) -> None:
        """An answer (record, error, countdown) or a cancel is in: the start-up hold ends."""
        if new.phase != "loading":
            self.paint_hold.release()

    def _is_current(self, event: LookupMessage) -> bool:
        return event.seq == self.state.seq

    @on(LookupStarted)
    async def _lookup_started(self, event: LookupStarted) -> None:
        if self._is_current(event) and self.state.phase == "waiting":
            self.state = self.state.checking()
        # The request is on its way (in a thread): the record view, if it is not built
        # yet, is built now rather than after the answer (at once when it is).
        if self.panes_mounted:
            await self.detail.prepare("record")

    @on(LookupWaiting)
    def _lookup_waiting(self, event: LookupWaiting) -> None:
        if self._is_current(event):
            self.state = self.state.waiting_for(event.event)

    @on(LookupSucceeded)
    async def _lookup_succeeded(self, event: LookupSucceeded) -> None:
        try:
            if self._is_current(event):
                await self.detail.prepare("record")  # built already (_lookup_started)
                self.state = self.state.showing(self.shown(event.result, "network"))
        finally:
            # Recorded once the record is on screen (after the state that ends the start-up
            # hold): the write and the list refresh can wait, but never go unasked for.
            self.call_after_refresh(self.history_service.record, event.outcome)

    @on(LookupFailed)
    def _lookup_failed(self, event: LookupFailed) -> None:
        self.history_service.record(event.outcome)
        self.key_failed(event.error)
        if self._is_current(event):
            self.fail(event.outcome)
            self.offer_key_prompt(event.error)

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which actions work now: the footer, the keys and the palette all follow this."""
        if action in NEEDS_PANES and not self.panes_mounted:
            return False
        state = self.state
        raw = self.panes_mounted and self.detail.showing_raw
        if action in NEEDS_RECORD and state.phase != "record":
            return False
        key = self.session.key
        rules: dict[str, bool] = {
            "copy_field": not raw,
            "copy_raw": raw,
            "toggle_raw": not raw,
            "toggle_fields": raw,
            "cancel_lookup": state.busy,
            "leave_input": not state.busy and isinstance(self.focused, IdField),
            "copy_error": state.phase == "error",
            "copy_id": state.parsed is not None,
            "retry_now": state.parsed is not None and state.phase in ("waiting", "error"),
            "refresh": state.parsed is not None and state.phase in ("record", "loading"),
            "delete_history_entry": self.panes_mounted
            and self.sidebar.highlighted_id() is not None,
            "clear_history": self.panes_mounted and self.sidebar.total > 0,
            "forget_key": key is not None and key.source in ("keyring", "session"),
            "enter_key": not self.demo,
            "back_to_batch": not state.busy and self.batch_hidden,
            "focus_demo_list": self.panes_mounted
            and state.phase == "empty"
            and bool(self.demo_ids)
            and isinstance(self.focused, IdField | None),
        }
        return rules.get(action, True)

    def get_system_commands(self, screen: Screen[object]) -> list[SystemCommand]:
        """Textual's own palette entries that apply here: the theme, a screenshot and
        quit (its key panel and maximize do not: the help screen lists the keys)."""
        keep = ("Theme", "Screenshot", "Quit")
        return [cmd for cmd in super().get_system_commands(screen) if cmd.title in keep]

    def action_lookup(self, gen_id: str) -> None:
        """Look an id up (used by the empty state's demo ids)."""
        self.id_input.submit_text(gen_id)

    def action_cancel_lookup(self) -> None:
        state = self.state
        if not state.busy or state.parsed is None:
            return
        from inspector.app.lookup import Failed

        self.workers.cancel_group(self, "lookup")
        self.fail(Failed(state.parsed, LookupCancelled(state.parsed.id), 0))

    action_focus_demo_list = AppBase.action_leave_input  # ↓ from the id field: the demo list

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
        self.id_input.focus_field()

    def action_toggle_raw(self) -> None:
        self.detail.toggle_raw_json()
        self.refresh_bindings()

    action_toggle_fields = action_toggle_raw

    def action_help(self) -> None:
        from inspector.app.user_config import config_path
        from inspector.tui.help_sections import help_sections
        from inspector.tui.screens.help import HelpScreen

        where = config_path()
        self.push_screen(HelpScreen(help_sections(self), config_file=str(where or "")))
