"""One evaluation path: any call checked live and then audited gives the same rule codes.

A seeded generator builds a small world through the public API on a controlled server clock:
customers with random profiles, numbers shared out, moved between customers and left unowned,
blacklist entries added and removed, complaints (sensitive tags, mutes), callbacks (deferrals),
campaigns configured to be governed by another pack, consents given (by number or customer, in
and out of scope, aged past the pack's `max_age`, expiring) and withdrawn, service calls beside
marketing ones, and checks that name the number's owner,
another real customer, a made-up customer or nobody. Every allowed check is dialled; some
denied ones are dialled anyway (their outcome is reported, so the guard counts the attempt).
Then the calls are uploaded as a call log and audited. For every call, the audit's rule codes
must equal the live decision's codes, and the audit adds CALLED_DESPITE_DENY exactly for the
calls dialled despite a deny. A scrub of the same number at the same instant must agree too
whenever the check named nobody (a scrub names no customers).
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from guard.core.reasons import ORDER
from tests.conftest import PACKS, Clock, new_key

START = datetime(2026, 11, 2, 0, 30, tzinfo=timezone.utc)  # Monday 08:30 in Shanghai
CN_NUMBERS = [f"1390013{i:04d}" for i in range(14)]
US_NUMBERS = ["+12125550123", "+12125550188", "+13105550111"]
CUSTOMERS = [f"C{i}" for i in range(8)]
AUDIT_ONLY = {"UNCHECKED_CALL", "CALLED_DESPITE_DENY"}
CAMPAIGNS = {  # campaign -> products a request may name (None: the campaign's)
    "dep-2026q4": [None, "DEP-001"],
    "wm-2026q4": [None, "WM-R3-001"],
    "wm-r2-2026q4": [None],
    "ins-2026q4": [None],  # requires an approved script
    "probe-us": [None, "US-DEP-001"],  # configured: governed by us-tcpa
    "strict": [None, "WM-R2-001"],  # configured: governed by cn-strict (denies customer mismatches)
    "consent": [None, "DEP-001", "WM-R2-001"],  # configured: governed by cn-consent (consent required)
}


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """The shipped packs, plus `cn-strict`: cn-bank with mismatches denied and a 7-day customer cap of 2."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    strict = {"id": "cn-strict", "version": "1", "effective_from": "2026-10-01T00:00:00+08:00", "extends": "cn-bank",
              "customer_mismatch": "deny",
              "caps": {"normal": [{"scope": "number", "window": "24h", "max": 1}, {"scope": "customer", "window": "7d", "max": 2}],
                       "sensitive": [{"scope": "customer", "window": "30d", "max": 1}]}}
    (target / "cn-strict-1.yaml").write_text(yaml.safe_dump(strict, allow_unicode=True), encoding="utf-8")
    consent = {"id": "cn-consent", "version": "1", "effective_from": "2026-10-01T00:00:00+08:00", "extends": "cn-bank",
               "consent": {"required_for": ["marketing"], "scopes": ["phone"], "max_age": "20d"}}
    (target / "cn-consent-1.yaml").write_text(yaml.safe_dump(consent, allow_unicode=True), encoding="utf-8")
    return target


