#!/usr/bin/env bash
# Create .venv with Python 3.11+ and install the given requirements file, once per change of it.
# On a fresh Debian 12 the venv module may be missing (python3-venv); install it when we can.
set -euo pipefail
req="${1:-requirements.txt}"
cd "$(dirname "$0")/.."
py="${PYTHON:-}"
if [ -z "$py" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then py="$candidate"; break; fi
  done
fi
[ -n "$py" ] || { echo "bootstrap: no python3 found; install Python 3.11" >&2; exit 1; }
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "bootstrap: $py is older than 3.11" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if [ ! -x .venv/bin/python ]; then
  if ! "$py" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "bootstrap: the venv module is missing; installing python3-venv" >&2
    ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" python3-venv \
      || { echo "bootstrap: cannot install python3-venv; install it and retry" >&2; exit 1; }
    "$py" -m venv .venv
  fi
fi
stamp=".venv/.installed-$(basename "$req")-$(cat requirements*.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  rm -f .venv/.installed-"$(basename "$req")"-*
  touch "$stamp"
fi
