"""``openrouter-inspector get ID [ID…] [--json] [--base-url URL] [--no-history]``.

Looks each id up (retrying as :mod:`inspector.core.retry` decides, each wait announced as
one line on stderr) and prints a readable summary, or with ``--json`` the ``data`` object
exactly as received, one compact JSON object per line. ``-`` reads ids from stdin.
An argument may be any text holding ids (a URL with ``id=``, a log line, JSON).

Exit codes (:mod:`inspector.cli.exitcodes`): 0 ok; 2 usage or malformed id (nothing sent);
3 no key or key rejected; 4 not found (also a pending id that never appeared); 5 other API
error after retries; 6 network error after retries. With several ids, each is looked up
in turn and the exit code is the first failure's (a rejected key stops at once).

Environment: ``OPENROUTER_API_KEY`` (else the OS keyring), ``OPENROUTER_BASE_URL``,
``INSPECTOR_HISTORY=off``, and, for tests, ``INSPECTOR_RETRY_SCALE`` (a factor applied to
every retry wait; e.g. ``0.01`` turns a 2 s ``Retry-After`` into 20 ms).

Start-up time matters here: this module imports only ``argparse`` at load; the client,
asyncio and the history store are imported when the command runs, and pydantic only when
a summary or an error needs it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from inspector.app.lookup import Failed, Succeeded
    from inspector.core.ids import ParsedId
    from inspector.core.retry import RetryPolicy
    from inspector.infra.client import GenerationClient

ENV_RETRY_SCALE = "INSPECTOR_RETRY_SCALE"
DEFAULT_TIMEOUT = 30.0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``get`` subcommand."""
    parser = sub.add_parser(
        "get",
        help="look up generations: a summary, or their JSON",
        description="Look up OpenRouter generations by id and print a summary "
        "(model, provider, cost, tokens, timing, finish reason, fallbacks) or, with --json, "
        "the data object exactly as received, one JSON object per line.",
        epilog="exit codes: 0 ok, 2 usage or malformed id, 3 no key or key rejected, "
        "4 not found (or never indexed), 5 other API error, 6 network error",
    )
    parser.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="a generation id, or text holding ids (URL, log line, JSON); '-' reads stdin",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the data object as received (JSON Lines)"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default: $OPENROUTER_BASE_URL or https://openrouter.ai/api/v1)",
    )
    parser.add_argument(
        "--no-history", action="store_true", help="do not record these lookups in the history"
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"timeout of each request (default {DEFAULT_TIMEOUT:g})",
    )
    parser.set_defaults(func=run)


def _positive_seconds(text: str) -> float:
    """argparse type: a number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return value


# ---- the command --------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Handle ``get``: returns an exit code, never raises for an expected failure."""
    from inspector.cli import exitcodes
    from inspector.cli.output import print_error, print_note
    from inspector.core.errors import ConfigError, MalformedIdError

    try:
        targets = collect_ids(args.ids)
    except MalformedIdError as error:
        print_error(error.summary)
        return exitcodes.USAGE
    for parsed in targets:
        if parsed.warning:
            print_note(f"{parsed.id}: {parsed.warning}")
    key, key_source, problem = resolve_key()
    if not key:
        reason = f" ({problem})" if problem else ""
        print_error(
            "no API key: set OPENROUTER_API_KEY, or store one with "
            f"`openrouter-inspector key set`{reason}"
        )
        return exitcodes.AUTH
    try:
        client = _make_client(key, args.base_url, args.timeout)
    except ConfigError as error:
        print_error(error.summary)
        return exitcodes.USAGE
    recorder = _Recorder.open(enabled=not args.no_history)
    try:
        return _run_in_loop(
            _look_up_all(client, targets, as_json=args.json, key_source=key_source, rec=recorder)
        )
    finally:
        recorder.close()


def _run_in_loop(coro: Coroutine[Any, Any, int]) -> int:
    """Run ``coro`` on a fresh event loop, leaving Ctrl-C to Python's default handler.

    ``asyncio.run`` turns the first Ctrl-C into a task cancellation, which cannot interrupt
    the blocking transport's socket read; here KeyboardInterrupt is raised at once, wherever
    the program is, and ``main`` reports it (exit 130).
    """
    import asyncio

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


def collect_ids(arguments: list[str]) -> list[ParsedId]:
    """Every id the arguments name, de-duplicated, in order; ``-`` reads stdin.

    Raises :class:`MalformedIdError` (or its request-id subclass) for an argument that
    holds no generation id: nothing is sent unless every argument is understood.
    """
    import sys

    from inspector.core.errors import MalformedIdError
    from inspector.core.ids import RequestIdError, extract_ids, parse_id

    found: dict[str, ParsedId] = {}
    for argument in arguments:
        if argument == "-":
            mined = extract_ids(sys.stdin.read())
            if not mined.ids:
                raise MalformedIdError("no generation id found on stdin")
            parsed_ids = mined.ids
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


def resolve_key() -> tuple[str | None, str, str | None]:
    """``(key, source, problem)``: ``OPENROUTER_API_KEY`` first (cheap), else the keyring."""
    import os

    from inspector.infra import config

    env_key = (os.environ.get(config.ENV_API_KEY) or "").strip()
    if env_key:
        return env_key, "environment", None
    try:
        from inspector.infra.keystore import KeyStore
    except ImportError:  # pragma: no cover - the key store is part of the package
        return None, "none", None
    resolved = KeyStore().resolve()
    return resolved.key, resolved.source, resolved.problem


