"""``orinspect history``: list, search, export, delete and clear past lookups.

``history [--json] [--limit N] [--search TEXT]`` lists entries, most recent lookup first.
``history export --format jsonl|csv [--output FILE]``, ``history delete ID`` and
``history clear --yes`` act on the whole file. The history is read even when recording is
off (``INSPECTOR_HISTORY=off``); these commands never create the file.

Exit codes: 0 ok; 1 the history could not be read or written (also a data folder that
cannot hold one); 2 usage (e.g. ``clear`` without ``--yes``, a ``--limit`` too large, an
``INSPECTOR_DATA_DIR`` that is no path); 4 ``delete`` of an id that is not in the history.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from inspector.cli import exitcodes
from inspector.cli.output import json_line, print_error, print_line, print_note, safe
from inspector.core import formatting as fmt
from inspector.core.errors import ConfigError
from inspector.infra import config

if TYPE_CHECKING:
    from inspector.infra.history import HistoryEntry, HistoryStore

HISTORY_ERROR = exitcodes.HISTORY  # the history file could not be read or written
DEFAULT_LIMIT = 50
MAX_LIMIT = 1_000_000_000  # --limit above this is a usage error; 0 shows all
_MODEL_WIDTH = 42
_PROVIDER_WIDTH = 20


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``history`` (which lists) and its actions ``export``, ``delete``, ``clear``."""
    parser = sub.add_parser(
        "history",
        parents=[common],
        help="list, search, export or clear the generations looked up before",
        usage="%(prog)s [--json] [--limit N] [--search TEXT]\n"
        "       %(prog)s {export,delete,clear} ...",
        description="The generations looked up before, most recent first. Search matches "
        "any part of the id, the model or the provider, in any case.",
        epilog="actions: export, delete, clear (e.g. 'history export --format csv'). "
        "exit codes: 0 ok, 1 history unreadable or unwritable, 2 usage, 4 id not in history",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--limit",
        type=_count_arg,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"show at most N entries (default {DEFAULT_LIMIT}; 0 shows all)",
    )
    parser.add_argument(
        "--search", metavar="TEXT", help="only entries whose id, model or provider contains TEXT"
    )
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(dest="history_action", metavar="ACTION")
    _add_export(actions)
    _add_delete(actions)
    _add_clear(actions)


def _add_export(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "export",
        help="write the whole history as JSON Lines or CSV",
        description="jsonl: the stored raw record of every id looked up successfully, one "
        "JSON object per line, exactly as the API sent it. csv: one row per id with the "
        "main figures (times in ISO 8601 UTC).",
    )
    parser.add_argument(
        "--format", choices=("jsonl", "csv"), default="jsonl", help="jsonl (default) or csv"
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout: a file is replaced atomically (owner-only); "
        "a pipe, terminal or device (or a symlink to one) is written through",
    )
    parser.set_defaults(func=run_export)


