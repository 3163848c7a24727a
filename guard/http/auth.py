"""People sign in to the console: `POST /v1/session` (user name and password, checked against the local
accounts and the directory), `GET /v1/session` (who is signed in, and the CSRF token), `DELETE /v1/session`
(sign out). Machines keep using API keys; these endpoints need none.

The session id goes only into a cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
page makes the browser send it), Secure over HTTPS (GUARD_COOKIE_SECURE), Path=/. Every sign-in makes a
new id (the one the browser had, if any, is ended), so an id planted before sign-in is worth nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from guard.http.api import COOKIE, CSRF_HEADER, endpoint, session_principal
from guard.http.common import answer, runtime
from guard.http.errors import ApiError
from guard.http.schemas import SessionOut, SignInIn
from guard.ratelimit import retry_after
from guard.services.ops import accounts
from guard.services.ops.keys import ROLES
from guard.core.messages import said

bp = Blueprint("auth", __name__)


def _secure() -> bool:
    mode = runtime().settings.cookie_secure
    if mode == "auto":
        return request.is_secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
    return mode == "1"


def _view(principal, csrf: str, expires_at, idle_expires_at) -> dict:
    return {"actor": principal.actor, "name": principal.name, "roles": sorted(principal.roles),
            "can": sorted(r for r in ROLES if principal.has(r)), "csrf_token": csrf,
            "expires_at": expires_at.isoformat(), "idle_expires_at": idle_expires_at.isoformat()}


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@endpoint(bp, "POST", "/v1/session", summary="Sign a person in (local account or directory); sets the session cookie",
          description="The answer's `csrf_token` must accompany (header X-CSRF-Token) every change made with the session. "
                      "Wrong name or password: 401 SIGN_IN_FAILED (the same for an unknown name). Repeated failures for a "
                      "name lock it (429 SIGN_IN_LOCKED, GUARD_SIGNIN_MAX_FAILURES). A directory that cannot be reached: "
                      "503 DIRECTORY_UNAVAILABLE. A directory user in no mapped group: 403 NO_ROLE.",
          roles=None, body=SignInIn, response=SessionOut,
          extra_responses={401: "wrong user name or password", 403: "account disabled, or no group mapped to a role",
                           429: "too many failed sign-ins for this name; see Retry-After",
                           503: "the directory or the store cannot be reached"})
def sign_in(body: SignInIn):
    rt = runtime()
    now = rt.clock()
    try:
        new = accounts.sign_in(rt.store, rt.settings, body.username, body.password, now)
    except accounts.SignInLocked as exc:
        raise ApiError(429, "SIGN_IN_LOCKED", exc.message, exc.details, {"Retry-After": retry_after(exc.seconds)}) from None
    old = request.cookies.get(COOKIE)
    if old:
        accounts.sign_out(rt.store, old, now)
    response = answer(_view(new.principal, new.csrf_token, new.expires_at, new.idle_expires_at))
    response.set_cookie(COOKIE, new.session_id, max_age=rt.settings.session_max_hours * 3600, path="/", secure=_secure(),
                        httponly=True, samesite="Strict")
    return _no_store(response)


@endpoint(bp, "GET", "/v1/session", summary="The signed-in person of this browser, with the session's CSRF token",
          roles=None, response=SessionOut, extra_responses={401: "not signed in, or the session ended"})
def current_session():
    found = session_principal()
    if found is None:
        raise ApiError(401, "UNAUTHORIZED", said("error.not_signed_in"))
    principal, live = found
    return _no_store(answer(_view(principal, live.csrf_token, live.expires_at, live.idle_expires_at)))


@endpoint(bp, "DELETE", "/v1/session", summary="Sign out: end the session and clear its cookie", roles=None, status=204,
          extra_responses={403: "a live session without its X-CSRF-Token"})
def sign_out():
    rt = runtime()
    found = session_principal()
    if found is not None:
        if not found[1].csrf_ok(request.headers.get(CSRF_HEADER)):
            raise ApiError(403, "CSRF_FAILED", said("error.csrf_sign_out", header=CSRF_HEADER))
        accounts.sign_out(rt.store, request.cookies.get(COOKIE, ""), rt.clock())
    response = Response(status=204)
    response.delete_cookie(COOKIE, path="/", secure=_secure(), httponly=True, samesite="Strict")
    return _no_store(response)