def retry_policy() -> RetryPolicy:
    """The default policy, its waits scaled by ``INSPECTOR_RETRY_SCALE`` when set (tests)."""
    import os

    from inspector.core.retry import RetryPolicy

    scale = 1.0
    raw = os.environ.get(ENV_RETRY_SCALE, "").strip()
    if raw:
        try:
            scale = max(float(raw), 0.0)
        except ValueError:
            scale = 1.0
    return RetryPolicy(scale=scale)


def _make_client(key: str, base_url: str | None, timeout: float) -> GenerationClient:
    from inspector.infra.client import BlockingTransport, GenerationClient

    return GenerationClient(key, base_url, timeout=timeout, transport=BlockingTransport())


# ---- running the lookups --------------------------------------------------------------------


async def _look_up_all(
    client: GenerationClient,
    targets: list[ParsedId],
    *,
    as_json: bool,
    key_source: str,
    rec: _Recorder,
) -> int:
    """Look every id up in turn; the exit code is the first failure's."""
    from inspector.app.lookup import Failed, Lookup, Succeeded, Waiting
    from inspector.cli import exitcodes
    from inspector.cli.output import exit_code_for, print_note, print_wait
    from inspector.core.errors import AuthError
    from inspector.core.ids import short_id

    code = exitcodes.OK
    lookup = Lookup(client, retry_policy())
    several = len(targets) > 1
    try:
        for index, parsed in enumerate(targets):
            outcome: Succeeded | Failed | None = None
            async for event in lookup.run(parsed.id):
                if isinstance(event, Waiting):
                    print_wait(event.decision, f"{short_id(parsed.id)} " if several else "")
                elif isinstance(event, Succeeded | Failed):
                    outcome = event
            assert outcome is not None
            if isinstance(outcome, Succeeded):
                _print_success(outcome, as_json=as_json, first=index == 0)
            else:
                _print_failure(outcome, parsed, key_source)
                code = code or exit_code_for(outcome.error)
            rec.record(outcome)
            if isinstance(outcome, Failed) and isinstance(outcome.error, AuthError):
                break
        for notice in rec.notices():
            print_note(notice)
    finally:
        await client.aclose()
    return code


def _print_success(outcome: Succeeded, *, as_json: bool, first: bool) -> None:
    from inspector.cli.output import json_line, print_line, summary_text

    if as_json:
        print_line(json_line(outcome.result.raw))
        return
    if not first:
        print_line("")
    print_line(summary_text(outcome.result))


def _print_failure(outcome: Failed, parsed: ParsedId, key_source: str) -> None:
    from inspector.cli.output import failure_line, print_error

    print_error(
        failure_line(
            outcome.gen_id,
            outcome.error,
            outcome.attempts,
            id_age=parsed.age_seconds(),
            key_source=key_source,
        )
    )


# ---- history --------------------------------------------------------------------------------


class _Recorder:
    """Records outcomes in the history store when it exists and is enabled; never raises."""

    def __init__(self, store: Any | None) -> None:
        self._store = store
        self._problems: list[str] = []

    @classmethod
    def open(cls, *, enabled: bool) -> _Recorder:
        from inspector.infra import config

        if not enabled or not config.history_enabled():
            return cls(None)
        try:
            from inspector.infra.history import HistoryStore
        except ImportError:  # the history store is not part of this build yet
            return cls(None)
        try:
            return cls(HistoryStore())
        except Exception as exc:  # a broken store must never break a lookup
            recorder = cls(None)
            recorder._problems.append(f"history unavailable: {exc}")
            return recorder

    def record(self, outcome: Succeeded | Failed) -> None:
        """Save one outcome (failures about the key, the account, the setup or the network
        are not about the id: they are not saved)."""
        if self._store is None:
            return
        from inspector.app.lookup import Succeeded
        from inspector.core import errors

        try:
            if isinstance(outcome, Succeeded):
                self._store.record_success(outcome.gen_id, outcome.result.raw)
                return
            error = outcome.error
            not_about_the_id = (
                errors.AuthError | errors.PaymentError | errors.ConfigError | errors.NetworkError
            )
            if isinstance(error, not_about_the_id):
                return
            if isinstance(error, errors.MalformedIdError):
                return
            self._store.record_failure(
                outcome.gen_id, _outcome_name(error), error.status, error.summary
            )
        except Exception as exc:  # history must never break a lookup
            self._problems.append(f"history not saved: {exc}")
            self._store = None

    def notices(self) -> list[str]:
        """What the store (or recording) had to say: damaged file moved aside, unavailable …"""
        found = list(self._problems)
        store = self._store
        if store is not None:
            found.extend(str(n) for n in getattr(store, "notices", []) or [])
            if getattr(store, "available", True) is False:
                reason = getattr(store, "unavailable_reason", None) or "unknown reason"
                found.append(f"history not saved: {reason}")
        return list(dict.fromkeys(found))

    def close(self) -> None:
        if self._store is not None:
            import contextlib

            with contextlib.suppress(Exception):  # closing must not turn success into a traceback
                self._store.close()


def _outcome_name(error: Any) -> str:
    from inspector.core import errors

    if isinstance(error, errors.PendingError):
        return "pending"
    if isinstance(error, errors.NotFoundError):
        return "not_found"
    return "error"
