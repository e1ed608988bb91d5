"""The key in a REAL Secret Service: our own D-Bus session bus and gnome-keyring-daemon.

The module fixture starts ``dbus-daemon --session`` on a socket in a temporary directory and
an unlocked ``gnome-keyring-daemon --components=secrets`` (fed a throwaway password) with
HOME/XDG dirs in temporary directories, then runs the CLI as subprocesses with
``PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring``. Both daemons are killed
afterwards.

Skips only where the platform cannot run it (not Linux, or the daemons are missing and cannot
be installed); never when ``CI`` is set: there a missing daemon is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspector.infra import config
from inspector.testserver import TEST_KEY, FakeOpenRouter
from inspector.testserver.catalog import CHAT_ID

MASKED = "sk-or-v1-…a1b2"
WRONG_KEY = "sk-or-v1-wrong-fake-key-not-known-9z9z"
SECRETS_NAME = "org.freedesktop.secrets"
DAEMONS = ("dbus-daemon", "gnome-keyring-daemon")
APT_PACKAGES = "gnome-keyring dbus-daemon dbus-x11"
START_TIMEOUT = 20.0


@dataclass
class SecretService:
    """A running session bus with an unlocked gnome-keyring on it."""

    env: dict[str, str]  # HOME, XDG_*, DBUS_SESSION_BUS_ADDRESS, keyring backend
    bus: subprocess.Popen[str]
    keyring: subprocess.Popen[str]
    root: Path


def _unavailable_reason() -> str | None:
    """Why this platform cannot run a Secret Service here, or None."""
    if not sys.platform.startswith("linux"):
        return f"the Secret Service test needs Linux (this is {sys.platform})"
    missing = [name for name in DAEMONS if shutil.which(name) is None]
    if not missing:
        return None
    return f"{', '.join(missing)} not installed (Debian: apt-get install {APT_PACKAGES})"


def _skip_or_fail(reason: str) -> None:
    """Skip with the reason, except in CI or where apt could install what is missing."""
    can_install = os.geteuid() == 0 and shutil.which("apt-get") is not None
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the real Secret Service test: {reason}")
    if can_install and sys.platform.startswith("linux"):
        pytest.fail(f"{reason}; run `bash tests/run.sh`, which installs them")
    pytest.skip(reason)


def _start_bus(env: dict[str, str], root: Path) -> tuple[subprocess.Popen[str], str]:
    """dbus-daemon in the foreground on a socket under ``root``; returns it and its address."""
    bus = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--nopidfile",
            f"--address=unix:path={root / 'bus'}",
            "--print-address=1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    if not address:
        bus.kill()
        bus.wait()
        pytest.fail("dbus-daemon printed no address")
    return bus, address


def _start_keyring(env: dict[str, str]) -> subprocess.Popen[str]:
    """gnome-keyring-daemon (secrets only) unlocked with a throwaway password."""
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert daemon.stdin is not None
    daemon.stdin.write("throwaway-test-password")
    daemon.stdin.close()
    return daemon


def _wait_for_name(address: str, name: str, daemon: subprocess.Popen[str]) -> None:
    """Block until ``name`` has an owner on the bus (the daemon is ready)."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    deadline = time.monotonic() + START_TIMEOUT
    with open_dbus_connection(bus=address) as conn:
        while time.monotonic() < deadline:
            reply = conn.send_and_get_reply(message_bus.NameHasOwner(name), timeout=5)
            if reply.body[0]:
                return
            if daemon.poll() is not None:
                pytest.fail(f"gnome-keyring-daemon exited with {daemon.returncode}")
            time.sleep(0.02)  # real daemons: no fake clock can stand in here
    pytest.fail(f"{name} did not appear on the test bus within {START_TIMEOUT:g}s")