def _add_delete(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("delete", help="forget one generation id")
    parser.add_argument("gen_id", metavar="ID", help="the generation id to forget")
    parser.set_defaults(func=run_delete)


def _add_clear(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("clear", help="forget every entry (needs --yes)")
    parser.add_argument("--yes", action="store_true", help="really delete every entry")
    parser.set_defaults(func=run_clear)


def _count_arg(text: str) -> int:
    digits = text.strip().lstrip("+-")
    if digits.isdigit() and len(digits) > len(str(MAX_LIMIT)):
        raise argparse.ArgumentTypeError(f"at most {MAX_LIMIT:,} (0 shows all)")
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    if value > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIMIT:,} (0 shows all)")
    return value


# ---- the commands -----------------------------------------------------------------------------

Command = Callable[[argparse.Namespace, "HistoryStore"], int]


def _with_store(command: Command) -> Callable[[argparse.Namespace], int]:
    """Run ``command`` on the store at the configured path, enabled for reading whatever
    recording says; an ``INSPECTOR_DATA_DIR`` that is no path is a usage error (exit 2)."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from inspector.infra.history import HistoryStore

        try:
            store = HistoryStore(enabled=True)
        except ConfigError as exc:
            print_error(exc.summary)
            return exitcodes.for_error(exc)
        with contextlib.closing(store):
            return command(args, store)

    return run


@_with_store
def run_list(args: argparse.Namespace, store: HistoryStore) -> int:
    """``history``: the table (or JSON Lines) of the newest entries, optionally searched."""

    limit = args.limit or MAX_LIMIT
    if args.search:
        entries = store.search(args.search, limit=limit, with_raw=False)
    else:
        entries = store.recent(limit=limit, with_raw=False)
    total = store.count(args.search)
    if _failed(store):  # not "empty": the history could not be read at all
        return _finish(store)
    if args.json:
        _print_json(entries)
    else:
        _print_table(entries, total, args.search)
    if not config.history_enabled():
        _note("recording is off (INSPECTOR_HISTORY=off): new lookups are not added")
    return _finish(store)


class _StoreFailed(Exception):
    """The store failed while exporting: an atomic export is abandoned, the file kept."""


@_with_store
def run_export(args: argparse.Namespace, store: HistoryStore) -> int:
    """``history export``: everything, to stdout or to ``--output`` (see ``outfile``)."""
    from inspector.infra.history.outfile import write_output

    def produce(fp: TextIO) -> int:
        written = store.export(fp, args.format)
        if _failed(store):
            raise _StoreFailed
        return written

    target = args.output if args.output and args.output != "-" else None
    try:
        if target is None:
            produce(sys.stdout)
            sys.stdout.flush()
        else:
            written = write_output(Path(target), produce)
            noun = "record" if written == 1 else "records"
            _note(f"exported {written:,} {noun} to {target}")
    except _StoreFailed:
        return _finish(store)
    except BrokenPipeError:  # the reader went away (``| head``, a FIFO's reader): stop quietly
        if target is None:
            _quiet_stdout()
        return exitcodes.OK
    except OSError as exc:
        print_error(f"cannot write {target or 'stdout'}: {exc.strerror or exc}")
        return HISTORY_ERROR
    return _finish(store)


@_with_store
def run_delete(args: argparse.Namespace, store: HistoryStore) -> int:
    """``history delete ID``: exit 4 when the id is not in the history."""

    removed = store.delete(args.gen_id)
    status = _finish(store)
    if status != exitcodes.OK:
        return status
    if not removed:
        print_error(f"{args.gen_id} is not in the history")
        return exitcodes.NOT_FOUND
    _note(f"deleted {args.gen_id} from the history")
    return exitcodes.OK


@_with_store
def run_clear(args: argparse.Namespace, store: HistoryStore) -> int:
    """``history clear --yes``: refuses (exit 2) without ``--yes``."""

    if not args.yes:
        count = store.count()
        status = _finish(store)
        if status != exitcodes.OK:
            return status
        print_error(
            f"refusing to clear the history ({count:,} "
            f"{'entry' if count == 1 else 'entries'}) without --yes"
        )
        return exitcodes.USAGE
    cleared = store.clear()
    status = _finish(store)
    if status == exitcodes.OK:
        _note(f"cleared the history ({cleared:,} {'entry' if cleared == 1 else 'entries'})")
    return status


# ---- helpers ----------------------------------------------------------------------------------


def _failed(store: HistoryStore) -> bool:
    """True when the history could not be used at all (readable-only still counts as used)."""
    return not store.available and not store.readonly


def _finish(store: HistoryStore) -> int:
    """Print the store's notices and problems; the exit code they call for."""
    for notice in store.notices:
        _note(notice)
    if store.available:
        return exitcodes.OK
    _note(f"history unavailable: {store.unavailable_reason}")
    return exitcodes.OK if store.readonly else HISTORY_ERROR


def _note(message: str) -> None:

    print_note(message)


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the exit flush stays silent."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _print_json(entries: list[HistoryEntry]) -> None:

    for entry in entries:
        print_line(json_line(entry_json(entry)))


def entry_json(entry: HistoryEntry) -> dict[str, Any]:
    """An entry's summary as JSON values (the raw record is left to ``export``)."""

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "gen_id": entry.gen_id,
        "outcome": entry.outcome,
        "status": entry.status,
        "message": entry.message,
        "first_seen": iso(entry.first_seen),
        "last_seen": iso(entry.last_seen),
        "lookup_count": entry.lookup_count,
        "created_at": iso(entry.created_at),
        "model": entry.model,
        "provider": entry.provider,
        "total_cost": entry.total_cost,
        "tokens_prompt": entry.tokens_prompt,
        "tokens_completion": entry.tokens_completion,
        "has_record": entry.has_record,
    }


def _print_table(entries: list[HistoryEntry], total: int, search: str | None) -> None:

    if not entries:
        what = f"no entries match {safe(search)!r}" if search else "the history is empty"
        _note(what)
        return
    for line in table_lines(entries):
        print_line(line)
    if total > len(entries):
        _note(f"showing {len(entries):,} of {total:,} entries (use --limit N, 0 for all)")


def table_lines(entries: list[HistoryEntry]) -> list[str]:
    """Aligned rows: when, id, outcome, model, provider, cost, tokens, lookups."""
    header = ("LAST LOOKUP", "ID", "OUTCOME", "MODEL", "PROVIDER", "COST", "TOKENS", "N")
    rows = [header, *(_row(entry) for entry in entries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {5, 6, 7}
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def _row(entry: HistoryEntry) -> tuple[str, ...]:

    # stored as `get` shows them: native (billed) counts, normalized only when those are missing
    tokens = (
        f"{fmt.tokens(entry.tokens_prompt)} → {fmt.tokens(entry.tokens_completion)}"
        if entry.tokens_prompt is not None or entry.tokens_completion is not None
        else fmt.MISSING
    )
    return (
        fmt.local_time(entry.last_seen),
        safe(entry.gen_id),
        outcome_text(entry),
        _fit(safe(entry.model) if entry.model else fmt.MISSING, _MODEL_WIDTH),
        _fit(safe(entry.provider) if entry.provider else fmt.MISSING, _PROVIDER_WIDTH),
        fmt.money(entry.total_cost, precise=False),
        tokens,
        str(entry.lookup_count),
    )


def outcome_text(entry: HistoryEntry) -> str:
    """``ok``, ``pending``, ``not found``, ``error 502``."""
    label = entry.outcome.replace("_", " ")
    if entry.outcome == "error" and entry.status is not None:
        label = f"error {entry.status}"
    return label


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
