#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a machine with only Python, pip and apt:
#   bash tests/run.sh [pytest args…]
# It installs what the tests need and nothing else:
#   - Debian packages (only when missing, and only as root): tmux for the real-terminal test,
#     gnome-keyring + dbus-daemon (+ dbus-x11, so apt does not pick systemd's
#     dbus-user-session) for the real Secret Service test.
#   - a virtual environment in .venv with the project and its dev extra.
# Then it runs pytest, which includes ruff and mypy (tests/test_quality.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-daemon >/dev/null 2>&1
then
    missing+=(gnome-keyring dbus-daemon dbus-x11)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "tests/run.sh: installing ${missing[*]} with apt-get" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    else
        echo "tests/run.sh: missing ${missing[*]}; the tests that need them will skip" >&2
    fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

exec .venv/bin/python -m pytest "$@"
