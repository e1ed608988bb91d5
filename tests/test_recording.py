"""The one recording policy (app.recording), applied to a real history file."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.app.lookup import Failed, Succeeded
from inspector.app.recording import Recorder, history_write
from inspector.core.errors import (
    AuthError,
    ConfigError,
    InspectorError,
    LookupCancelled,
    MalformedIdError,
    MissingKeyError,
    NetworkError,
    NotFoundError,
    PaymentError,
    PendingError,
    UpstreamError,
)
from inspector.core.ids import parse_id
from inspector.core.models import ErrorInfo
from inspector.infra.client import FetchResult
from inspector.infra.history import HistoryStore
from inspector.testserver import catalog


def failed(gen_id: str, error: InspectorError, attempts: int = 1) -> Failed:
    return Failed(parse_id(gen_id), error, attempts)


@pytest.mark.parametrize(
    "error",
    [
        AuthError("401 Unauthorized"),
        MissingKeyError(),
        PaymentError("402 Payment required"),
        ConfigError("bad base URL"),
        NetworkError("connection refused", kind="connect"),
        MalformedIdError("not an id"),
        LookupCancelled(catalog.CHAT_ID),
    ],
    ids=lambda error: type(error).__name__,
)
def test_failures_not_about_the_id_are_not_kept(error: InspectorError) -> None:
    assert history_write(failed(catalog.CHAT_ID, error)) is None


def test_nothing_sent_is_never_kept() -> None:
    assert history_write(failed(catalog.CHAT_ID, NotFoundError("404"), attempts=0)) is None


def test_one_message_the_servers_words_first() -> None:
    info = ErrorInfo(status=502, message="Upstream down", is_json=True)
    said = history_write(failed(catalog.CHAT_ID, UpstreamError("502 Server error: x", info=info)))
    assert said is not None and (said.outcome, said.status, said.message) == (
        "error",
        502,
        "Upstream down",
    )
    plain = history_write(failed(catalog.CHAT_ID, UpstreamError("502 Server error: x")))
    assert plain is not None and plain.message == "502 Server error: x"


def test_outcomes_by_error() -> None:
    pending = history_write(failed(catalog.CHAT_ID, PendingError("young", age=3.0)))
    missing = history_write(failed(catalog.CHAT_ID, NotFoundError("404")))
    assert pending is not None and pending.outcome == "pending"
    assert missing is not None and missing.outcome == "not_found"


def test_recorder_writes_the_policy_into_a_real_file(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3", enabled=True)
    recorder = Recorder(store)
    raw = catalog.records()[catalog.CHAT_ID]
    ok = Succeeded(parse_id(catalog.CHAT_ID), FetchResult(raw=raw), 1)
    written = recorder.record_many(
        [
            ok,
            failed(catalog.NOT_FOUND_ID, NotFoundError("404 Not found")),
            failed(catalog.FALLBACK_ID, AuthError("401")),
        ]
    )
    assert written == 2 and recorder.notices() == []
    recorder.close()
    reopened = HistoryStore(tmp_path / "history.sqlite3", enabled=True)
    try:
        entries = {entry.gen_id: entry for entry in reopened.recent()}
        assert set(entries) == {catalog.CHAT_ID, catalog.NOT_FOUND_ID}
        assert entries[catalog.CHAT_ID].raw == raw
        assert entries[catalog.NOT_FOUND_ID].outcome == "not_found"
    finally:
        reopened.close()


def test_a_broken_store_never_breaks_a_lookup(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the data folder should be")
    recorder = Recorder(HistoryStore(folder / "history.sqlite3", enabled=True))
    assert recorder.record(failed(catalog.NOT_FOUND_ID, NotFoundError("404"))) is False
    assert any("history not saved" in notice for notice in recorder.notices())
