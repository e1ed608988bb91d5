"""Where a command's ids come from: arguments, text on stdin (``-``), files (``@FILE``).

Every source is mined the same way (:func:`inspector.core.ids.extract_ids`): an argument
may be an id, a URL with ``id=``, a log line or JSON; stdin and files may hold any text.
Ids are de-duplicated, first occurrence first.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from inspector.core.errors import MalformedIdError

if TYPE_CHECKING:
    from inspector.core.ids import ParsedId

__all__ = ["InputError", "collect_ids", "ids_or_none", "read_text"]

MAX_INPUT_BYTES = 256 * 1024 * 1024  # a file or stdin larger than this is refused


class InputError(MalformedIdError):
    """A file named with ``@`` could not be read (exit 2: nothing was sent)."""


def read_text(path: Path) -> str:
    """The text of ``path`` (undecodable bytes replaced), or :class:`InputError`."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot read {str(path)!r}: {reason}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{str(path)!r} is larger than {MAX_INPUT_BYTES // 2**20} MiB")
    return data.decode("utf-8", errors="replace")


def collect_ids(arguments: list[str], stdin: TextIO | None = None) -> list[ParsedId]:
    """Every id the arguments name, de-duplicated, in order.

    ``-`` reads stdin, ``@FILE`` reads a file; any other argument is an id or text holding
    ids. Raises :class:`MalformedIdError` (or its request-id subclass) for an argument,
    stdin or file that holds no generation id, and :class:`InputError` for a file that
    cannot be read: nothing is sent unless every argument is understood.
    """
    from inspector.core.ids import RequestIdError, extract_ids, parse_id

    found: dict[str, ParsedId] = {}
    for argument in arguments:
        if argument == "-":
            text = (stdin or sys.stdin).read()
            parsed_ids = extract_ids(text).ids
            if not parsed_ids:
                raise MalformedIdError("no generation id found on stdin")
        elif argument.startswith("@") and len(argument) > 1:
            parsed_ids = extract_ids(read_text(Path(argument[1:]))).ids
            if not parsed_ids:
                raise MalformedIdError(f"no generation id found in {argument[1:]!r}")
        else:
            try:
                parsed_ids = [parse_id(argument)]
            except RequestIdError:
                raise
            except MalformedIdError:
                parsed_ids = extract_ids(argument).ids
                if not parsed_ids:
                    raise
        for parsed in parsed_ids:
            found.setdefault(parsed.id, parsed)
    return list(found.values())


def ids_or_none(arguments: list[str]) -> list[ParsedId] | None:
    """:func:`collect_ids` for a command: the ids, each odd one's warning noted on stderr;
    None after printing why the arguments hold no usable id (the command exits 2)."""
    from inspector.cli.output import print_error, print_note

    try:
        targets = collect_ids(arguments)
    except MalformedIdError as error:
        print_error(error.summary)
        return None
    for parsed in targets:
        if parsed.warning:
            print_note(f"{parsed.id}: {parsed.warning}")
    return targets
