"""``key set|status|delete`` as real subprocesses against the local server.

The subprocesses use keyring backends defined here (selected with PYTHON_KEYRING_BACKEND, this
directory on PYTHONPATH): a JSON-file keyring that persists across processes, one that is
always locked, and one that hangs. The real Secret Service is in test_keyring_secret_service.
"""

from __future__ import annotations

import io
import json
import os
import pty
import select
import sys
import threading
import time
from pathlib import Path

import pytest
from keyring import errors as kerr
from keyring.backend import KeyringBackend

from inspector.cli.key import keyring_timeout, read_key
from inspector.infra import config
from inspector.infra.keystore import InvalidKeyText
from inspector.testserver import TEST_KEY, FakeOpenRouter

TESTS_DIR = Path(__file__).resolve().parent
WRONG_KEY = "sk-or-v1-wrong-fake-key-not-known-9z9z"
MASKED = "sk-or-v1-…a1b2"
FILE_VAR = "TEST_KEYRING_FILE"
ERR = "orinspect: error: "


class FileKeyring(KeyringBackend):
    """A keyring kept in the JSON file named by $TEST_KEYRING_FILE (test use only)."""

    priority = -100  # never chosen by auto-detection

    def _path(self) -> Path:
        return Path(os.environ[FILE_VAR])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}/{username}", None) is None:
            raise kerr.PasswordDeleteError("not found")
        self._path().write_text(json.dumps(entries))


class LockedKeyring(KeyringBackend):
    """Every call fails the way a locked Secret Service collection does."""

    priority = -100

    def get_password(self, service: str, username: str) -> str | None:
        raise kerr.KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


class HangingKeyring(KeyringBackend):
    """Every call blocks forever, like an unanswered unlock prompt."""

    priority = -100

    def get_password(self, service: str, username: str) -> str | None:
        threading.Event().wait()
        return None

    set_password = delete_password = get_password  # type: ignore[assignment]


@pytest.fixture
def keyring_file(tmp_path: Path) -> Path:
    return tmp_path / "keyring.json"


@pytest.fixture
def env(cli_env: dict[str, str], keyring_file: Path) -> dict[str, str]:
    """cli_env with the file keyring and no OPENROUTER_API_KEY."""
    result = {k: v for k, v in cli_env.items() if k != config.ENV_API_KEY}
    result["PYTHONPATH"] = os.pathsep.join([str(TESTS_DIR), result["PYTHONPATH"]])
    result["PYTHON_KEYRING_BACKEND"] = f"{__name__}.FileKeyring"
    result[FILE_VAR] = str(keyring_file)
    return result


def _stored(keyring_file: Path) -> str | None:
    if not keyring_file.exists():
        return None
    entries: dict[str, str] = json.loads(keyring_file.read_text())
    return entries.get(f"{config.KEYRING_SERVICE}/{config.KEYRING_USERNAME}")


def _assert_clean(result: object, *secrets: str) -> None:
    """No traceback, and none of ``secrets`` in stdout or stderr."""
    out, err = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err, err
    for secret in secrets:
        assert secret not in out and secret not in err


def _key_requests(server: FakeOpenRouter) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/key"))


# -- key set ----------------------------------------------------------------------------------


def test_set_from_stdin_validates_then_stores(
    run_cli, env: dict[str, str], keyring_file: Path, fake_server: FakeOpenRouter
) -> None:
    result = run_cli("key", "set", env=env, input=f"{TEST_KEY}\n")
    assert result.returncode == 0, result.stderr
    assert _stored(keyring_file) == TEST_KEY
    assert f"Stored {MASKED} in the keyring (test cli key FileKeyring)." in result.stdout
    assert "check:      valid" in result.stdout
    for field in ("label:", "limit:", "remaining:"):
        assert field in result.stdout
    assert _key_requests(fake_server) == 1
    _assert_clean(result, TEST_KEY)


def test_set_replaces_the_stored_key(run_cli, env: dict[str, str], keyring_file: Path) -> None:
    keyring_file.write_text(json.dumps({"orinspect/api-key": WRONG_KEY}))
    result = run_cli("key", "set", env=env, input=TEST_KEY)
    assert result.returncode == 0, result.stderr
    assert _stored(keyring_file) == TEST_KEY


def test_rejected_key_is_not_stored(run_cli, env: dict[str, str], keyring_file: Path) -> None:
    result = run_cli("key", "set", env=env, input=WRONG_KEY)
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [
        ERR + "key rejected (401): OpenRouter does not accept this key (revoked, deleted or "
        "mistyped); nothing was stored"
    ]
    assert _stored(keyring_file) is None
    _assert_clean(result, WRONG_KEY)


