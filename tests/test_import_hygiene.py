"""The core never imports Textual, and importing anything touches nothing on disk."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import inspector

CORE_PACKAGES = (
    "inspector.core",
    "inspector.infra",
    "inspector.app",
    "inspector.cli",
    "inspector.testserver",
)


def _modules(package: str) -> list[str]:
    path = Path(inspector.__file__).parent / package.split(".", 1)[1]
    found = [package]
    for info in pkgutil.iter_modules([str(path)]):
        found.append(f"{package}.{info.name}")
    return found


CORE_MODULES = [m for pkg in CORE_PACKAGES for m in _modules(pkg) if not m.endswith("__main__")]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str, tmp_path: Path) -> None:
    code = (
        "import sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    env = {**os.environ, "INSPECTOR_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
    # Nothing happens at import time: no data directory created, nothing written to HOME.
    assert not (tmp_path / "data").exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_get_path_never_imports_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from inspector.cli.main import main\n"
        "rc = None\n"
        "try:\n"
        "    rc = main(['get', 'req-1792505262-Yd4LwQ8sNf2KbT7mXe1R'])\n"
        "except SystemExit as exc:\n"
        "    rc = exc.code\n"
        "print('textual' in sys.modules, rc)\n"
    )
    env = {
        **os.environ,
        "INSPECTOR_DATA_DIR": str(tmp_path / "data"),
        "OPENROUTER_API_KEY": "sk-or-v1-fake-test-key-do-not-use-a1b2",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "False 2", result.stdout + result.stderr
