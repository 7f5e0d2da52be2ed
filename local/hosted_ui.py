"""The local issuer's hosted UI: Cognito's authorization code flow with PKCE, behind a test sign-in page.

    GET  /oauth2/authorize  the sign-in page (Email, Role, Sign in) for a storefront's valid request
    POST /oauth2/authorize  the page's form: redirects to redirect_uri?code=..&state=..
    POST /oauth2/token      form-encoded code + code_verifier: ID and access tokens (CORS for the storefront)
    GET  /logout            redirects to a listed logout_uri

Rules as the hosted UI applies them: only the app client, only listed callback and logout URLs (an error
is a page, never a redirect to a URL nobody listed), S256 challenges only, and a code that is single use,
expires in five minutes and is bound to the client, the redirect_uri and the challenge.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

AUTHORIZE_PATH = "/oauth2/authorize"
TOKEN_PATH = "/oauth2/token"  # noqa: S105 - a path, not a secret
LOGOUT_PATH = "/logout"
PATHS = (AUTHORIZE_PATH, TOKEN_PATH, LOGOUT_PATH)
CALLBACK_PATH = "/auth/callback"  # the storefront's callback page, on each storefront origin
CODE_TTL_SECONDS = 300  # Cognito's authorization codes live five minutes
SCOPES = ("openid", "email", "profile", "phone", "aws.cognito.signin.user.admin")
DEFAULT_SCOPE = "openid email profile"
# RFC 7636: a verifier is 43 to 128 unreserved characters; an S256 challenge is 43 base64url characters.
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")


class SignInRefused(ValueError):
    """An authorize or logout request the hosted UI answers with an error page."""


@dataclass(frozen=True)
class SignInRequest:
    """What the storefront asked for on /oauth2/authorize, checked."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    scope: str
    state: str | None
    nonce: str | None


@dataclass(frozen=True)
class Grant:
    """What a code stands for: the request it answers and the user who signed in."""

    request: SignInRequest
    role: str
    email: str | None
    expires_at: float


def s256(verifier: str) -> str:
    """The code challenge of a verifier: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class AuthorizationCodes:
    """Codes issued and not yet redeemed; redeeming one removes it, whatever the outcome."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def issue(self, request: SignInRequest, role: str, email: str | None) -> str:
        code = secrets.token_urlsafe(32)
        grant = Grant(request, role, email, self._clock() + CODE_TTL_SECONDS)
        with self._lock:
            self._grants = {c: g for c, g in self._grants.items() if g.expires_at > self._clock()}
            self._grants[code] = grant
        return code

    def redeem(self, code: str) -> Grant | None:
        """The code's grant, or None when it was never issued, was redeemed already or has expired."""
        with self._lock:
            grant = self._grants.pop(code, None)
        return grant if grant is not None and grant.expires_at > self._clock() else None


