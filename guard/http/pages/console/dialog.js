// The one dialog of the page: a form, then a confirmation saying what will happen, then the call.
import { ApiError, signIn } from "./api.js";
import { $, append, field, focusKey, h, visible } from "./dom.js";
import { explain } from "./errors.js";
import { t } from "./i18n.js";
import { refocus, takeRefocus } from "./router.js";
import { why } from "./signin.js";

/**
 * `body` is the form; `read()` returns the payload or throws a message; `summary(payload)` is the
 * confirmation; `submit(payload)` makes the call. Back returns to the form, Cancel changes nothing.
 */
export function confirmFlow({ title, body, read, summary, submit, danger }) {
  const dialog = $("dialog");
  const ok = $("dialog-ok");
  const back = $("dialog-back");
  const error = $("dialog-error");
  const bodyEl = $("dialog-body");
  let payload = null;
  let reauth = null;
  const opener = focusKey(document.activeElement);  // the change redraws the page: focus goes back to it there  // the sign-in fields shown when the session ended before the confirmation was sent
  $("dialog-title").textContent = visible(title);
  const showForm = () => {
    payload = null;
    reauth = null;
    bodyEl.textContent = "";
    append(bodyEl, [body]);
    ok.textContent = t("next");
    ok.className = "";
    back.hidden = true;
    error.textContent = "";
  };
  const close = () => dialog.close();
  showForm();
  $("dialog-form").onsubmit = async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (payload === null) {
      try {
        payload = read();
      } catch (message) {
        error.textContent = visible(message);
        return;
      }
      body.remove();
      bodyEl.appendChild(h("div", { class: "confirm-summary", id: "confirm-summary" }, summary(payload)));
      ok.textContent = t("confirm");
      ok.className = danger ? "danger" : "";
      back.hidden = false;
      ok.focus();
      return;
    }
    ok.disabled = true;
    try {
      if (reauth) {
        // Sign in again inside the dialog: what was typed stays and is sent once signed in.
        try {
          await signIn(reauth.user.value.trim(), reauth.password.value);
        } catch (err) {
          error.textContent = visible(err instanceof ApiError ? why(err) : explain(err));
          return;
        }
        reauth.box.remove();
        reauth = null;
      }
      refocus(opener);
      await submit(payload);
      close();
    } catch (err) {
      takeRefocus();
      if (err instanceof ApiError && err.status === 401) {
        // The session ended (idle expiry, signed out elsewhere, key revoked) while the form was open: keep the
        // form's content and ask for the sign-in here, rather than dropping it on the sign-in page.
        const user = h("input", { autocomplete: "username", spellcheck: "false", autocapitalize: "none" });
        const password = h("input", { type: "password", autocomplete: "current-password" });
        reauth = { user, password, box: h("div", { class: "reauth" }, field("reauth-user", t("reauth.user"), user),
          field("reauth-password", t("reauth.password"), password)) };
        bodyEl.appendChild(reauth.box);
        error.textContent = t("reauth.needed");
        ok.textContent = t("reauth.go");
        user.focus();
        return;
      }
      error.textContent = visible(explain(err));
    } finally {
      ok.disabled = false;
    }
  };
  back.onclick = showForm;
  $("dialog-cancel").onclick = close;
  dialog.showModal();
  const first = body.querySelector("input, select, textarea");
  if (first) first.focus();
}
