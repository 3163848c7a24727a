// Calls to the guard's JSON API with the tab's key (sessionStorage), ApiError, and who the key is (GET /v1/me).

/** Where the API key is kept: this tab only, gone when it closes; it is sent only to this guard. */
export const KEY = "guard.key";

/** The signed-in key as GET /v1/me described it (null when signed out). */
export const session = { me: null };

export function forget() {
  sessionStorage.removeItem(KEY);
  session.me = null;
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * One API call. `body` is sent as JSON (or as is, for FormData). Options: `key` (instead of the
 * tab's), `auth: false` (no Authorization header), `headers`, `raw` (the Response itself),
 * `withHeaders` ({data, headers}). A non-2xx answer or a network failure throws an ApiError.
 */
export async function api(method, path, body, options) {
  const opts = options || {};
  const headers = { Accept: "application/json" };
  if (opts.auth !== false) headers.Authorization = "Bearer " + (opts.key || sessionStorage.getItem(KEY) || "");
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  Object.assign(headers, opts.headers || {});
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  } catch (err) {
    throw new ApiError(0, "NETWORK", String(err));
  }
  if (response.ok && opts.raw) return response;
  const isJson = (response.headers.get("Content-Type") || "").includes("json");
  const data = isJson ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(response.status, e.code, e.message || response.statusText, e.details);
  }
  if (opts.withHeaders) return { data, headers: response.headers };
  return data;
}
