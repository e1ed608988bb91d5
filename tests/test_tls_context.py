"""The TLS context (:mod:`inspector.infra.http.tls`): loaded once per CA setting in a
thread, verification never loosened, plain http never loading a CA bundle.

(The whole path, a verified TLS connection through a real CONNECT proxy to a front that
``SSL_CERT_FILE`` trusts, is in ``tests/test_proxy.py``.)"""

from __future__ import annotations

import shutil
import ssl
import threading
from pathlib import Path

import certifi
import pytest
from conftest import RunCli

from inspector.core.errors import ConfigError
from inspector.infra.http import tls
from inspector.testserver import catalog


def test_the_preloaded_context_is_the_one_requests_get(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    tls.preload_for("https://openrouter.ai/api/v1")
    first = tls.verified_context()
    assert tls.verified_context() is first  # built once for the process
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname
    assert first.get_ca_certs()  # certifi's bundle is loaded


def test_the_bundle_loads_in_a_thread_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = Path(shutil.copy(certifi.where(), tmp_path / "bundle.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    names: list[str] = []
    real = tls._build

    def build(where: tuple[str | None, str | None]) -> ssl.SSLContext:
        names.append(threading.current_thread().name)
        return real(where)

    monkeypatch.setattr(tls, "_build", build)
    tls.preload_for("https://openrouter.ai/api/v1")
    context = tls.verified_context()
    assert names == ["tls-context"]
    assert context.verify_mode is ssl.CERT_REQUIRED and context.get_ca_certs()


def test_each_ca_setting_gets_its_own_context(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    contexts = []
    for name in ("a.pem", "b.pem"):
        shutil.copy(certifi.where(), tmp_path / name)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / name))
        contexts.append(tls.verified_context())
    assert contexts[0] is not contexts[1]


def test_an_unreadable_bundle_fails_where_a_request_needs_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    tls.preload_for("https://openrouter.ai/api/v1")  # never raises: the thread keeps the error
    with pytest.raises(ConfigError, match=f"SSL_CERT_FILE={missing}: the CA certificates"):
        tls.verified_context()
    with pytest.raises(ConfigError):  # asked again, tried again
        tls.verified_context()


def test_an_unreadable_bundle_is_one_clear_line_and_no_retries(
    run_cli: RunCli, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """``get`` to an https URL with a bad ``SSL_CERT_FILE``: a configuration error, said
    once (not five "network failures"), and nothing sent."""
    env = {
        **cli_env,
        "OPENROUTER_BASE_URL": "https://127.0.0.1:9/api/v1",
        "SSL_CERT_FILE": str(tmp_path / "missing.pem"),
    }
    result = run_cli("get", catalog.CHAT_ID, env=env)
    assert result.returncode == 2, result.stderr
    assert "SSL_CERT_FILE=" in result.stderr and "CA certificates cannot be loaded" in result.stderr
    assert "retrying" not in result.stderr and "Traceback" not in result.stderr


def test_plain_http_gets_a_context_that_trusts_nothing() -> None:
    context = tls.unverifiable_context()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == []


def test_a_plain_http_base_url_starts_no_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    monkeypatch.setattr(tls.threading, "Thread", lambda *a, **k: started.append(k))
    monkeypatch.setenv("SSL_CERT_FILE", "/nowhere/for/this/test.pem")
    tls.preload_for("http://127.0.0.1:8080/api/v1")
    assert started == []
    assert tls.needs_tls("HTTPS") and not tls.needs_tls("http")
