"""Searching: the needle, the full-text index (FTS5 trigram) and the scan it falls back to."""

from __future__ import annotations

import re
import sqlite3

from inspector.infra.history import queries, schema
from inspector.infra.history.entry import HistoryEntry
from inspector.infra.history.values import storable_text

# Up to this many matches, a page is read by sorting the full-text matches by time; above
# it, walking the time index finds a page of matches sooner (measured at 100,000 entries).
FTS_PAGE_LIMIT = 2000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalize_query(text: str) -> str:
    """The search needle: trimmed, lower-cased, without control characters or a trailing
    ellipsis (so a short id copied from the UI, "h7KpQ2…", still finds its entry)."""
    return _CONTROL.sub("", storable_text(text)).strip().rstrip("…").strip().lower()


def phrase(needle: str) -> str:
    """An FTS5 phrase matching ``needle`` literally (trigram: any substring of 3+ chars)."""
    return '"' + needle.replace('"', '""') + '"'


class MatchCounter:
    """Exact number of full-text matches, reused while nothing was written.

    As the user types, ``search`` and ``count`` ask for the same needle in a row: the answer
    is kept while no process has written (``PRAGMA data_version``, per connection) and this
    process made no write (``writes``, counted by the store).
    """

    def __init__(self) -> None:
        self._memo: tuple[str, int, int, int] | None = None

    def reset(self) -> None:
        """Forget the answer (the connection it came from was closed)."""
        self._memo = None

    def count(self, conn: sqlite3.Connection, needle: str, writes: int) -> int | None:
        """None when the index cannot answer (a needle under 3 characters, no usable index:
        then callers scan)."""
        if len(needle) < 3 or not schema.trigram_supported() or schema.fts_state(conn) != "ok":
            return None
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        memo = self._memo
        if memo is not None and memo[:3] == (needle, version, writes):
            return memo[3]
        sql = f"SELECT count(*) FROM {schema.FTS_TABLE} WHERE skey MATCH ?"
        found = int(conn.execute(sql, (phrase(needle),)).fetchone()[0])
        self._memo = (needle, version, writes, found)
        return found


def find(
    conn: sqlite3.Connection,
    needle: str,
    limit: int,
    offset: int,
    with_raw: bool,
    matches: int | None,
) -> list[HistoryEntry]:
    """A page of entries whose search key contains ``needle``, newest first.

    ``matches`` is :meth:`MatchCounter.count`'s answer: few matches are sorted by time from
    the full-text index; many (or no index) walk the time index and test each key.
    """
    columns = queries.columns(with_raw)
    if matches is not None and matches <= FTS_PAGE_LIMIT:
        # Sort the few matches by time on small rows, then read the page's columns.
        sql = (
            f"SELECT {columns} FROM (SELECT g.id AS gid, g.last_seen AS seen"
            f" FROM {schema.FTS_TABLE} f CROSS JOIN generations g ON g.id = f.rowid"
            " WHERE f.skey MATCH ? ORDER BY g.last_seen DESC LIMIT ? OFFSET ?) AS page"
            " CROSS JOIN generations g ON g.id = page.gid"
            " LEFT JOIN records r ON r.id = g.id ORDER BY page.seen DESC"
        )
        rows = conn.execute(sql, (phrase(needle), limit, offset)).fetchall()
    else:
        sql = (
            f"SELECT {columns} FROM {queries.FROM} WHERE instr(g.skey, ?) > 0"
            " ORDER BY g.last_seen DESC LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, (needle, limit, offset)).fetchall()
    return [queries.entry(row, with_raw) for row in rows]


def count(conn: sqlite3.Connection, needle: str, matches: int | None) -> int:
    """How many entries match ``needle`` (all of them for an empty needle)."""
    if not needle:
        return queries.count_all(conn)
    if matches is not None:
        return matches
    sql = "SELECT count(*) FROM generations WHERE instr(skey, ?) > 0"
    return int(conn.execute(sql, (needle,)).fetchone()[0])
