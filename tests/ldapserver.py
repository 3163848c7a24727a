"""A private OpenLDAP server (Debian's slapd) on loopback for the sign-in tests.

`make test` installs slapd and ldap-utils when missing (scripts/ensure-slapd.sh). This module writes
a slapd.conf (mdb database, suffix dc=bank,dc=cn) in a temporary directory, loads people and groups
with slapadd, starts slapd on a free 127.0.0.1 port and stops it at the end.

Directory layout (as a bank's might be):
    ou=people,dc=bank,dc=cn    uid=<name>, inetOrgPerson, userPassword ({SSHA}, from slappasswd)
    ou=groups,dc=bank,dc=cn    cn=<group>, groupOfNames with member: <person DN>
    cn=guard-svc,dc=bank,dc=cn the service account the guard searches with
Only bound users read entries; anonymous binds may only authenticate.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.pgserver import free_port

SUFFIX = "dc=bank,dc=cn"
SERVICE_DN = f"cn=guard-svc,{SUFFIX}"
SERVICE_PASSWORD = "svc-Secret-2026"
SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"


class SlapdNotInstalled(RuntimeError):
    pass


def _hash(password: str) -> str:
    return subprocess.run(["/usr/sbin/slappasswd", "-s", password], check=True, capture_output=True, text=True).stdout.strip()


class LdapServer:
    """people: {uid: (password, display name)}; groups: {cn: [uid, …]}."""

    def __init__(self, people: dict[str, tuple[str, str]], groups: dict[str, list[str]]):
        if not (os.path.exists(SLAPD) and os.path.exists(SLAPADD)):
            raise SlapdNotInstalled("slapd not found: run `make test-setup` (scripts/ensure-slapd.sh installs it)")
        self.root = Path(tempfile.mkdtemp(prefix="guard-ldap-"))
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        self.people, self.groups = people, groups
        self.process: subprocess.Popen | None = None

    def person_dn(self, uid: str) -> str:
        return f"uid={uid},ou=people,{SUFFIX}"

    def group_dn(self, cn: str) -> str:
        return f"cn={cn},ou=groups,{SUFFIX}"

    def _config(self) -> Path:
        (self.root / "db").mkdir()
        conf = self.root / "slapd.conf"
        # Active Directory's and 389 Directory Server's account-state attributes, with their own OIDs, so that a test can
        # disable an account as those directories do (an entry takes them with objectClass extensibleObject).
        schema = self.root / "account-state.schema"
        schema.write_text(
            "attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch\n"
            "  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
            "attributetype ( 1.2.840.113556.1.4.159 NAME 'accountExpires' EQUALITY integerMatch\n"
            "  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
            "attributetype ( 2.16.840.1.113730.3.1.610 NAME 'nsAccountLock' EQUALITY caseIgnoreMatch\n"
            "  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )\n")
        conf.write_text("\n".join([
            *(f"include /etc/ldap/schema/{s}.schema" for s in ("core", "cosine", "inetorgperson", "nis")),
            f"include {schema}",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            f"pidfile {self.root / 'slapd.pid'}",
            "database mdb",
            "maxsize 10485760",
            f'suffix "{SUFFIX}"',
            f'rootdn "cn=admin,{SUFFIX}"',
            f"rootpw {_hash('admin-' + SERVICE_PASSWORD)}",
            f"directory {self.root / 'db'}",
            "access to attrs=userPassword by anonymous auth by self write by * none",
            "access to * by users read by * none",
            "",
        ]))
        return conf

    def _ldif(self) -> str:
        entries = [
            f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Bank\ndc: bank",
            f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people",
            f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups",
            f"dn: {SERVICE_DN}\nobjectClass: person\ncn: guard-svc\nsn: svc\nuserPassword: {_hash(SERVICE_PASSWORD)}",
        ]
        for uid, (password, display) in self.people.items():
            entries.append(f"dn: {self.person_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\nsn: {uid}\n"
                           f"displayName:: {_b64(display)}\nuserPassword: {_hash(password)}")
        for cn, members in self.groups.items():
            entries.append(f"dn: {self.group_dn(cn)}\nobjectClass: groupOfNames\ncn: {cn}\n"
                           + "\n".join(f"member: {self.person_dn(m)}" for m in members or ["cn=nobody"]))
        return "\n\n".join(entries) + "\n"

    def start(self) -> None:
        conf = self._config()
        ldif = self.root / "data.ldif"
        ldif.write_text(self._ldif(), encoding="utf-8")
        subprocess.run([SLAPADD, "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True)
        # -d 0: stay in the foreground (so this process owns it) without debug output.
        with open(self.root / "slapd.log", "wb") as log:
            self.process = subprocess.Popen([SLAPD, "-f", str(conf), "-h", self.url + "/", "-d", "0"],
                                            stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("slapd exited: " + (self.root / "slapd.log").read_text(errors="replace")[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start listening within 15 s")

    def pause(self) -> None:
        """Stop the server without closing its socket: it accepts connections and never answers."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.root, ignore_errors=True)


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode("utf-8")).decode()
