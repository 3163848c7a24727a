// The guard's vocabularies (GET /v1/meta/vocabularies, fetched once): label(name, code) in the current language.
import { api } from "./api.js";
import { lang, list } from "./i18n.js";

let vocabularies = {};
let loading = null;

/** Fetch every vocabulary once (no key needed); a failed fetch is tried again on the next call. */
export function loadVocabularies() {
  if (!loading) {
    loading = api("GET", "/v1/meta/vocabularies", undefined, { auth: false })
      .then((data) => { vocabularies = data || {}; })
      .catch((err) => { loading = null; throw err; });
  }
  return loading;
}

const terms = (name) => (vocabularies[name] && vocabularies[name].terms) || [];
const term = (name, code) => terms(name).find((x) => x.code === code);

/** The codes of a vocabulary, in the registry's order (for the options of a select). */
export const codes = (name) => terms(name).map((x) => x.code);

/** Whether the vocabulary holds this code. */
export const known = (name, code) => term(name, code) !== undefined;

/** The label of `code` in vocabulary `name`, in the current language; the code itself if unknown. */
export function label(name, code) {
  const found = term(name, code);
  if (!found) return code === undefined || code === null ? "" : String(code);
  const text = lang === "en" ? found.en : lang === "zh-TW" ? found.zh_tw || found.zh : found.zh;
  return text || found.en || String(code);
}

/** Role codes as their labels, listed. */
export const roleNames = (roles) => list((roles || []).map((r) => label("roles", r)));
