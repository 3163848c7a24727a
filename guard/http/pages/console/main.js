// The console's entry point: sign-in, the navigation, and drawing the page the hash names.
//
// The API key is typed once and kept in sessionStorage (this tab only, gone when it closes); it is
// sent only to this guard. What the key may do comes from GET /v1/me; the API still checks every
// call, and a 401/403 it answers is shown as a message, never a blank page.
import { KEY, api, forget, session } from "./api.js";
import { $, banner, h } from "./dom.js";
import { explain, fail } from "./errors.js";
import { lang, setLang, t } from "./i18n.js";
import { go, setRenderer, stopTimers } from "./router.js";
import { loadVocabularies, roleNames } from "./vocab.js";
import { renderAudits } from "./pages/audits.js";
import { renderComplaints } from "./pages/complaints.js";
import { renderCustomer } from "./pages/customer.js";
import { renderDashboard } from "./pages/dashboard.js";
import { renderLookup } from "./pages/lookup.js";
import { TITLE as WHATIF_TITLE, renderWhatif } from "./pages/whatif.js";

const PAGES = [
  { id: "dashboard", roles: ["auditor", "operator"], render: renderDashboard },
  { id: "lookup", roles: ["dialer", "auditor", "operator"], render: renderLookup },
  { id: "customer", roles: ["operator"], render: renderCustomer },
  { id: "complaints", roles: ["operator"], render: renderComplaints },
  { id: "review", roles: ["reviewer"], href: "/review" },
  { id: "audits", roles: ["auditor"], render: renderAudits },
  { id: "whatif", roles: ["auditor"], render: renderWhatif, title: WHATIF_TITLE },
];
// A page may carry its own name in both languages (`title`); the others are named by the shared dictionary.
const pageName = (page) => (page.title ? page.title[lang] || page.title.zh : t("nav." + page.id));
const may = (page) => !!session.me && page.roles.some((r) => session.me.can.includes(r));
let renderSeq = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || "") };
}

function renderNav(current) {
  const me = session.me;
  const nav = $("nav");
  nav.textContent = "";
  nav.hidden = !me;
  $("signout").hidden = !me;
  $("whoami").textContent = me ? `${me.label || me.key_id} · ${roleNames(me.roles)}` : "";
  if (!me) return;
  for (const page of PAGES.filter(may)) {
    nav.appendChild(h("a", { href: page.href || "#/" + page.id, "aria-current": page.id === current ? "page" : null,
      "data-page": page.id, text: pageName(page) }));
  }
}

async function route() {
  stopTimers();
  const seq = ++renderSeq;
  const { parts, params } = parseHash();
  const view = $("view");
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("brand");
  $("lang").textContent = lang === "zh" ? "English" : "中文";
  $("lang").setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
  if (!sessionStorage.getItem(KEY) || parts[0] === "signin") {
    session.me = null;
    renderNav(null);
    return renderSignin(view);
  }
  try {
    // The vocabularies were asked for at boot; /v1/me once per sign-in.
    const [me] = await Promise.all([session.me || api("GET", "/v1/me"), loadVocabularies()]);
    if (seq !== renderSeq) return;
    session.me = me;
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err.status === 401) { forget(); banner(t("err.401")); renderNav(null); return renderSignin(view); }
    renderNav(null);
    view.textContent = "";
    banner(explain(err));
    return;
  }
  const page = PAGES.find((p) => p.id === parts[0] && !p.href);
  const home = PAGES.find((p) => may(p));
  if (!page) {
    if (home && !home.href) return go("#/" + home.id);
    if (home) { location.href = home.href; return; }
  }
  renderNav(page ? page.id : null);
  view.textContent = "";
  if (!page) return;
  if (!may(page)) {
    view.appendChild(h("div", { class: "card", role: "alert", id: "forbidden" },
      t("forbidden.page", { have: roleNames(session.me.roles), page: pageName(page), need: roleNames(page.roles) })));
    return;
  }
  view.appendChild(h("p", { class: "muted", id: "loading", text: t("loading") }));
  try {
    await page.render(view, parts.slice(1), params, () => seq !== renderSeq);
  } catch (err) {
    if (seq !== renderSeq) return;
    fail(err);
  } finally {
    const loading = $("loading");
    if (loading && seq === renderSeq) loading.remove();
  }
}

function renderSignin(view) {
  view.textContent = "";
  const input = h("input", { id: "signin-key", type: "password", autocomplete: "off", required: true, spellcheck: "false",
    "aria-describedby": "signin-help" });
  const error = h("p", { class: "error", id: "signin-error", role: "alert" });
  const form = h("form", { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title", text: t("signin.title") }),
    h("div", { class: "field" }, h("label", { for: "signin-key", text: t("signin.key") }), input),
    h("p", { class: "muted", id: "signin-help", text: t("signin.help") }),
    error,
    h("button", { type: "submit", id: "signin-go", text: t("signin.go") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) { input.focus(); return; }
    error.textContent = "";
    try {
      session.me = await api("GET", "/v1/me", undefined, { key });
    } catch (err) {
      error.textContent = err.status === 401 ? t("signin.bad") : explain(err);
      input.focus();
      return;
    }
    sessionStorage.setItem(KEY, key);
    banner("");
    // Carry on to the page asked for (a bookmark, a link from a colleague), else the home page.
    const wanted = location.hash && !/^#\/?(signin)?$/.test(location.hash) ? location.hash : "#/";
    go(wanted);
  });
  view.appendChild(form);
  input.focus();
}

const translateStatic = () => document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });

$("lang").addEventListener("click", () => {
  setLang(lang === "zh" ? "en" : "zh");
  translateStatic();
  route();
});
$("signout").addEventListener("click", () => {
  forget();
  banner("");
  go("#/signin");
});
translateStatic();
setRenderer(route);
loadVocabularies().catch(() => {});  // asked for now, awaited (and retried if it failed) before a page is drawn
window.addEventListener("hashchange", route);
route();