class World:
    """The simulation: drives the API, remembers what it dialled."""

    def __init__(self, app, clock: Clock, seed: int):
        self.app, self.clock, self.rnd = app, clock, random.Random(seed)
        self.c = app.test_client()
        self.key = new_key(app, "admin")
        self.checker = new_key(app, "reviewer")  # approves scripts: cn-bank wants four eyes
        self.owner: dict[str, str | None] = {n: None for n in CN_NUMBERS + US_NUMBERS}
        self.profiles: dict[str, dict] = {}
        self.calls: list[dict] = []  # the call log rows
        self.live: dict[str, list[str]] = {}  # call_id -> the live decision's codes
        self.despite: set[str] = set()
        self.scrubs_compared = 0
        self.mismatches = 0
        self.consents: list[str] = []  # ids of consents not withdrawn yet
        self.consent_whys: Counter = Counter()  # CONSENT_MISSING's `why` over every live check

    def api(self, method: str, path: str, body=None, expect=(200, 201), key=None):
        r = self.c.open(path, method=method, json=body, headers=key or self.key)
        assert r.status_code in expect, (method, path, body, r.status_code, r.get_data(as_text=True))
        return r.json

    def tick(self) -> None:
        self.clock.now += timedelta(minutes=self.rnd.choice([7, 23, 41, 95, 180, 400]))

    # --- the world ------------------------------------------------------------------------

    def setup(self) -> None:
        self.api("PUT", "/v1/campaigns/probe-us", {"pack": "us-tcpa", "products": ["US-DEP-001"]})
        self.api("PUT", "/v1/campaigns/strict", {"pack": "cn-strict", "products": ["WM-R2-001"]})
        self.api("PUT", "/v1/campaigns/consent", {"pack": "cn-consent", "products": ["DEP-001", "WM-R2-001"]})
        numbers = CN_NUMBERS[:11] + US_NUMBERS[:2]
        self.rnd.shuffle(numbers)
        for i, cid in enumerate(CUSTOMERS):
            self.put_profile(cid, numbers[i * 3 // 2:(i + 1) * 3 // 2] if i < 7 else [])

    def put_profile(self, cid: str, phones: list[str]) -> None:
        rnd = self.rnd
        profile = {"phones": phones, "region": "CN"}
        if rnd.random() < 0.8:
            profile["risk_level"] = rnd.choice(["C1", "C2", "C3", "C4", "C5"])
            profile["risk_assessed_at"] = (self.clock.now - timedelta(days=rnd.choice([10, 200, 364, 400]))).isoformat()
        if rnd.random() < 0.25:
            profile["tags"] = ["sensitive"]
        if rnd.random() < 0.25:
            profile["windows"] = [rnd.choice([{"days": "mon-fri", "from": "18:00", "to": "21:00"},
                                              {"days": "sat-sun", "from": "10:00", "to": "12:00"},
                                              {"days": "mon-sun", "from": "09:00", "to": "12:00"}])]
        if rnd.random() < 0.15:
            profile["timezone"] = rnd.choice(["Asia/Shanghai", "Asia/Urumqi", "America/New_York"])
        for p in phones:
            self.owner[p] = cid
        self.profiles[cid] = profile
        self.api("PUT", f"/v1/customers/{cid}", profile)

    def move_number(self) -> None:
        owned = [n for n, c in self.owner.items() if c is not None]
        number = self.rnd.choice(owned)
        old = self.owner[number]
        self.profiles[old]["phones"] = [p for p in self.profiles[old]["phones"] if p != number]
        self.api("PUT", f"/v1/customers/{old}", self.profiles[old])
        self.owner[number] = None
        if self.rnd.random() < 0.7:  # to another customer; else it stays nobody's
            new = self.rnd.choice([c for c in CUSTOMERS if c != old])
            self.profiles[new]["phones"] = [*self.profiles[new]["phones"], number]
            self.api("PUT", f"/v1/customers/{new}", self.profiles[new])
            self.owner[number] = new

    def blacklist(self) -> None:
        rnd = self.rnd
        if rnd.random() < 0.5:
            body = {"phone": rnd.choice(list(self.owner)), "source": rnd.choice(["customer_request", "registry"]), "region": "CN"}
        else:
            body = {"customer_id": rnd.choice(CUSTOMERS), "source": "customer_request"}
        if rnd.random() < 0.3:
            body["expires_at"] = (self.clock.now + timedelta(days=2)).isoformat()
            if body["source"] == "customer_request":
                body["source"] = "manual"  # an expiring opt-out (DNC_OPT_OUT); a customer's own refusal takes no expiry
        self.api("POST", "/v1/blacklist", body)

    def unblacklist(self) -> None:
        phone = self.rnd.choice(list(self.owner))
        e164 = phone if phone.startswith("+") else "+86" + phone
        self.api("DELETE", f"/v1/blacklist/{e164}", {"reason": "removed in the simulation"}, expect=(200, 404))

    def complaint(self) -> None:
        rnd = self.rnd
        body = {"severity": rnd.choice(["light", "medium"]), "region": "CN"}
        if rnd.random() < 0.5:
            body["phone"] = rnd.choice(list(self.owner))
        else:
            body["customer_id"] = rnd.choice(CUSTOMERS)
        self.api("POST", "/v1/complaints", body)

    def give_consent(self) -> None:
        rnd = self.rnd
        body = {"source": rnd.choice(["app", "branch_form", "partner_transfer"]), "region": "CN",
                "given_at": (self.clock.now - timedelta(days=rnd.choice([0, 5, 15, 30]))).isoformat(),
                "channels": rnd.choice([["phone"], ["phone"], ["phone", "sms"], ["sms"]]),
                "product_types": rnd.choice([[], [], ["deposit"], ["wealth"]])}
        if rnd.random() < 0.5:
            body["phone"] = rnd.choice(list(self.owner))
        else:
            body["customer_id"] = rnd.choice(CUSTOMERS)
        if rnd.random() < 0.3:
            body["expires_at"] = (self.clock.now + timedelta(days=rnd.choice([1, 3]))).isoformat()
        self.consents.append(self.api("POST", "/v1/consents", body)["consent_id"])

    def withdraw_consent(self) -> None:
        if self.consents:
            consent_id = self.consents.pop(self.rnd.randrange(len(self.consents)))
            self.api("POST", f"/v1/consents/{consent_id}/withdraw", {"via": "app"}, expect=(200, 409))

    def approve_script(self) -> None:
        script = self.api("POST", "/v1/scripts", {"campaign": "ins-2026q4", "product_type": "insurance",
                                                  "text": "您好，这是一款两全保险产品。保险产品不是存款，投资有风险。具体以保险合同为准。"})
        self.api("POST", f"/v1/scripts/{script['id']}/approve", None, expect=(200, 409), key=self.checker)

    # --- calls ------------------------------------------------------------------------------

    def check(self) -> None:
        rnd = self.rnd
        number = rnd.choice(list(self.owner))
        campaign = rnd.choice(list(CAMPAIGNS))
        product = rnd.choice(CAMPAIGNS[campaign])
        owner = self.owner[number]
        named = rnd.choice([None, None, owner, owner, rnd.choice(CUSTOMERS), f"X{rnd.randrange(1000)}"])
        purpose = "service" if rnd.random() < 0.2 else "marketing"
        body = {"phone": number, "campaign": campaign, "agent_id": f"A{rnd.randrange(4)}", "purpose": purpose}
        if product:
            body["product"] = product
        if named:
            body["customer_id"] = named
        if named is None:
            scrub = self.api("POST", "/v1/check/batch", {"campaign": campaign, "phones": [number], "product": product, "purpose": purpose}
                             if product else {"campaign": campaign, "phones": [number], "purpose": purpose})
            scrubbed = [r["code"] for r in scrub["results"][0]["reasons"]]
        decision = self.api("POST", "/v1/check", body)
        codes = [r["code"] for r in decision["reasons"]]
        assert codes == sorted(codes, key=ORDER.__getitem__)
        self.consent_whys.update(r["detail"]["why"] for r in decision["reasons"] if r["code"] == "CONSENT_MISSING")
        if named is None:
            assert scrubbed == codes, (body, scrubbed, codes)
            self.scrubs_compared += 1
        self.mismatches += decision["customer_mismatch"]
        call_id = f"k{len(self.calls):04d}"
        dial = decision["allowed"] or rnd.random() < 0.25
        if not dial:
            return
        disposition = rnd.choice(["no_answer", "answered", "answered", "busy", "callback", "do_not_call", "complaint"])
        self.calls.append({"call_id": call_id, "phone": number, "called_at": self.clock.now.isoformat(), "campaign": campaign,
                           "product": product or "", "agent_id": body["agent_id"], "customer_id": named or "",
                           "disposition": disposition, "decision_id": decision["decision_id"], "purpose": purpose})
        self.live[call_id] = codes
        if not decision["allowed"]:
            self.despite.add(call_id)
        if rnd.random() < 0.8 or not decision["allowed"]:
            # Reported when the call ends, before anything else happens: the next check already knows it.
            self.clock.now += timedelta(minutes=2)
            self.api("POST", f"/v1/calls/{decision['decision_id']}/outcome", {"disposition": disposition,
                                                                              "ended_at": self.clock.now.isoformat()})
        elif disposition in ("callback", "do_not_call", "complaint"):
            self.calls[-1]["disposition"] = "answered"  # not reported: nothing may follow from it

    def run(self, steps: int) -> None:
        self.setup()
        actions = [(self.check, 60), (self.move_number, 5), (self.blacklist, 5), (self.unblacklist, 4), (self.complaint, 5),
                   (self.approve_script, 1), (self.give_consent, 6), (self.withdraw_consent, 2)]
        for _ in range(steps):
            self.tick()
            action = self.rnd.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
            action()

    def audit(self) -> dict[str, list[str]]:
        out = io.StringIO()
        fields = ["call_id", "phone", "called_at", "campaign", "product", "agent_id", "customer_id", "disposition", "decision_id", "purpose"]
        w = csv.DictWriter(out, fields)
        w.writeheader()
        w.writerows(self.calls)
        r = self.c.post("/v1/audits", data=out.getvalue().encode(), headers={**self.key, "Content-Type": "text/csv"})
        assert r.status_code == 202, r.get_data(as_text=True)
        audit_id = r.json["audit_id"]
        for _ in range(600):
            status = self.api("GET", f"/v1/audits/{audit_id}")
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert status["status"] == "done", status
        assert status["progress"]["rows_rejected"] == 0, status["rejected_rows"]
        found: dict[str, list[str]] = {c: [] for c in self.live}
        after = 0
        while True:
            page = self.api("GET", f"/v1/audits/{audit_id}/violations?limit=1000&after={after}")
            for v in page["violations"]:
                found[v["call_id"]].append(v["code"])
            if page["next_after"] is None:
                return found
            after = page["next_after"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_call_audited_gives_the_live_decisions_codes(make_app, pack_dir, tmp_path, seed):
    clock = Clock(START)
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), GUARD_DATA_DIR=str(tmp_path / "data"), clock=clock)
    world = World(app, clock, seed)
    world.run(260)
    audited = world.audit()
    for call_id, live in world.live.items():
        rule_codes = sorted((c for c in audited[call_id] if c not in AUDIT_ONLY), key=ORDER.__getitem__)
        assert rule_codes == live, (call_id, next(c for c in world.calls if c["call_id"] == call_id), live, audited[call_id])
        extra = Counter(c for c in audited[call_id] if c in AUDIT_ONLY)
        assert extra == (Counter({"CALLED_DESPITE_DENY": 1}) if call_id in world.despite else Counter()), (call_id, audited[call_id])
    assert len(world.calls) >= 40, "the world dialled too little to prove anything"
    seen = Counter(c for codes in world.live.values() for c in codes)
    assert len(seen) >= 6, f"too few kinds of denial exercised: {seen}"
    assert world.scrubs_compared >= 20
    assert world.mismatches >= 3, "too few checks named someone other than the owner"
    assert seen["CONSENT_MISSING"] >= 1 and len(world.consent_whys) >= 3, f"too few consent denials exercised: {world.consent_whys}"
