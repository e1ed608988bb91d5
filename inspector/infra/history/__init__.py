"""Every lookup kept in SQLite: searchable, exportable, safe with two windows and a crash.

One row per generation id. A successful lookup stores the raw ``data`` object as received
(unknown keys included) so the record reopens offline; a later failure updates the outcome
but keeps that last good record. The API key is never handed to the store, and failure
messages are scrubbed of anything key-shaped and of ``user_id`` values before they are kept.

The package, one thing per module:

- :mod:`.store` — :class:`HistoryStore`, the public operations and their error guard;
- :mod:`.entry` — :class:`HistoryEntry` and the outcomes handed to ``record_many``;
- :mod:`.connection` — opening: owner-only files, WAL, migrations, read-only fallback;
- :mod:`.recovery` — a damaged file moved aside, a damaged search index rebuilt;
- :mod:`.rows`, :mod:`.writes` — values made safe for SQLite, and the SQL of each change;
- :mod:`.queries`, :mod:`.search` — the SQL of reading, and full-text/substring search;
- :mod:`.schema`, :mod:`.migrations` — versions of the file and the steps between them;
- :mod:`.snapshots` — pricing snapshots beside records, and the bounded queries "how it
  compares" reads (records of one model at one provider, of one session);
- :mod:`.figures`, :mod:`.values`, :mod:`.scrub` — columns from a record, safe values,
  scrubbed messages;
- :mod:`.export`, :mod:`.outfile` — JSON Lines / CSV writers, and writing a file safely.

Importing it touches nothing on disk and loads neither the models nor the CSV writer.
"""

from __future__ import annotations

from inspector.infra.history.connection import BUSY_TIMEOUT
from inspector.infra.history.entry import (
    ExportFormat,
    HistoryEntry,
    HistoryFailure,
    HistoryItem,
    HistorySuccess,
    Outcome,
)
from inspector.infra.history.figures import record_figures
from inspector.infra.history.schema import SchemaVersionError
from inspector.infra.history.scrub import MESSAGE_LIMIT, scrub_message
from inspector.infra.history.search import FTS_PAGE_LIMIT, normalize_query
from inspector.infra.history.snapshots import PricingSnapshot
from inspector.infra.history.store import FILENAME, HistoryStore

__all__ = [
    "BUSY_TIMEOUT",
    "FILENAME",
    "FTS_PAGE_LIMIT",
    "MESSAGE_LIMIT",
    "ExportFormat",
    "HistoryEntry",
    "HistoryFailure",
    "HistoryItem",
    "HistoryStore",
    "HistorySuccess",
    "Outcome",
    "PricingSnapshot",
    "SchemaVersionError",
    "normalize_query",
    "record_figures",
    "scrub_message",
]