def _stop(process: subprocess.Popen[str]) -> None:
    """Terminate (resume first, in case a test stopped it), then kill if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGCONT)
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """A private session bus plus an unlocked gnome-keyring, torn down after the module."""
    reason = _unavailable_reason()
    if reason is not None:
        _skip_or_fail(reason)
    root = tmp_path_factory.mktemp("secret-service")
    dirs = {name: root / name for name in ("home", "data", "config", "cache", "runtime")}
    for path in dirs.values():
        path.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(dirs["home"]),
        "XDG_DATA_HOME": str(dirs["data"]),
        "XDG_CONFIG_HOME": str(dirs["config"]),
        "XDG_CACHE_HOME": str(dirs["cache"]),
        "XDG_RUNTIME_DIR": str(dirs["runtime"]),
    }
    bus, address = _start_bus(env, root)
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    daemon = _start_keyring(env)
    try:
        _wait_for_name(address, SECRETS_NAME, daemon)
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
        yield SecretService(env=env, bus=bus, keyring=daemon, root=root)
    finally:
        _stop(daemon)
        _stop(bus)


@pytest.fixture
def env(secret_service: SecretService, cli_env: dict[str, str]) -> dict[str, str]:
    """cli_env on the test bus with the real Secret Service, and no OPENROUTER_API_KEY."""
    result = {k: v for k, v in cli_env.items() if k != config.ENV_API_KEY}
    result.update(secret_service.env)
    return result


def _keyring_holds(env: dict[str, str], expected: str | None) -> bool:
    """Ask the Secret Service, in a separate process, whether it holds ``expected``.

    The expected key goes through stdin: never argv, never printed.
    """
    code = (
        "import sys, keyring\n"
        f"value = keyring.get_password({config.KEYRING_SERVICE!r}, {config.KEYRING_USERNAME!r})\n"
        "expected = sys.stdin.read() or None\n"
        "print(value == expected)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=expected or "",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def _no_secret(result: subprocess.CompletedProcess[str], *secrets: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    for secret in secrets:
        assert secret not in result.stdout and secret not in result.stderr


def test_key_lifecycle_in_a_real_secret_service(
    run_cli, env: dict[str, str], fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    assert _keyring_holds(env, None)
    assert run_cli("get", CHAT_ID, env=env, input="").returncode == 3  # no key anywhere yet

    result = run_cli("key", "set", env=env, input=f"{TEST_KEY}\n")
    assert result.returncode == 0, result.stderr
    assert f"Stored {MASKED} in the keyring (SecretService Keyring)." in result.stdout
    _no_secret(result, TEST_KEY)
    assert _keyring_holds(env, TEST_KEY)

    result = run_cli("get", CHAT_ID, env=env, input="")
    assert result.returncode == 0, result.stderr
    assert CHAT_ID in result.stdout
    _no_secret(result, TEST_KEY)
    assert fake_server.count(CHAT_ID) >= 1

    result = run_cli("key", "status", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"source:     OS keyring (SecretService Keyring)\nkey:        {MASKED}\n"
    )
    assert "check:      valid" in result.stdout

    result = run_cli("key", "set", env=env, input=WRONG_KEY)
    assert result.returncode == 3
    assert "key rejected" in result.stderr
    assert _keyring_holds(env, TEST_KEY)  # a rejected key replaces nothing

    result = run_cli("key", "delete", env=env)
    assert result.returncode == 0, result.stderr
    assert "Deleted the key from the keyring (SecretService Keyring)." in result.stdout
    assert _keyring_holds(env, None)
    assert run_cli("key", "delete", env=env).stdout == "No key was stored in the keyring.\n"
    assert run_cli("get", CHAT_ID, env=env, input="").returncode == 3

    # The key lived in the keyring only: not in HOME, the data dir or the keyring's files.
    for folder in (Path(env["HOME"]), Path(env["INSPECTOR_DATA_DIR"]), Path(env["XDG_DATA_HOME"])):
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file():
                assert TEST_KEY.encode() not in path.read_bytes(), path


def test_locked_collection_is_a_clean_failure(
    run_cli, env: dict[str, str], secret_service: SecretService
) -> None:
    """Lock the collection over D-Bus: no unlock prompt can show here, so every call fails."""
    lock = (
        "import secretstorage\n"
        "with secretstorage.dbus_init() as conn:\n"
        "    collection = secretstorage.get_default_collection(conn)\n"
        "    collection.lock()\n"
        "    print(collection.is_locked())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", lock], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "True", done.stderr

    result = run_cli("key", "status", env=env)
    assert result.returncode == 3
    assert "keyring:    keyring unavailable: the keyring is locked" in result.stdout
    _no_secret(result)

    result = run_cli("key", "set", "--skip-validation", env=env, input=TEST_KEY)
    assert result.returncode == 7
    assert result.stderr.startswith("orinspect: error: keyring unavailable: ")
    _no_secret(result, TEST_KEY)

    # The environment variable still works while the keyring is unusable.
    result = run_cli("get", CHAT_ID, env={**env, config.ENV_API_KEY: TEST_KEY}, input="")
    assert result.returncode == 0, result.stderr


def test_frozen_secret_service_times_out(
    run_cli, env: dict[str, str], secret_service: SecretService
) -> None:
    """A daemon that never answers (SIGSTOP) must cost a timeout, not a hang."""
    secret_service.keyring.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        result = run_cli(
            "key", "status", env={**env, "INSPECTOR_KEYRING_TIMEOUT": "0.5"}, timeout=60
        )
        assert time.monotonic() - started < 30
    finally:
        secret_service.keyring.send_signal(signal.SIGCONT)
    assert result.returncode == 3
    assert "keyring unavailable: no answer within 0.5s" in result.stdout
    _no_secret(result)
