// The one dialog of the page: a form, then a confirmation saying what will happen, then the call.
import { ApiError } from "./api.js";
import { $, append, h } from "./dom.js";
import { explain, fail } from "./errors.js";
import { t } from "./i18n.js";

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
  $("dialog-title").textContent = title;
  const showForm = () => {
    payload = null;
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
        error.textContent = String(message);
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
      await submit(payload);
      close();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { close(); fail(err); return; }
      error.textContent = explain(err);
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
