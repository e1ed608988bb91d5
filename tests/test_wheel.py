"""The wheel as a user gets it: built, installed with its runtime dependencies only (no dev
extra) into a fresh virtual environment, every module imported, the console script run.

The wheel is built from a copy of the tree (pip builds in place otherwise, and a stale
``build/`` there could leak files into it, or collide with another run). The environment is
made once for this module, without pip (the running pip installs into it with
``--python``), and pip resolves the dependencies from the machine's configured index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST_NAME = "orinspect"
SCRIPT = "orinspect"
# What a clone may hold that is not source (see .gitignore).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.html"
)
# Runs the CLI when imported (it is ``python -m inspector``): run, not imported.
_SCRIPT_MODULES = {"inspector.__main__"}

# Imports every module of the installed package and says where it came from.
_IMPORT_ALL = """
import importlib, importlib.metadata, json, pkgutil, sys, traceback
import inspector

skip = set(json.loads(sys.argv[1]))
failed = {}

def note(name):
    failed[name] = name + ": " + "".join(traceback.format_exception_only(sys.exc_info()[1]))

found = ["inspector"]
for info in pkgutil.walk_packages(inspector.__path__, "inspector.", onerror=note):
    found.append(info.name)
for name in found:
    if name not in skip:
        try:
            importlib.import_module(name)
        except BaseException:
            note(name)
print(json.dumps({
    "file": inspector.__file__,
    "found": found,
    "failed": failed,
    "dists": [d.metadata["Name"] for d in importlib.metadata.distributions()],
}))
"""


@dataclass(frozen=True)
class Installed:
    source: Path  # the copy of the tree the wheel was built from
    wheel: Path
    venv: Path

    def bin(self, name: str) -> Path:
        return self.venv / ("Scripts" if os.name == "nt" else "bin") / name

    @property
    def python(self) -> Path:
        return self.bin("python")


def _env(**extra: str) -> dict[str, str]:
    """This environment without what would let the tree or the dev venv leak in."""
    leaky = ("PYTHON", "VIRTUAL_ENV", "OPENROUTER_", "INSPECTOR_")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(leaky)}, **extra}


def _run(
    argv: Sequence[str | Path], cwd: Path, timeout: float = 600, **env: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(arg) for arg in argv],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, argv))}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


def _name(requirement: str) -> str:
    """The normalized project name of a requirement string (PEP 503)."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    _run([*pip, "wheel", "--no-deps", "-w", root / "dist", source], cwd=root)
    wheels = sorted((root / "dist").glob("*.whl"))
    assert len(wheels) == 1, wheels
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=root)
    installed = Installed(source, wheels[0], venv)
    _run([*pip, "--python", installed.python, "install", installed.wheel], cwd=root)
    return installed


def test_the_wheel_holds_the_package_its_data_and_nothing_else(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(f"{dist_info}/METADATA").decode()
        entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert re.search(rf"^Name: {DIST_NAME}$", metadata, re.M)
    assert re.search(rf"^{SCRIPT} = inspector\.cli\.main:main$", entry_points, re.M)
    # Only the package and its metadata: no tests/, scenes, screenshots or benchmarks.
    assert {n.split("/")[0] for n in names} == {"inspector", dist_info}
    package = installed.source / "inspector"
    sources = {
        path.relative_to(installed.source).as_posix()
        for pattern in ("*.py", "*.tcss", "*.json")
        for path in package.rglob(pattern)
        if "__pycache__" not in path.parts
    }
    assert any(s.endswith(".tcss") for s in sources) and any(s.endswith(".json") for s in sources)
    assert sorted(sources - names) == []  # every module, stylesheet and data file is in it


def test_every_module_imports_without_the_dev_extra(installed: Installed, tmp_path: Path) -> None:
    result = _run(
        [installed.python, "-c", _IMPORT_ALL, json.dumps(sorted(_SCRIPT_MODULES))],
        cwd=tmp_path,
        HOME=str(tmp_path),
    )
    report = json.loads(result.stdout)
    assert report["failed"] == {}, "\n".join(report["failed"].values())
    # The installed copy was imported, not the tree it was built from.
    assert Path(report["file"]).is_relative_to(installed.venv)
    with zipfile.ZipFile(installed.wheel) as wheel:
        in_wheel = {
            n.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            for n in wheel.namelist()
            if n.startswith("inspector/") and n.endswith(".py")
        }
    assert set(report["found"]) == in_wheel
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dev_only = {_name(r) for r in project["optional-dependencies"]["dev"]}
    dev_only -= {_name(r) for r in project["dependencies"]}
    assert dev_only, "the dev extra lists nothing of its own"
    assert sorted(dev_only & {_name(d) for d in report["dists"]}) == []


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_the_console_script_and_python_m_run(
    installed: Installed, tmp_path: Path, option: str
) -> None:
    hermetic = {"HOME": str(tmp_path), "INSPECTOR_DATA_DIR": str(tmp_path / "data")}
    script = _run([installed.bin(SCRIPT), option], cwd=tmp_path, timeout=60, **hermetic)
    assert re.search(rf"\b{SCRIPT}\b", script.stdout), script.stdout
    module = _run([installed.python, "-m", "inspector", option], cwd=tmp_path, **hermetic)
    assert module.stdout.strip()
