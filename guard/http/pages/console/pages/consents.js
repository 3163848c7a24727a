// 授权与号码来源 Consent and provenance: every consent of a customer, with where the number came from and its versions.
import { api } from "../api.js";
import { h, table } from "../dom.js";
import { t } from "../i18n.js";
import { stamp } from "../time.js";
import { label } from "../vocab.js";

const BADGE = { given: "allow", withdrawn: "deny", expired: "warn", not_yet_given: "plain" };
const names = (vocab, codes) => codes.map((c) => label(vocab, c)).join(", ");

export async function consentCard(query) {
  const card = h("section", { class: "card", "aria-labelledby": "h-consent", id: "consents" }, h("h2", { id: "h-consent", text: t("consent.title") }));
  const data = await api("GET", "/v1/consents?" + query);
  if (!data.consents.length) {
    card.appendChild(h("p", { class: "empty", text: t("consent.none") }));
    return card;
  }
  card.appendChild(table(
    [t("q.status"), t("bl.scope"), t("consent.source"), t("consent.channels"), t("consent.products"), t("consent.given"), t("consent.expires"), t("consent.version"),
      t("consent.evidence"), t("consent.withdrawn"), t("consent.versions")],
    data.consents.map((c) => [
      h("span", { class: "badge " + (BADGE[c.status] || "plain"), text: t("consent.status." + c.status) }),
      c.phone_e164 || t("bl.scope.customer"), label("consent_sources", c.source), names("consent_channels", c.channels),
      c.product_types.length ? names("product_types", c.product_types) : t("consent.allproducts"), c.given_on || stamp(c.given_at),
      c.expires_on || (c.expires_at ? stamp(c.expires_at) : "—"), c.text_version || "—",
      c.evidence_ref || "—", c.withdrawn_at ? `${c.withdrawn_on || stamp(c.withdrawn_at)} · ${label("withdrawal_channels", c.withdrawn_via)}` : "—",
      String(c.versions.length)]), "consent-table", true));
  return card;
}
