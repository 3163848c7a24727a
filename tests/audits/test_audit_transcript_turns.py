"""An audit judges the agent's words: a transcript's customer turns draw no violation, whether the log holds
the transcript as labelled text (坐席：…\\n客户：…) or, in JSON Lines, as the list of turns a quality-inspection
system exports (Alibaba Cloud's role 客服/客户 with words, Huawei Cloud's speaker staff/customer with asr_text;
tests/lint/real/transcripts.md). A list that is not one of turns rejects its row, with the reason."""

from __future__ import annotations

import json

from tests.audits.test_audit_encodings import audited, client  # noqa: F401 (a fixture)
from tests.audits.test_audits_api import wait_done

OPENING = "您好，本次通话将被录音。理财非存款，产品有风险，投资须谨慎。"
ASKS = "你们这个理财是保本保息的吗？会不会亏？"


def row(call_id: str, transcript, hour: int) -> str:
    return json.dumps({"call_id": call_id, "phone": f"139000003{hour:02d}", "called_at": f"2026-11-03T{hour:02d}:00:00+08:00",
                       "campaign": "wm-2026q4", "agent_id": "A1", "transcript": transcript}, ensure_ascii=False) + "\n"


def test_customer_turns_draw_no_violation_as_text_or_as_exported_turns(client):  # noqa: F811
    log = "".join([
        row("text-asks", f"坐席：{OPENING}\n客户：{ASKS}\n坐席：不保本，过往业绩不代表未来表现。", 10),
        row("text-claims", f"坐席：{OPENING}\n客户：{ASKS}\n坐席：放心，这款理财保本保息。", 11),
        row("aliyun-asks", [{"role": "客服", "words": OPENING}, {"role": "客户", "words": ASKS},
                            {"role": "客服", "words": "不保本，过往业绩不代表未来表现。"}], 12),
        row("huawei-claims", [{"speaker": "staff", "asr_text": OPENING}, {"speaker": "customer", "asr_text": ASKS},
                              {"speaker": "staff", "asr_text": "放心，这款理财保本保息。"}], 13),
        # the customer's words under the agent's label: the agent is answerable for them
        row("unlabelled", f"{OPENING}\n{ASKS}", 14),
    ])
    audit, codes = audited(client, log.encode("utf-8"), name="calls.jsonl")
    assert audit["summary"]["calls_judged"] == 5 and audit["summary"]["rows_rejected"] == 0
    banned = {call for call, c in codes.items() if "BANNED_PHRASE" in c}
    assert banned == {"text-claims", "huawei-claims", "unlabelled"}


def test_a_transcript_list_that_is_not_turns_rejects_its_row_with_the_reason(client):  # noqa: F811
    log = row("no-words", [{"role": "客服", "words": OPENING}, {"role": "客户"}], 10) + row("ok", "坐席：您好", 11)
    r = client.post("/v1/audits", data=log.encode("utf-8"), content_type="application/x-ndjson", headers=client.auditor)
    audit = wait_done(client, r.json["audit_id"])
    assert audit["status"] == "done" and audit["summary"]["calls_judged"] == 1 and audit["summary"]["rows_rejected"] == 1
    rejected = client.get(f"/v1/audits/{audit['audit_id']}", headers=client.auditor).json["rejected_rows"]
    assert [{k: x[k] for k in ("line", "reason")} for x in rejected] == [{"line": 1, "reason": "transcript: turn 2 has no words (a string under one of text, words, Words, "
                                              "content, asr_text, sentence)"}]
