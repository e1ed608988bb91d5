"""Helpers shared by the history tests: sample records, subprocesses, a read-only folder."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from inspector.testserver import catalog

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "inspector" / "testserver" / "data"
GENERATION_SAMPLES = sorted(DATA.glob("generation-*.json"))
ERROR_SAMPLES = sorted(DATA.glob("error-*.json"))


def sample_raws() -> list[dict[str, Any]]:
    """The ``data`` object of every generation sample body, as the API sent it."""
    return [json.loads(path.read_text())["data"] for path in GENERATION_SAMPLES]


def varied_raw(index: int, model: str, provider: str, unix: int) -> dict[str, Any]:
    """A chat-like record with its own id, model and provider."""
    tail = "".join(random.Random(index).choices(string.ascii_letters + string.digits, k=20))
    gen_id = f"gen-{unix}-{tail}"
    raw = catalog.chat_like(gen_id, created=unix)
    raw.update(model=model, provider_name=provider, total_cost=index / 1e6)
    return raw


def subprocess_env(**extra: str) -> dict[str, str]:
    """The current environment minus the app's variables, with the repo importable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENROUTER_", "INSPECTOR_", "PYTHON_KEYRING"))
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def python_process(code: str, *args: str) -> subprocess.Popen[str]:
    """Start ``python -c code args`` (dedented, repo importable) with pipes on every stream."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=subprocess_env(),
        cwd=REPO_ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run_python(code: str, *args: str, timeout: float = 60, **popen: Any) -> str:
    """Run ``python -c code args`` to the end; its stdout (fails the test on a bad exit)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=popen.pop("env", subprocess_env()),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    """Every file under ``folder`` whose bytes contain ``needle``."""
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` really refuse new files, also for root.

    Tests run as root, and root ignores permission bits (CAP_DAC_OVERRIDE), so ``chmod``
    alone proves nothing. As root the folder gets the immutable attribute (``chattr +i``),
    which the kernel enforces for root too: creating a file in it fails with EPERM, as in a
    read-only folder. As another user, ``chmod 0555`` is the real thing. Skips when neither
    works here (e.g. a filesystem without attributes), after checking that a write fails.
    """
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"cannot make a read-only folder as root here: {made.stderr.strip()}")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = ["chmod", "0755", str(folder)]
    try:
        probe = folder / ".probe"
        try:
            probe.write_bytes(b"x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("the folder still accepts new files; no read-only folder possible")
        yield
    finally:
        subprocess.run(undo, check=True)


def parent_is_a_file(tmp_path: Path) -> Path:
    """A history path whose parent is a regular file: no user, root included, can create it."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be\n")
    return blocker / "data" / "history.sqlite3"
