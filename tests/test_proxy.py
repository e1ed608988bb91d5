"""Proxies from the environment on every path, and never a secret through one in clear.

A real proxy runs on 127.0.0.1 (tests/net_support.py): it tunnels ``CONNECT`` to a TLS
front of the local OpenRouter (a throw-away certificate for ``openrouter.test``, trusted
through ``SSL_CERT_FILE``), and records every byte the client sent it.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import RunCli
from net_support import Proxy, TlsFront, make_certificate

from inspector.core.errors import ConfigError, InspectorError, NetworkError
from inspector.infra.client import GenerationClient, ThreadedTransport
from inspector.infra.http.proxy import bypasses_proxy, select_proxy
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

pytest.importorskip("cryptography")

HOST = "openrouter.test"
REMOTE = f"https://{HOST}/api/v1"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

Transport = Callable[[], httpx.AsyncBaseTransport | None]
TRANSPORTS: dict[str, Transport] = {
    "async": lambda: None,
    "threaded": ThreadedTransport,
}


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> Transport:
    return TRANSPORTS[request.param]


@pytest.fixture(autouse=True)
def no_proxy_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets: none of the developer's own proxy settings."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.delenv("REQUEST_METHOD", raising=False)


@pytest.fixture
def tls_front(fake_server: FakeOpenRouter, tmp_path: Path) -> Iterator[TlsFront]:
    cert, key = make_certificate(HOST, tmp_path)
    with TlsFront(cert, key, ("127.0.0.1", fake_server.port)) as front:
        yield front


@pytest.fixture
def cert_file(tls_front: TlsFront, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The TLS front's certificate, trusted by every client made in the test."""
    path = tmp_path / "cert.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return path


@pytest.fixture
def proxy(tls_front: TlsFront) -> Iterator[Proxy]:
    """A proxy whose tunnels lead to the TLS front (whatever host the client names)."""
    with Proxy(("127.0.0.1", tls_front.port)) as running:
        yield running


async def lookup(client: GenerationClient, gen_id: str = catalog.CHAT_ID) -> Any:
    async with client:
        try:
            return (await client.get_generation(gen_id)).raw
        except InspectorError as exc:
            return exc


# ---- choosing a proxy (pure) -----------------------------------------------------------


def test_selection_follows_the_environment() -> None:
    url = httpx.URL(REMOTE)
    assert select_proxy(url, {}) is None
    assert str(select_proxy(url, {"HTTPS_PROXY": "http://p:3128"})) == "http://p:3128"
    lower_first = {"https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:2"}
    assert str(select_proxy(url, lower_first)) == "http://low:1"
    assert str(select_proxy(url, {"ALL_PROXY": "http://all:3"})) == "http://all:3"
    assert str(select_proxy(url, {"all_proxy": "p:8080"})) == "http://p:8080"  # no scheme
    assert select_proxy(url, {"HTTP_PROXY": "http://p:3128"}) is None  # http only


@pytest.mark.parametrize(
    ("no_proxy", "bypassed"),
    [
        ("*", True),
        (HOST, True),
        (f".{HOST}", True),
        (f"*.{HOST}", True),
        ("test", True),  # a parent domain
        (f"other.example, {HOST}:443", True),
        (f"{HOST}:8443", False),  # another port
        ("rrouter.test", False),  # not a suffix on a label boundary
        ("example.com 10.0.0.0/8", False),
        ("", False),
    ],
)
def test_no_proxy_matching(no_proxy: str, bypassed: bool) -> None:
    env = {"NO_PROXY": no_proxy, "HTTPS_PROXY": "http://p:1"}
    assert bypasses_proxy(httpx.URL(REMOTE), env) is bypassed
    assert (select_proxy(httpx.URL(REMOTE), env) is None) is bypassed


def test_no_proxy_by_address_and_network() -> None:
    env = {"no_proxy": "10.0.0.0/8,[2001:db8::1]", "https_proxy": "http://p:1"}
    assert select_proxy(httpx.URL("https://10.1.2.3/api/v1"), env) is None
    assert select_proxy(httpx.URL("https://[2001:db8::1]/api/v1"), env) is None
    assert select_proxy(httpx.URL("https://11.1.2.3/api/v1"), env) is not None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/api/v1", "http://localhost:9/api/v1", "https://[::1]:9/v1"]
)
def test_loopback_always_goes_direct(url: str) -> None:
    env = {"HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:1", "ALL_PROXY": "http://p:1"}
    assert select_proxy(httpx.URL(url), env) is None


def test_a_plain_http_target_never_goes_through_a_proxy() -> None:
    with pytest.raises(ConfigError, match="in clear"):
        select_proxy(httpx.URL("http://openrouter.test/api/v1"), {"ALL_PROXY": "http://p:1"})


