// The console's entry point: sign-in, the navigation, and drawing the page the hash names.
//
// People sign in with a user name and password (signin.js; the session is an HttpOnly cookie and
// changes carry its CSRF token, api.js); administrators may use an API key instead. What the caller
// may do comes from GET /v1/me; the API still checks every call, and a 401/403 it answers is shown
// as a message, never a blank page.
import { api, forget, session, signOut, signedIn } from "./api.js";
import { $, banner, clearToast, focusHeading, focusKey, h, settleFocus, visible } from "./dom.js";
import { explain, fail } from "./errors.js";
import { chineseChoice, lang, langTag, setLang, t } from "./i18n.js";
import { go, setRenderer, stopTimers, takeRefocus } from "./router.js";
import { renderSignin } from "./signin.js";
import { loadVocabularies, roleNames } from "./vocab.js";
import { renderAudits } from "./pages/audits.js";
import { renderComplaints } from "./pages/complaints.js";
import { renderCustomer } from "./pages/customer.js";
import { renderDashboard } from "./pages/dashboard.js";
import { renderLookup } from "./pages/lookup.js";
import { renderWhatif } from "./pages/whatif.js";

const PAGES = [
  { id: "dashboard", roles: ["auditor", "operator"], render: renderDashboard },
  { id: "lookup", roles: ["dialer", "auditor", "operator"], render: renderLookup },
  { id: "customer", roles: ["operator"], render: renderCustomer },
  { id: "complaints", roles: ["operator"], render: renderComplaints },
  { id: "review", roles: ["reviewer"], href: "/review" },
  { id: "audits", roles: ["auditor"], render: renderAudits },
  { id: "whatif", roles: ["auditor"], render: renderWhatif },
];
// Every page is named by the shared dictionary (nav.<id>), in each language.
const pageName = (page) => t("nav." + page.id);
const may = (page) => !!session.me && page.roles.some((r) => session.me.can.includes(r));
let renderSeq = 0;
let drawnHash = null;  // the page last drawn: a toast belongs to it and goes when another page is opened
let drawnPage = null;  // the id of the page last drawn
let routed = false;  // the first drawing is the document's own loading: focus stays where the browser puts it

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
  $("whoami").textContent = me ? visible(`${me.label || me.actor || me.key_id} · ${roleNames(me.roles)}`) : "";
  $("whoami").title = me ? me.actor || "" : "";
  if (!me) return;
  for (const page of PAGES.filter(may)) {
    nav.appendChild(h("a", { href: page.href || "#/" + page.id, "aria-current": page.id === current ? "page" : null,
      "data-page": page.id, text: pageName(page) }));
  }
}

async function route() {
  const loaded = !routed;
  routed = true;
  stopTimers();
  if (location.hash !== drawnHash) { clearToast(); drawnHash = location.hash; }
  const seq = ++renderSeq;
  const { parts, params } = parseHash();
  const view = $("view");
  document.documentElement.lang = langTag();
  document.title = t("brand");
  $("lang").textContent = lang === "en" ? (chineseChoice() === "zh-TW" ? "中文（繁體）" : "中文") : "English";
  $("lang").setAttribute("lang", lang === "en" ? (chineseChoice() === "zh-TW" ? "zh-TW" : "zh-CN") : "en");
  // Simplified or traditional Chinese (the Taiwan and Hong Kong packs' users read traditional).
  $("zh-variant").hidden = lang === "en";
  $("zh-variant").textContent = lang === "zh-TW" ? t("lang.zh") : t("lang.zh-TW");
  $("zh-variant").setAttribute("lang", lang === "zh-TW" ? "zh-CN" : "zh-TW");
  let inside = false;
  try {
    inside = parts[0] !== "signin" && await signedIn();
  } catch (err) {
    if (seq !== renderSeq) return;
    renderNav(null);
    view.textContent = "";
    banner(explain(err));
    return;
  }
  if (seq !== renderSeq) return;
  if (!inside) {
    session.me = null;
    drawnPage = null;
    renderNav(null);
    return renderSignin(view, go);
  }
  try {
    // The vocabularies were asked for at boot; /v1/me once per sign-in.
    const [me] = await Promise.all([session.me || api("GET", "/v1/me"), loadVocabularies()]);
    if (seq !== renderSeq) return;
    session.me = me;
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err.status === 401) { forget(); banner(t("err.401")); renderNav(null); return renderSignin(view, go); }
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
  // Focus after drawing (WCAG 2.4.3): another page opened puts it on that page's heading; the same page drawn again
  // (a search, a tab, a change confirmed in the dialog) puts it back on the control the person was on.
  const samePage = page && page.id === drawnPage;
  drawnPage = page ? page.id : null;
  const active = document.activeElement;
  const pending = takeRefocus();
  const again = samePage ? pending || (view.contains(active) ? focusKey(active) : null) : null;
  view.textContent = "";
  if (!page) return;
  if (!may(page)) {
    view.appendChild(h("div", { class: "card", role: "alert", id: "forbidden" },
      // A person signed in (GET /v1/me: no key id) is told about their account, a key about the key.
      t(session.me.key_id ? "forbidden.page" : "forbidden.page.person", { have: roleNames(session.me.roles), page: pageName(page), need: roleNames(page.roles) })));
    if (!loaded) settleFocus(view, null);
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
    if (seq === renderSeq && !loaded) settleFocus(view, again);
  }
}

const translateStatic = () => document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });

$("lang").addEventListener("click", () => {
  setLang(lang === "en" ? chineseChoice() : "en");
  translateStatic();
  route();
});
$("zh-variant").addEventListener("click", () => {
  setLang(lang === "zh-TW" ? "zh" : "zh-TW");
  translateStatic();
  route();
});
// The skip link moves focus to the page's content; followed as a link it would set the hash the pages are routed by
// (#view), and open the home page instead (WCAG 2.4.1).
document.querySelector("a.skip").addEventListener("click", (event) => {
  event.preventDefault();
  focusHeading($("view"));
});
$("signout").addEventListener("click", async () => {
  await signOut();
  banner("");
  go("#/signin");
});
translateStatic();
setRenderer(route);
loadVocabularies().catch(() => {});  // asked for now, awaited (and retried if it failed) before a page is drawn
window.addEventListener("hashchange", route);
route();
