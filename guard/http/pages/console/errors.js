// API failures as sentences: explain() says what went wrong; fail() shows it (a 401 goes back to sign-in).
import { ApiError, forget, session } from "./api.js";
import { banner } from "./dom.js";
import { pick, t } from "./i18n.js";
import { roleNames } from "./vocab.js";

export function explain(err) {
  if (!(err instanceof ApiError)) return t("err.other", { status: "JS", msg: String(err) });
  const need = /\(([^)]*)\)/.exec(err.message || "");
  switch (err.status) {
    case 0: return t("err.network");
    case 401: return t("err.401");
    case 403: return t("err.403", { have: roleNames((err.details && err.details.roles) || (session.me ? session.me.roles : [])), need: need ? need[1] : "?" });
    // the guard's own sentence in the reader's language (its error's name, the fields, what is wrong), when it gave one
    case 400: return pick(err.messages) || t("err.400", { msg: err.message });
    case 404: return pick(err.messages) || t("err.404", { msg: err.message });
    case 409: return pick(err.messages) || t("err.409", { msg: err.message });
    case 412: return t("err.412", { current: err.details ? err.details.current : "?" });
    case 413: return pick(err.messages) || t("err.413", { msg: err.message });
    case 429: return pick(err.messages) || t("err.429");  // JOBS_BUSY says how many jobs run and when to ask again
    case 503: return t("err.503");
    default: return t("err.other", { status: err.status, msg: err.message });
  }
}

/** Show an API failure: a 401 sends the user back to sign in, everything else is a banner. */
export function fail(err) {
  if (err instanceof ApiError && err.status === 401) {
    forget();
    banner(t("err.401"));
    location.hash = "#/signin";
    return;
  }
  banner(explain(err));
}
