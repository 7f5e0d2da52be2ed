"""The local issuer's hosted UI: Cognito's authorization code flow with PKCE, behind a test sign-in page.

    GET  /oauth2/authorize  the sign-in page (Email, Role, Sign in) for an app client's valid request
    POST /oauth2/authorize  the page's form: redirects to redirect_uri?code=..&state=..
    POST /oauth2/token      form-encoded code + code_verifier: ID and access tokens (CORS for the web apps)
    GET  /logout            redirects to a listed logout_uri

Two app clients, as the user pool has them: the storefront's (callback `<origin>/auth/callback`, sign-out
`<origin>/`, per storefront origin) and the console's (callback and sign-out its index URL). Rules as the
hosted UI applies them: only those clients, only each one's listed callback and logout URLs (an error is a
page, never a redirect to a URL nobody listed), S256 challenges only, and a code that is single use,
expires in five minutes and is bound to the client, the redirect_uri and the challenge.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from werkzeug.wrappers import Request, Response

from local.sign_in_page import error_page, sign_in_page

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

    def form_fields(self) -> dict[str, str]:
        """The request as the sign-in form carries it to its POST."""
        fields = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
            "state": self.state,
            "nonce": self.nonce,
        }
        return {name: value for name, value in fields.items() if value is not None}


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
    """The hosted UI's endpoints for the storefront's app client (`client_id`, with the storefront origins it
    lists) and any console clients, each with its index URLs."""

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
        self._origins: frozenset[str] = frozenset()
        self._consoles: dict[str, frozenset[str]] = {}  # a console client's index URLs
        self.codes = AuthorizationCodes(clock)
        for origin in storefront_origins:
            self.allow_storefront(origin)

    def allow_storefront(self, origin: str) -> None:
        """List a storefront origin: its /auth/callback and / become a callback URL and a logout URL."""
        self._origins = self._origins | {origin.rstrip("/")}  # replaced whole: requests read it meanwhile

    def allow_console(self, client_id: str, index_url: str) -> None:
        """List a console client's index URL: its callback URL and its sign-out URL both."""
        urls = self._consoles.get(client_id, frozenset()) | {index_url}
        self._consoles = {**self._consoles, client_id: urls}  # replaced whole: requests read it meanwhile

    @property
    def callback_urls(self) -> set[str]:
        return {origin + CALLBACK_PATH for origin in self._origins}

    @property
    def logout_urls(self) -> set[str]:
        return {origin + "/" for origin in self._origins}

    def _client_urls(self, client_id: str | None) -> tuple[set[str], set[str]] | None:
        """The client's callback and sign-out URLs; None for a client the pool does not have."""
        if client_id == self.client_id:
            return self.callback_urls, self.logout_urls
        if client_id in self._consoles:
            return set(self._consoles[client_id]), set(self._consoles[client_id])
        return None

    @property
    def _web_origins(self) -> set[str]:
        consoles = {url for urls in self._consoles.values() for url in urls}
        return set(self._origins) | {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in consoles}

    def handle(self, request: Request) -> Response:
        if request.path == TOKEN_PATH:
            return self._with_cors(request, self._token_endpoint(request))
        allowed = {AUTHORIZE_PATH: ("GET", "POST"), LOGOUT_PATH: ("GET",)}[request.path]
        if request.method not in allowed:
            return error_page("Method not allowed", f"Use {' or '.join(allowed)}.", status=405)
        try:
            if request.path == LOGOUT_PATH:
                return self._logout(request)
            sign_in = self._checked(request.values)
        except SignInRefused as refused:
            return error_page("Sign-in refused", str(refused), status=400)
        if request.method == "GET":
            return sign_in_page(AUTHORIZE_PATH, sign_in.form_fields(), self.roles)
        return self._signed_in(sign_in, request.form)

    # authorize
    def _checked(self, values: Any) -> SignInRequest:
        urls = self._client_urls(values.get("client_id"))
        if urls is None:
            raise SignInRefused("client_id is not one of this user pool's app clients.")
        if values.get("redirect_uri") not in urls[0]:
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
            values["client_id"],
            values["redirect_uri"],
            challenge,
            scope,
            values.get("state"),
            values.get("nonce"),
        )

    def _signed_in(self, sign_in: SignInRequest, form: Any) -> Response:
        role = form.get("role", "")
        email = form.get("email", "").strip() or None
        try:
            self._check_user(role, email)
        except ValueError as refused:
            return sign_in_page(
                AUTHORIZE_PATH,
                sign_in.form_fields(),
                self.roles,
                error=str(refused),
                email=email or "",
                role=role,
            )
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
        if self._client_urls(form.get("client_id")) is None:
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
        if origin in self._web_origins:
            response.headers["access-control-allow-origin"] = origin
            response.headers["vary"] = "origin"
            if request.method == "OPTIONS":
                response.headers["access-control-allow-methods"] = "POST"
                response.headers["access-control-allow-headers"] = "content-type, authorization"
                response.headers["access-control-max-age"] = "600"
        return response

    # logout
    def _logout(self, request: Request) -> Response:
        urls = self._client_urls(request.args.get("client_id"))
        if urls is None:
            raise SignInRefused("client_id is not one of this user pool's app clients.")
        logout_uri = request.args.get("logout_uri")
        if logout_uri not in urls[1]:
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
