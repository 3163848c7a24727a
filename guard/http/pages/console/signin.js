// The sign-in page: a person's user name and password (local account or the bank's directory), and,
// below it, an API key for administrators (troubleshooting, or a guard without accounts yet).
import { KEY, api, session, signIn } from "./api.js";
import { banner, h } from "./dom.js";
import { explain } from "./errors.js";
import { bothLanguages, lang, t } from "./i18n.js";

// Chinese first, English beside it: staff may read either. The Chinese is the one last chosen, simplified or
// traditional (the words are i18n.js's `sw.*`, converted as every other word of the console is).
// Each language in its own element with its lang, so a screen reader says each in its own speech (WCAG 3.1.2).
function both(id) {
  const { zh, zhTag, en } = bothLanguages(`sw.${id}`);
  const zhPart = h("span", { lang: zhTag, text: zh });
  const enPart = h("span", { lang: "en", text: en });
  return lang !== "en" ? [zhPart, " ", enPart] : [enPart, " ", zhPart];
}

function words(id) {
  const { zh, en } = bothLanguages(`sw.${id}`);
  return lang !== "en" ? `${zh}（${en}）` : `${en} (${zh})`;
}

/** Why a sign-in was refused, in the reader's words (the sign-in page and a dialog signing in again). */
export function why(err) {
  const known = { SIGN_IN_FAILED: "failed", SIGN_IN_LOCKED: "locked", ACCOUNT_DISABLED: "disabled", NO_ROLE: "norole",
    DIRECTORY_UNAVAILABLE: "directory" }[err.code];
  if (!known) return explain(err);
  return words(known) + (err.code === "SIGN_IN_LOCKED" && err.details ? ` (${err.details.retry_after_seconds} s)` : "");
}

function wanted() {
  // Carry on to the page asked for (a bookmark, a link from a colleague), else the home page.
  return location.hash && !/^#\/?(signin)?$/.test(location.hash) ? location.hash : "#/";
}

export function renderSignin(view, go) {
  // Already shown in this language (a link followed, another tab signing out): keep it, and what was typed in it.
  const shown = view.querySelector("#signin-form");
  if (shown && shown.dataset.lang === lang) return;
  view.textContent = "";
  const user = h("input", { id: "signin-user", name: "username", autocomplete: "username", required: true, spellcheck: "false",
    autocapitalize: "none" });
  const password = h("input", { id: "signin-password", name: "password", type: "password", autocomplete: "current-password",
    required: true });
  const error = h("p", { class: "error", id: "signin-error", role: "alert" });
  const submit = h("button", { type: "submit", id: "signin-submit" }, both("go"));
  const form = h("form", { class: "card signin", id: "signin-form", "aria-labelledby": "signin-title", "data-lang": lang },
    h("h1", { id: "signin-title", text: t("signin.title") }),
    h("p", { class: "muted" }, both("hint")),
    h("div", { class: "field" }, h("label", { for: "signin-user" }, both("user")), user),
    h("div", { class: "field" }, h("label", { for: "signin-password" }, both("password")), password),
    error,
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!user.value.trim()) { user.focus(); return; }
    if (!password.value) { password.focus(); return; }
    error.textContent = "";
    submit.disabled = true;
    try {
      await signIn(user.value.trim(), password.value);
    } catch (err) {
      error.textContent = why(err);
      password.value = "";
      password.focus();
      return;
    } finally {
      submit.disabled = false;
    }
    banner("");
    go(wanted());
  });

  const key = h("input", { id: "signin-key", type: "password", autocomplete: "off", required: true, spellcheck: "false",
    "aria-describedby": "signin-help" });
  const keyError = h("p", { class: "error", id: "signin-key-error", role: "alert" });
  const keyForm = h("form", { class: "card signin signin-key", id: "signin-key-form", "aria-labelledby": "signin-key-title" },
    h("h2", { id: "signin-key-title" }, both("keyTitle")),
    h("div", { class: "field" }, h("label", { for: "signin-key", text: t("signin.key") }), key),
    h("p", { class: "muted", id: "signin-help", text: t("signin.help") }),
    keyError,
    h("button", { type: "submit", id: "signin-go", class: "ghost-dark", text: t("signin.go") }));
  keyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) { key.focus(); return; }
    keyError.textContent = "";
    try {
      session.me = await api("GET", "/v1/me", undefined, { key: value });
    } catch (err) {
      keyError.textContent = err.status === 401 ? t("signin.bad") : explain(err);
      key.focus();
      return;
    }
    session.csrf = null;
    sessionStorage.setItem(KEY, value);
    banner("");
    go(wanted());
  });
  view.appendChild(form);
  view.appendChild(keyForm);
  user.focus();
}
