"""The local OpenID issuer: the Cognito user pool's part on a laptop.

It signs ID tokens for demo users with an RSA key pair made when it starts (kept in memory, never written
anywhere) and publishes the public half the way a user pool does, so the HTTP API emulator verifies tokens
exactly as API Gateway's JWT authorizer would: discovery document, JWKS, `kid`, RS256.

    GET  /.well-known/openid-configuration
    GET  /.well-known/jwks.json
    POST /token   {"role": "customer"|"support"|"staff"|"admin", "email": "...", "ttl_seconds": 3600}  (local)
    GET  /oauth2/authorize, POST /oauth2/token, GET /logout: the hosted UI's sign-in (local/hosted_ui.py)
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from local.hosted_ui import PATHS as HOSTED_UI_PATHS
from local.hosted_ui import TOKEN_PATH, Grant, HostedUi
from local.ports import check_free
from local.server_thread import ServerThread

logger = logging.getLogger(__name__)

DEFAULT_PORT = 3002
DEFAULT_CLIENT_ID = "local-storefront-client"  # the template's StorefrontClient, locally (local_client_id)
DEFAULT_STOREFRONT_ORIGIN = "http://127.0.0.1:3006"  # where `make dev` serves the storefront
GROUPS = {
    "customer": (),
    "support": ("support",),
    "staff": ("staff",),
    "admin": ("admin",),
}  # the pool groups
DEFAULT_EMAILS = {role: f"{role}@example.com" for role in GROUPS}
DEFAULT_TTL_SECONDS = 3600  # the template's IdTokenValidity: 60 minutes
MAX_TTL_SECONDS = 86400  # the longest ID token Cognito issues: one day
ALGORITHM = "RS256"
JWKS_PATH = "/.well-known/jwks.json"
DISCOVERY_PATH = "/.well-known/openid-configuration"
# A fixed namespace, so an email is the same `sub` (the same customer) on every run and every port.
_SUBJECTS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:commerce:local-issuer:users")


class TokenRequestError(ValueError):
    """A /token request the issuer refuses (400 invalid_request)."""


def local_client_id(logical_id: str) -> str:
    """The local id of a template user pool client: StorefrontClient is local-storefront-client."""
    kebab = "".join(f"-{c.lower()}" if c.isupper() else c for c in logical_id).lstrip("-")
    return f"local-{kebab}"


def normalized_email(email: str) -> str:
    """Cognito matches an email username without regard to case; so does the local `sub`."""
    email = email.strip().lower()
    local_part, at, domain = email.partition("@")
    if not (at and local_part and "." in domain) or len(email) > 254 or any(c.isspace() for c in email):
        raise TokenRequestError("email must be an address such as ada@example.com")
    return email


def subject_for(email: str) -> str:
    """The user's stable id: a UUID derived from the email, as a user pool's `sub` is a UUID."""
    return str(uuid.uuid5(_SUBJECTS, normalized_email(email)))


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair and its `kid` (the RFC 7638 thumbprint of the public key)."""

    private: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def generate(cls) -> SigningKey:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
        canonical = json.dumps({k: public[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
        thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=")
        return cls(private, thumbprint.decode("ascii"))

    def public_jwk(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def sign(self, claims: dict[str, Any], *, kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm=ALGORITHM, headers={"kid": kid or self.kid})


class LocalIssuer:
    """Serves discovery, JWKS, /token and the hosted UI on host:port (0: any free port) in a thread.

    `storefront_origins` are the origins whose /auth/callback and / the app client lists as callback and
    sign-out URLs (allow_storefront adds one later, for a storefront started on any free port); `clock`
    times the authorization codes.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        client_id: str = DEFAULT_CLIENT_ID,
        storefront_origins: Iterable[str] = (DEFAULT_STOREFRONT_ORIGIN,),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_free(host, port)  # werkzeug would print and sys.exit() instead of raising
        self.client_id = client_id
        self.key = SigningKey.generate()
        self.hosted_ui = HostedUi(
            client_id=client_id,
            storefront_origins=storefront_origins,
            roles=GROUPS,
            check_user=self.id_token_claims,
            tokens=self.sign_in_tokens,
            clock=clock,
        )
        self._server: BaseWSGIServer = make_server(host, port, self._wsgi, threaded=True)
        self._serving = ServerThread(self._server, "local-issuer")
        self.url = f"http://{self._server.host}:{self._server.port}"

    # tokens
    def id_token_claims(
        self,
        role: str,
        email: str | None = None,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        *,
        now: int | None = None,
    ) -> dict[str, Any]:
        """The claims of a Cognito ID token for a demo user of this role."""
        if role not in GROUPS:
            raise TokenRequestError(f"role must be one of {', '.join(GROUPS)}")
        if email is not None and not isinstance(email, str):
            raise TokenRequestError("email must be a string")
        if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int):
            raise TokenRequestError("ttl_seconds must be an integer")
        if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
            raise TokenRequestError(f"ttl_seconds must be between 1 and {MAX_TTL_SECONDS}")
        address = normalized_email(email or DEFAULT_EMAILS[role])
        issued = int(time.time()) if now is None else now
        subject = subject_for(address)
        claims: dict[str, Any] = {
            "sub": subject,
            "iss": self.url,
            "aud": self.client_id,
            "token_use": "id",
            "cognito:username": subject,  # a pool whose usernames are emails names users by their sub
            "email": address,
            "email_verified": True,
            "auth_time": issued,
            "iat": issued,
            "exp": issued + ttl_seconds,
            "jti": str(uuid.uuid4()),
        }
        if GROUPS[role]:  # Cognito leaves the claim out for a user in no group
            claims["cognito:groups"] = list(GROUPS[role])
        return claims

    def mint(
        self,
        role: str,
        email: str | None = None,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        *,
        now: int | None = None,
    ) -> str:
        """A signed ID token; `now` (epoch seconds) backdates it, to make an expired one."""
        return self.key.sign(self.id_token_claims(role, email, ttl_seconds, now=now))

    def sign_in_tokens(self, grant: Grant) -> dict[str, Any]:
        """What the hosted UI's token endpoint answers for a redeemed code: ID and access tokens."""
        claims = self.id_token_claims(grant.role, grant.email) | {"aud": grant.request.client_id}
        if grant.request.nonce is not None:
            claims["nonce"] = grant.request.nonce
        shared = ("sub", "iss", "auth_time", "iat", "exp", "cognito:groups")
        access: dict[str, Any] = {name: claims[name] for name in shared if name in claims}
        access |= {
            "client_id": grant.request.client_id,  # an access token names its client here, and has no `aud`
            "token_use": "access",
            "scope": grant.request.scope,
            "username": claims["cognito:username"],
            "jti": str(uuid.uuid4()),
        }
        # Logged by role only: an email is personal data.
        logger.info("signed in", extra={"role": grant.role})
        return {
            "id_token": self.key.sign(claims),
            "access_token": self.key.sign(access),
            "token_type": "Bearer",
            "expires_in": claims["exp"] - claims["iat"],
        }

    def allow_storefront(self, origin: str) -> None:
        """List one more storefront origin for sign-in and sign-out (and CORS on the token endpoint)."""
        self.hosted_ui.allow_storefront(origin)

    def allow_console(self, client_id: str, index_url: str) -> None:
        """List the console's app client, signing in and out at its index URL."""
        self.hosted_ui.allow_console(client_id, index_url)

    # documents
    def openid_configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "jwks_uri": self.url + JWKS_PATH,
            "authorization_endpoint": self.url + "/oauth2/authorize",
            "token_endpoint": self.url + TOKEN_PATH,
            "end_session_endpoint": self.url + "/logout",
            "response_types_supported": ["code", "token"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "claims_supported": ["sub", "email", "email_verified", "cognito:groups", "cognito:username"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.public_jwk()]}

    # HTTP
    def _answer(self, request: Request) -> tuple[int, dict[str, Any]]:
        routes = {DISCOVERY_PATH: self.openid_configuration, JWKS_PATH: self.jwks}
        if request.path in routes:
            return (200, routes[request.path]()) if request.method == "GET" else (405, {"error": "GET only"})
        if request.path != "/token":
            return 404, {"error": "not_found"}
        if request.method != "POST":
            return 405, {"error": "POST only"}
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict):
            return 400, {"error": "invalid_request", "error_description": "send a JSON object"}
        ttl = body.get("ttl_seconds", DEFAULT_TTL_SECONDS)
        try:
            token = self.mint(str(body.get("role", "")), body.get("email"), ttl)
        except TokenRequestError as refused:
            return 400, {"error": "invalid_request", "error_description": str(refused)}
        # Logged by role only: an email is personal data.
        logger.info("token issued", extra={"role": body["role"], "ttl_seconds": ttl})
        return 200, {"id_token": token, "token_type": "Bearer", "expires_in": ttl}

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path in HOSTED_UI_PATHS:
            return self.hosted_ui.handle(request)(environ, start_response)
        status, payload = self._answer(request)
        response = Response(json.dumps(payload), status=status, content_type="application/json")
        response.headers["cache-control"] = "no-store"
        return response(environ, start_response)

    def start(self) -> LocalIssuer:
        self._serving.start()
        return self

    def stop(self) -> None:
        self._serving.stop()
