// Calls to the guard's JSON API, ApiError, and who is signed in.
//
// People sign in with a user name and password (POST /v1/session): the session lives in an HttpOnly
// cookie no script can read, and every change carries the session's CSRF token (X-CSRF-Token), which
// is kept here, in memory, and asked for again (GET /v1/session) when the page loads. An API key
// typed into the sign-in page (administrators, troubleshooting) is kept in sessionStorage for this tab
// and sent as `Authorization: Bearer` instead; a key needs no CSRF token.

/** Where an API key is kept: this tab only, gone when it closes; it is sent only to this guard. */
export const KEY = "guard.key";

/** The caller as GET /v1/me described it (null when signed out), and the session's CSRF token. */
export const session = { me: null, csrf: null };

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Forget who is signed in, in this tab (the server's session is ended by signOut()). */
export function forget() {
  sessionStorage.removeItem(KEY);
  session.me = null;
  session.csrf = null;
}

export class ApiError extends Error {
  constructor(status, code, message, details, messages) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
    this.details = details;
    this.messages = messages;  // the error in zh-CN, zh-TW and en (the guard's `error.messages`)
  }
}

/**
 * One API call. `body` is sent as JSON (or as is, for FormData). Options: `key` (instead of the
 * tab's), `auth: false` (neither a key nor the CSRF token), `headers`, `raw` (the Response itself),
 * `withHeaders` ({data, headers}). A non-2xx answer or a network failure throws an ApiError.
 */
export async function api(method, path, body, options) {
  const opts = options || {};
  const headers = { Accept: "application/json" };
  const key = opts.key || sessionStorage.getItem(KEY);
  if (opts.auth !== false) {
    if (key) headers.Authorization = "Bearer " + key;
    else if (UNSAFE.has(method) && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  }
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  Object.assign(headers, opts.headers || {});
  let response;
  try {
    // same-origin: the session cookie goes to this guard and nowhere else.
    response = await fetch(path, { method, headers, body: payload, cache: "no-store", credentials: "same-origin" });
  } catch (err) {
    throw new ApiError(0, "NETWORK", String(err));
  }
  if (response.ok && opts.raw) return response;
  const isJson = (response.headers.get("Content-Type") || "").includes("json");
  const data = isJson ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(response.status, e.code, e.message || response.statusText, e.details, e.messages);
  }
  if (opts.withHeaders) return { data, headers: response.headers };
  return data;
}

/** Sign a person in; the answer's CSRF token is kept for the changes to come. */
export async function signIn(username, password) {
  sessionStorage.removeItem(KEY);
  const s = await api("POST", "/v1/session", { username, password }, { auth: false });
  session.csrf = s.csrf_token;
  session.me = null;
  return s;
}

/** Is anyone signed in in this tab? A key in sessionStorage, or a live session (asked for once per page load). */
export async function signedIn() {
  if (sessionStorage.getItem(KEY) || session.csrf) return true;
  try {
    const s = await api("GET", "/v1/session", undefined, { auth: false });
    session.csrf = s.csrf_token;
    return true;
  } catch (err) {
    if (err.status === 401) return false;
    throw err;
  }
}

/** Sign out: end the server's session (if any), then forget everything in this tab. */
export async function signOut() {
  const csrf = session.csrf;
  const hadKey = !!sessionStorage.getItem(KEY);
  forget();
  if (!hadKey && csrf) {
    await api("DELETE", "/v1/session", undefined, { auth: false, headers: { "X-CSRF-Token": csrf } }).catch(() => {});
  }
}