class HostedUi:
    """The hosted UI's endpoints for one app client and the storefront origins it lists."""

    def __init__(
        self,
        *,
        client_id: str,
        storefront_origins: Iterable[str],
        roles: Iterable[str],
        check_user: Callable[[str, str | None], object],
        tokens: Callable[[Grant], dict[str, Any]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self.roles = tuple(roles)
        self._check_user = check_user  # raises ValueError for a role or an email /token would refuse
        self._tokens = tokens
        self._origins: set[str] = set()
        self.codes = AuthorizationCodes(clock)
        for origin in storefront_origins:
            self.allow_storefront(origin)

    def allow_storefront(self, origin: str) -> None:
        """List a storefront origin: its /auth/callback and / become a callback URL and a logout URL."""
        self._origins.add(origin.rstrip("/"))

    @property
    def callback_urls(self) -> set[str]:
        return {origin + CALLBACK_PATH for origin in self._origins}

    @property
    def logout_urls(self) -> set[str]:
        return {origin + "/" for origin in self._origins}

    def handle(self, request: Request) -> Response:
        if request.path == TOKEN_PATH:
            return self._with_cors(request, self._token_endpoint(request))
        allowed = {AUTHORIZE_PATH: ("GET", "POST"), LOGOUT_PATH: ("GET",)}[request.path]
        if request.method not in allowed:
            return _page("Method not allowed", _error(f"Use {' or '.join(allowed)}."), status=405)
        try:
            if request.path == LOGOUT_PATH:
                return self._logout(request)
            sign_in = self._checked(request.values)
        except SignInRefused as refused:
            return _page("Sign-in refused", _error(str(refused)), status=400)
        if request.method == "GET":
            return _sign_in_page(sign_in, self.roles)
        return self._signed_in(sign_in, request.form)

    # authorize
    def _checked(self, values: Any) -> SignInRequest:
        if values.get("client_id") != self.client_id:
            raise SignInRefused("client_id is not this user pool's app client.")
        if values.get("redirect_uri") not in self.callback_urls:
            raise SignInRefused("redirect_uri is not one of the app client's callback URLs.")
        if values.get("response_type") != "code":
            raise SignInRefused("response_type must be code (the authorization code flow).")
        if values.get("code_challenge_method") != "S256":
            raise SignInRefused("code_challenge_method must be S256 (PKCE).")
        challenge = values.get("code_challenge", "")
        if not _CHALLENGE.fullmatch(challenge):
            raise SignInRefused("code_challenge must be base64url(sha256(code_verifier)), 43 characters.")
        scope = values.get("scope") or DEFAULT_SCOPE
        unknown = set(scope.split()) - set(SCOPES)
        if unknown:
            raise SignInRefused(
                f"scope names what the app client does not allow: {' '.join(sorted(unknown))}."
            )
        return SignInRequest(
            self.client_id, values["redirect_uri"], challenge, scope, values.get("state"), values.get("nonce")
        )

    def _signed_in(self, sign_in: SignInRequest, form: Any) -> Response:
        role = form.get("role", "")
        email = form.get("email", "").strip() or None
        try:
            self._check_user(role, email)
        except ValueError as refused:
            return _sign_in_page(sign_in, self.roles, error=str(refused), email=email or "", role=role)
        code = self.codes.issue(sign_in, role, email)
        answer = {"code": code} | ({"state": sign_in.state} if sign_in.state is not None else {})
        separator = "&" if "?" in sign_in.redirect_uri else "?"
        return _redirect(sign_in.redirect_uri + separator + urlencode(answer))

    # token
    def _token_endpoint(self, request: Request) -> Response:
        if request.method == "OPTIONS":  # a preflight, for a storefront that sends more than a form
            return Response(status=204)
        if request.method != "POST":
            return _json({"error": "invalid_request", "error_description": "POST only"}, 405)
        return self._token(request)

    def _token(self, request: Request) -> Response:
        if request.mimetype != "application/x-www-form-urlencoded":
            return _json({"error": "invalid_request", "error_description": "send a form-encoded body"}, 400)
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return _json({"error": "unsupported_grant_type"}, 400)
        if form.get("client_id") != self.client_id:
            return _json({"error": "invalid_client"}, 400)
        grant = self.codes.redeem(form.get("code", ""))
        verifier = form.get("code_verifier", "")
        if (
            grant is None
            or grant.request.client_id != form["client_id"]
            or grant.request.redirect_uri != form.get("redirect_uri")
            or not _VERIFIER.fullmatch(verifier)
            or not secrets.compare_digest(s256(verifier), grant.request.code_challenge)
        ):
            return _json({"error": "invalid_grant"}, 400)
        return _json(self._tokens(grant), 200)

    def _with_cors(self, request: Request, response: Response) -> Response:
        origin = request.headers.get("origin")
        if origin in self._origins:
            response.headers["access-control-allow-origin"] = origin
            response.headers["vary"] = "origin"
            if request.method == "OPTIONS":
                response.headers["access-control-allow-methods"] = "POST"
                response.headers["access-control-allow-headers"] = "content-type, authorization"
                response.headers["access-control-max-age"] = "600"
        return response

    # logout
    def _logout(self, request: Request) -> Response:
        if request.args.get("client_id") != self.client_id:
            raise SignInRefused("client_id is not this user pool's app client.")
        logout_uri = request.args.get("logout_uri")
        if logout_uri not in self.logout_urls:
            raise SignInRefused("logout_uri is not one of the app client's sign-out URLs.")
        return _redirect(logout_uri)


def _json(payload: dict[str, Any], status: int) -> Response:
    response = Response(json.dumps(payload), status=status, content_type="application/json")
    response.headers["cache-control"] = "no-store"
    return response


def _redirect(location: str) -> Response:
    response = Response(status=302)
    response.headers["location"] = location
    response.headers["cache-control"] = "no-store"
    return response


_STYLE = (
    "body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}"
    "main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #ccc}"
    "label{display:block;margin-top:1rem;font-weight:600}input,select{width:100%;padding:.5rem;font:inherit}"
    "button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit;color:#fff;background:#1f4e79;border:0}"
    ".hint{color:#4a4a4a;font-size:.9rem}.error{color:#a10000;font-weight:600}"
)


def _page(title: str, body: str, *, status: int = 200) -> Response:
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · local sign-in</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    response = Response(document, status=status, content_type="text/html; charset=utf-8")
    response.headers["cache-control"] = "no-store"
    return response


def _error(message: str, element_id: str = "error") -> str:
    return f'<p id="{element_id}" class="error" role="alert">{html.escape(message)}</p>'


def _sign_in_page(
    sign_in: SignInRequest, roles: tuple[str, ...], *, error: str = "", email: str = "", role: str = ""
) -> Response:
    carried = {
        "client_id": sign_in.client_id,
        "redirect_uri": sign_in.redirect_uri,
        "response_type": "code",
        "scope": sign_in.scope,
        "code_challenge": sign_in.code_challenge,
        "code_challenge_method": "S256",
        "state": sign_in.state,
        "nonce": sign_in.nonce,
    }
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
        for name, value in carried.items()
        if value is not None
    )
    options = "".join(f'<option value="{r}"{" selected" if r == role else ""}>{r}</option>' for r in roles)
    described = "email-hint email-error" if error else "email-hint"
    invalid = ' aria-invalid="true"' if error else ""
    body = (
        f"{_error(error, 'email-error') if error else ''}"
        f'<form method="post" action="{AUTHORIZE_PATH}">{hidden}'
        '<label for="email">Email</label>'
        f'<input id="email" name="email" type="email" autocomplete="email" value="{html.escape(email)}"'
        f' aria-describedby="{described}"{invalid}>'
        '<p id="email-hint" class="hint">Empty: the role\'s demo user, such as customer@example.com.</p>'
        f'<label for="role">Role</label><select id="role" name="role">{options}</select>'
        '<button type="submit">Sign in</button></form>'
        '<p class="hint">A test sign-in page: no password. Deployed, Cognito\'s hosted UI stands here.</p>'
    )
    return _page("Sign in", body, status=400 if error else 200)