def test_httpoxy_upper_case_http_proxy_is_ignored_under_cgi() -> None:
    url = httpx.URL("http://openrouter.test/api/v1")
    assert select_proxy(url, {"HTTP_PROXY": "http://p:1", "REQUEST_METHOD": "GET"}) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ftp://p:21", "not a usable proxy"),
        ("socks5://p:1080", "socksio"),
        ("http://", "not a"),
    ],
)
def test_unusable_proxy_values_are_config_errors(value: str, problem: str) -> None:
    if value.startswith("socks") and importlib.util.find_spec("socksio") is not None:
        pytest.skip("socksio is installed: SOCKS proxies are usable")
    with pytest.raises(ConfigError, match=problem):
        GenerationClient(TEST_KEY, REMOTE, env={"HTTPS_PROXY": value})


def test_proxy_credentials_are_never_shown() -> None:
    env = {"HTTPS_PROXY": "http://me:s3cretpw@p:3128"}
    client = GenerationClient(TEST_KEY, REMOTE, env=env)
    assert client.proxy is not None and "s3cretpw" not in client.proxy
    with pytest.raises(ConfigError) as caught:
        GenerationClient(
            None, "http://openrouter.test/api/v1", env={"ALL_PROXY": env["HTTPS_PROXY"]}
        )
    assert "s3cretpw" not in str(caught.value)


# ---- through a real proxy --------------------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
async def test_https_goes_through_a_connect_tunnel(
    fake_server: FakeOpenRouter,
    proxy: Proxy,
    cert_file: Path,
    transport: Transport,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    client = GenerationClient(TEST_KEY, REMOTE, transport=transport())
    assert client.proxy == proxy.url
    raw = await lookup(client)
    assert raw == fake_server.record(catalog.CHAT_ID), raw
    assert [log.request_line for log in proxy.logs] == [f"CONNECT {HOST}:443 HTTP/1.1"]
    # The proxy relayed TLS only: neither the key nor the request was readable to it.
    assert TEST_KEY.encode() not in proxy.everything_sent()
    assert b"/api/v1/generation" not in proxy.everything_sent()
    assert fake_server.requests[-1].authorized


async def test_proxy_credentials_go_to_the_proxy_only(
    fake_server: FakeOpenRouter,
    proxy: Proxy,
    cert_file: Path,
    transport: Transport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url.replace("://", "://me:s3cretpw@"))
    raw = await lookup(GenerationClient(TEST_KEY, REMOTE, transport=transport()))
    assert isinstance(raw, dict)
    assert b"Proxy-Authorization: Basic " in proxy.logs[0].head


async def test_no_proxy_goes_direct(
    proxy: Proxy, cert_file: Path, transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,.test")
    error = await lookup(GenerationClient(TEST_KEY, REMOTE, transport=transport(), timeout=5))
    assert isinstance(error, NetworkError) and error.kind in {"dns", "connect", "timeout"}
    assert proxy.logs == []  # direct: openrouter.test does not resolve here


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
async def test_a_plain_http_loopback_server_bypasses_the_proxy(
    fake_server: FakeOpenRouter,
    proxy: Proxy,
    transport: Transport,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    client = GenerationClient(TEST_KEY, fake_server.base_url, transport=transport())
    assert client.proxy is None
    assert await lookup(client) == fake_server.record(catalog.CHAT_ID)
    assert proxy.logs == []  # the key never reached the proxy


def test_a_plain_http_remote_target_with_a_proxy_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    with pytest.raises(ConfigError, match="through the proxy"):
        GenerationClient(None, "http://openrouter.test/api/v1", transport=ThreadedTransport())


@pytest.mark.parametrize("status", [403, 407])
async def test_a_proxy_that_refuses_the_tunnel(
    tls_front: TlsFront, transport: Transport, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    with Proxy(None, refuse_status=status) as refusing:
        monkeypatch.setenv("HTTPS_PROXY", refusing.url.replace("://", "://me:s3cretpw@"))
        error = await lookup(GenerationClient(TEST_KEY, REMOTE, transport=transport()))
    assert isinstance(error, NetworkError) and error.kind == "proxy", error
    assert "s3cretpw" not in error.summary and "127.0.0.1" in error.summary
    assert TEST_KEY.encode() not in refusing.everything_sent()


async def test_an_unreachable_proxy_is_named(
    transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Proxy(None) as gone:
        url = gone.url
    monkeypatch.setenv("HTTPS_PROXY", url)
    error = await lookup(GenerationClient(TEST_KEY, REMOTE, transport=transport()))
    assert isinstance(error, NetworkError) and error.kind == "connect"
    assert f"via the proxy {url}" in error.summary


def test_get_honours_https_proxy(
    run_cli: RunCli,
    cli_env: dict[str, str],
    fake_server: FakeOpenRouter,
    proxy: Proxy,
    tls_front: TlsFront,
    tmp_path: Path,
) -> None:
    """The CLI end to end (its threaded transport), as a real subprocess."""
    env = {
        **cli_env,
        "OPENROUTER_BASE_URL": REMOTE,
        "HTTPS_PROXY": proxy.url,
        "SSL_CERT_FILE": str(tmp_path / "cert.pem"),
    }
    done = run_cli("get", catalog.CHAT_ID, "--json", "--no-history", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == catalog.CHAT_ID
    assert [log.request_line for log in proxy.logs] == [f"CONNECT {HOST}:443 HTTP/1.1"]
    assert TEST_KEY.encode() not in proxy.everything_sent()
