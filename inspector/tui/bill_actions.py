"""The bill of the record shown: explained in a worker, painted when its report comes.

Whenever the state shows a new record (looked up, or opened from history), its bill is
explained by the application layer (:func:`inspector.app.bill.explain_bill`) in an async
worker: the prices come over the network and the history is read in a thread, so the record
paints first and the UI never waits. The report comes back as a typed message
(:class:`~inspector.tui.messages.BillExplained`) and goes into the state's record
(:meth:`~inspector.tui.state.LookupState.billed`: only for the lookup that asked), from which
the detail pane draws the Bill section and the header's badges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from inspector.tui.app_base import AppBase
from inspector.tui.messages import BillExplained

if TYPE_CHECKING:
    from inspector.tui.state import LookupState, ShownRecord

__all__ = ["BillActions"]


class BillActions(AppBase):
    """Explains the bill of every record the state shows."""

    def watch_state(self, old: LookupState, new: LookupState) -> None:
        record = new.record
        if record is not None and record.bill is None and record is not old.record:
            self.call_after_refresh(self._bill_worker, record, new.seq)  # the record paints first

    @work(exclusive=True, group="bill", exit_on_error=False)
    async def _bill_worker(self, record: ShownRecord, seq: int) -> None:
        from inspector.app.bill import explain_bill
        from inspector.infra.client import FetchResult

        result = FetchResult(record.generation, dict(record.raw))
        report = await explain_bill(self.session, result)
        self.post_message(BillExplained(seq, record.facts.gen_id, report))

    @on(BillExplained)
    def _bill_explained(self, event: BillExplained) -> None:
        self.state = self.state.billed(event.seq, event.gen_id, event.report)
