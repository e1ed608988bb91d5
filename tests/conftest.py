"""Shared fixtures: the local OpenRouter, the test key, isolated data dirs, CLI subprocesses.

* ``fake_server`` -- a started :class:`FakeOpenRouter` (seeded, ``time_scale=1.0``), stopped
  after the test.
* ``make_fake_server(**kwargs)`` -- more servers with other options (e.g. ``time_scale=0.01``,
  ``api_keys=...``, ``seed=False``); each is started now and stopped after the test.
* ``test_key`` -- ``TEST_KEY``.
* ``data_dir`` -- ``tmp_path / "data"`` (not created), exported as ``INSPECTOR_DATA_DIR``.
* ``cli_env`` -- an environment dict for CLI subprocesses, pointed at ``fake_server``.
* ``run_cli(*args, env=None, input=None, timeout=60)`` -- runs
  ``python -m inspector *args`` and returns the ``CompletedProcess`` (text mode); ``env``
  defaults to ``cli_env``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pytest

from inspector.testserver import TEST_KEY, FakeOpenRouter

REPO_ROOT = Path(__file__).resolve().parent.parent

# Variables a developer's shell may carry that would leak into CLI subprocesses.
_SCRUBBED_PREFIXES = ("OPENROUTER_", "INSPECTOR_", "PYTHON_KEYRING", "XDG_")


class RunCli(Protocol):
    def __call__(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]: ...


@pytest.fixture
def test_key() -> str:
    """The fake key the local server accepts."""
    return TEST_KEY


@pytest.fixture
def make_fake_server() -> Iterator[Callable[..., FakeOpenRouter]]:
    """A factory of started servers (kwargs go to FakeOpenRouter), all stopped afterwards."""
    servers: list[FakeOpenRouter] = []

    def make(**kwargs: Any) -> FakeOpenRouter:
        server = FakeOpenRouter(**kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def fake_server(make_fake_server: Callable[..., FakeOpenRouter]) -> FakeOpenRouter:
    """A started, seeded local OpenRouter (stopped after the test)."""
    return make_fake_server()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path / "data"`` as INSPECTOR_DATA_DIR (the directory is not created)."""
    path = tmp_path / "data"
    monkeypatch.setenv("INSPECTOR_DATA_DIR", str(path))
    return path


@pytest.fixture
def cli_env(fake_server: FakeOpenRouter, tmp_path: Path) -> dict[str, str]:
    """Environment for CLI subprocesses: the fake server, its key, isolated HOME and data."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
    python_path = [str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])]
    env.update(
        {
            "OPENROUTER_API_KEY": TEST_KEY,
            "OPENROUTER_BASE_URL": fake_server.base_url,
            "INSPECTOR_DATA_DIR": str(tmp_path / "data"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "HOME": str(home),
            "PYTHONPATH": os.pathsep.join(python_path),
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return env


@pytest.fixture
def run_cli(request: pytest.FixtureRequest) -> RunCli:
    """Run ``python -m inspector ARGS`` as a real subprocess (env defaults to ``cli_env``)."""

    def run(
        *args: str,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        if env is None:
            env = request.getfixturevalue("cli_env")
        return subprocess.run(
            [sys.executable, "-m", "inspector", *args],
            env=dict(env),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO_ROOT,
        )

    return run
