#!/usr/bin/env bash
# Make sure PostgreSQL server binaries are installed (the test suite starts its own throwaway
# cluster on loopback from them; see tests/pgserver.py). Installs Debian's postgresql when missing.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
echo "ensure-postgres: PostgreSQL server not found; installing Debian's postgresql" >&2
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
# Debian starts a system cluster on install; the tests do not use it.
as_root service postgresql stop >/dev/null 2>&1 || true