def test_key_on_the_command_line_is_refused_and_not_echoed(
    run_cli, env: dict[str, str], keyring_file: Path, fake_server: FakeOpenRouter
) -> None:
    result = run_cli("key", "set", TEST_KEY, env=env, input="")
    assert result.returncode == 2
    assert "refusing a key given on the command line" in result.stderr
    assert _stored(keyring_file) is None
    assert _key_requests(fake_server) == 0
    _assert_clean(result, TEST_KEY)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "no key given"), ("sk-or-v1 with spaces", "spaces"), ("\x1b[31mkey\n", "control")],
)
def test_unusable_input_is_refused(
    run_cli, env: dict[str, str], keyring_file: Path, text: str, message: str
) -> None:
    result = run_cli("key", "set", env=env, input=text)
    assert result.returncode == 2
    assert message in result.stderr and "nothing was stored" in result.stderr
    assert _stored(keyring_file) is None


def test_skip_validation_stores_without_asking(
    run_cli, env: dict[str, str], keyring_file: Path, fake_server: FakeOpenRouter
) -> None:
    result = run_cli("key", "set", "--skip-validation", env=env, input=WRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert _stored(keyring_file) == WRONG_KEY
    assert _key_requests(fake_server) == 0
    assert "check:" not in result.stdout


def test_unreachable_api_stores_nothing(
    run_cli, env: dict[str, str], keyring_file: Path, make_fake_server
) -> None:
    gone = make_fake_server()
    url = gone.base_url
    gone.stop()
    result = run_cli("key", "set", "--base-url", url, env=env, input=TEST_KEY)
    assert result.returncode == 6, result.stderr
    assert "could not check the key" in result.stderr
    assert "--skip-validation" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _stored(keyring_file) is None
    _assert_clean(result, TEST_KEY)


def test_base_url_option_beats_environment(
    run_cli, env: dict[str, str], keyring_file: Path, make_fake_server
) -> None:
    other = make_fake_server()
    result = run_cli("key", "set", "--base-url", other.base_url, env=env, input=TEST_KEY)
    assert result.returncode == 0, result.stderr
    assert _key_requests(other) == 1


def test_set_with_null_keyring_fails_cleanly(run_cli, cli_env: dict[str, str]) -> None:
    result = run_cli("key", "set", env=cli_env, input=TEST_KEY)
    assert result.returncode == 7
    assert result.stderr.strip().splitlines() == [
        ERR + "keyring unavailable: no backend (keyring disabled: keyring.backends.null.Keyring)"
        "; the key was not stored (use OPENROUTER_API_KEY instead)"
    ]
    _assert_clean(result, TEST_KEY)


def test_set_notes_that_the_environment_overrides(
    run_cli, env: dict[str, str], keyring_file: Path
) -> None:
    result = run_cli("key", "set", env={**env, "OPENROUTER_API_KEY": TEST_KEY}, input=TEST_KEY)
    assert result.returncode == 0, result.stderr
    assert "OPENROUTER_API_KEY is set in this environment and overrides" in result.stderr


def test_hidden_prompt_on_a_terminal_never_echoes(env: dict[str, str], keyring_file: Path) -> None:
    """Through a real pseudo-terminal: the prompt appears, the typed key does not."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the CLI with the pty as its controlling terminal
        os.execve(sys.executable, [sys.executable, "-m", "inspector", "key", "set"], env)
    output = _read_until(fd, b"(input hidden): ")
    os.write(fd, TEST_KEY.encode() + b"\r")
    output += _read_until(fd, None)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "OpenRouter API key (input hidden): " in text
    assert MASKED in text
    assert TEST_KEY not in text
    assert _stored(keyring_file) == TEST_KEY


def _read_until(fd: int, marker: bytes | None, timeout: float = 30) -> bytes:
    """Read from a pty until ``marker`` appears (or EOF when it is None)."""
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
        if marker is not None and marker in data:
            return data
    if marker is not None:
        raise AssertionError(f"no {marker!r} in {data!r}")
    return data


# -- key status -------------------------------------------------------------------------------


def test_status_from_the_environment(run_cli, env: dict[str, str], keyring_file: Path) -> None:
    keyring_file.write_text(json.dumps({"orinspect/api-key": WRONG_KEY}))
    result = run_cli("key", "status", env={**env, "OPENROUTER_API_KEY": TEST_KEY})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "source:     environment (OPENROUTER_API_KEY)",
        f"key:        {MASKED}",
        "keyring:    holds sk-or-v1-…9z9z (not used: OPENROUTER_API_KEY wins)",
    ]
    assert lines[3] == "check:      valid (GET /key)"
    assert any(line.startswith("remaining:  ") for line in lines)
    _assert_clean(result, TEST_KEY, WRONG_KEY)


def test_status_from_the_keyring(run_cli, env: dict[str, str], keyring_file: Path) -> None:
    keyring_file.write_text(json.dumps({"orinspect/api-key": TEST_KEY}))
    result = run_cli("key", "status", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"source:     OS keyring (test cli key FileKeyring)\nkey:        {MASKED}\n"
    )
    _assert_clean(result, TEST_KEY)


def test_status_without_any_key(run_cli, env: dict[str, str]) -> None:
    result = run_cli("key", "status", env=env)
    assert result.returncode == 3
    assert result.stdout.splitlines()[:2] == ["source:     none", "key:        (none)"]
    assert result.stderr.strip() == (
        ERR + "no API key: set OPENROUTER_API_KEY or run `orinspect key set`"
    )


def test_status_with_a_rejected_key(run_cli, env: dict[str, str]) -> None:
    result = run_cli("key", "status", env={**env, "OPENROUTER_API_KEY": WRONG_KEY})
    assert result.returncode == 3
    assert result.stderr.startswith(ERR + "key rejected (401)")
    assert len(result.stderr.strip().splitlines()) == 1
    _assert_clean(result, WRONG_KEY)


def test_status_offline_asks_nothing(
    run_cli, env: dict[str, str], fake_server: FakeOpenRouter
) -> None:
    result = run_cli("key", "status", "--offline", env={**env, "OPENROUTER_API_KEY": TEST_KEY})
    assert result.returncode == 0
    assert "check:" not in result.stdout
    assert fake_server.requests == []


def test_status_with_a_locked_keyring(run_cli, env: dict[str, str]) -> None:
    locked = {**env, "PYTHON_KEYRING_BACKEND": f"{__name__}.LockedKeyring"}
    result = run_cli("key", "status", env=locked)
    assert result.returncode == 3
    assert (
        "keyring:    keyring unavailable: the keyring is locked "
        "(Failed to unlock the collection!)" in result.stdout
    )
    _assert_clean(result)
    result = run_cli("key", "status", env={**locked, "OPENROUTER_API_KEY": TEST_KEY})
    assert result.returncode == 0
    assert "keyring:    keyring unavailable: the keyring is locked" in result.stdout


def test_hanging_keyring_times_out(run_cli, env: dict[str, str]) -> None:
    hanging = {
        **env,
        "PYTHON_KEYRING_BACKEND": f"{__name__}.HangingKeyring",
        "INSPECTOR_KEYRING_TIMEOUT": "0.2",
    }
    started = time.monotonic()
    result = run_cli("key", "status", env=hanging, timeout=30)
    assert time.monotonic() - started < 20
    assert result.returncode == 3
    assert "keyring unavailable: no answer within 0.2s" in result.stdout
    result = run_cli("key", "delete", env=hanging, timeout=30)
    assert result.returncode == 7
    assert "no answer within 0.2s" in result.stderr
    _assert_clean(result)


# -- key delete -------------------------------------------------------------------------------


def test_delete(run_cli, env: dict[str, str], keyring_file: Path) -> None:
    keyring_file.write_text(json.dumps({"orinspect/api-key": TEST_KEY}))
    result = run_cli("key", "delete", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Deleted the key from the keyring (test cli key FileKeyring).\n"
    assert _stored(keyring_file) is None
    result = run_cli("key", "delete", env=env)
    assert result.returncode == 0
    assert result.stdout == "No key was stored in the keyring.\n"


def test_delete_with_a_locked_keyring(run_cli, env: dict[str, str]) -> None:
    result = run_cli(
        "key", "delete", env={**env, "PYTHON_KEYRING_BACKEND": f"{__name__}.LockedKeyring"}
    )
    assert result.returncode == 7
    assert result.stderr.strip() == (
        ERR + "keyring unavailable: the keyring is locked (Failed to unlock the collection!)"
        "; nothing was deleted"
    )


def test_key_without_action_prints_usage(run_cli, env: dict[str, str]) -> None:
    result = run_cli("key", env=env)
    assert result.returncode == 2
    assert "set" in result.stderr and "status" in result.stderr


# -- helpers, in process ----------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_read_key_prefers_stdin_when_piped() -> None:
    assert read_key(prompt=_no_prompt, stdin=io.StringIO(f"{TEST_KEY}\n")) == TEST_KEY


def test_read_key_prompts_on_a_terminal() -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return f" {TEST_KEY} "

    assert read_key(prompt=prompt, stdin=_Tty()) == TEST_KEY
    assert asked == ["OpenRouter API key (input hidden): "]


def test_read_key_eof_at_the_prompt() -> None:
    def prompt(_text: str) -> str:
        raise EOFError

    with pytest.raises(InvalidKeyText, match="no key given"):
        read_key(prompt=prompt, stdin=_Tty())


def _no_prompt(_text: str) -> str:
    raise AssertionError("prompted although stdin was piped")


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 30.0), ("2.5", 2.5), ("0", 30.0), ("x", 30.0), ("nan", 30.0)]
)
def test_keyring_timeout_from_environment(value: str | None, expected: float) -> None:
    env = {} if value is None else {"INSPECTOR_KEYRING_TIMEOUT": value}
    assert keyring_timeout(env) == expected
