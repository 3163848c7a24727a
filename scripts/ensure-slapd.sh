#!/usr/bin/env bash
# Make sure OpenLDAP's server and tools are installed: the sign-in tests start their own private
# slapd on loopback (tests/ldapserver.py). Installs Debian's slapd and ldap-utils when missing.
set -euo pipefail
if [ -x /usr/sbin/slapd ] && [ -x /usr/sbin/slapadd ] && command -v ldapsearch >/dev/null 2>&1; then
  exit 0
fi
echo "ensure-slapd: OpenLDAP server not found; installing Debian's slapd and ldap-utils" >&2
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils >/dev/null
# Debian starts a system slapd on install; the tests do not use it.
as_root service slapd stop >/dev/null 2>&1 || true
