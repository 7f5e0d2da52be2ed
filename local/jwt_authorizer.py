"""API Gateway's JWT authorizer, locally: each protected route's token is checked before its function runs.

What it checks is what API Gateway documents for HTTP APIs (http-api-jwt-authorizer): the token from the
identity source (alone, or after `Bearer `); an RSA signature by a key of the issuer's JWKS named by the
token's `kid`; `iss` equal to the issuer; `aud` (or `client_id` when there is no `aud`) one of the
audiences; `exp`, `nbf` and `iat` against the clock. A refusal is a 401 with a `www-authenticate`
challenge; a success passes the claims as strings, as API Gateway does.

Locally the one issuer there is, the local OpenID issuer (local/auth.py), stands in for every JWT
authorizer's configured issuer, and a template user pool client named as an audience is its local id.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from werkzeug.wrappers import Request

from local.api_routes import template_routes
from local.auth import DEFAULT_CLIENT_ID, DISCOVERY_PATH, local_client_id
from local.http_api import Unauthorized
from local.routes import Route
from local.specs import HTTP_API_TYPE, parameter_values

logger = logging.getLogger(__name__)

CLIENT_TYPE = "AWS::Cognito::UserPoolClient"
DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization"
ALGORITHMS = ["RS256", "RS384", "RS512"]  # "Currently, only RSA-based algorithms are supported."
LEEWAY_SECONDS = 5
KEYS_LIFESPAN_SECONDS = 7200  # API Gateway caches an issuer's public keys for up to two hours

_REASONS: list[tuple[type[Exception], str]] = [
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.ImmatureSignatureError, "the token is not valid yet"),
    (jwt.InvalidIssuerError, "the token does not have a valid issuer"),
    (jwt.InvalidSignatureError, "the token does not have a valid signature"),
    (jwt.InvalidAlgorithmError, "the token's signing method is not supported"),
    (jwt.MissingRequiredClaimError, "the token lacks a required claim"),
    (jwt.DecodeError, "the token is malformed"),
]


@dataclass(frozen=True)
class JwtRule:
    """One JWT authorizer as it runs locally."""

    name: str
    identity_source: str
    issuer: str
    audiences: frozenset[str]


def template_client_id(sam: dict[str, Any]) -> str:
    """The local id of the template's first user pool client: the audience the local issuer mints for."""
    clients = [name for name, r in sam["Resources"].items() if r.get("Type") == CLIENT_TYPE]
    return local_client_id(clients[0]) if clients else DEFAULT_CLIENT_ID


def _audiences(value: Any, sam: dict[str, Any], parameters: Mapping[str, Any], name: str) -> list[str]:
    if isinstance(value, list):
        return [a for item in value for a in _audiences(item, sam, parameters, name)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"Ref"}:
        target = str(value["Ref"])
        if sam["Resources"].get(target, {}).get("Type") == CLIENT_TYPE:
            return [local_client_id(target)]
        if parameters.get(target) is not None:
            return _audiences(parameters[target], sam, parameters, name)
    raise ValueError(f"authorizer {name}: cannot resolve the audience {value!r} locally")


def jwt_rules(
    sam: dict[str, Any], issuer_url: str, overrides: dict[str, str] | None = None
) -> dict[str, JwtRule]:
    """Every HttpApi authorizer of the template, by name; only JWT authorizers can run locally."""
    parameters = parameter_values(sam, overrides)
    rules: dict[str, JwtRule] = {}
    for resource in sam["Resources"].values():
        if resource.get("Type") != HTTP_API_TYPE:
            continue
        authorizers = ((resource.get("Properties") or {}).get("Auth") or {}).get("Authorizers") or {}
        for name, config in authorizers.items():
            jwt_config = config.get("JwtConfiguration")
            if not isinstance(jwt_config, dict):
                raise ValueError(f"authorizer {name}: the local stack runs JWT authorizers only")
            source = str(config.get("IdentitySource", DEFAULT_IDENTITY_SOURCE))
            if not source.startswith(("$request.header.", "$request.querystring.")):
                raise ValueError(f"authorizer {name}: identity source {source} is not a header or query")
            audience = jwt_config.get("audience", jwt_config.get("Audience", []))
            rules[name] = JwtRule(
                name, source, issuer_url, frozenset(_audiences(audience, sam, parameters, name))
            )
    return rules


def claim_text(value: Any) -> str:
    """A claim value as API Gateway passes it: a string; numbers in digits, lists as "[a b]"."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(claim_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{claim_text(v)}" for k, v in sorted(value.items())) + "]"
    return "<nil>" if value is None else str(value)


class IssuerKeys:
    """An issuer's public keys, found through its discovery document and cached; a `kid` not seen
    before makes it fetch them again (a rotated key)."""

    def __init__(self, issuer: str, *, timeout: float = 5.0) -> None:
        self.issuer = issuer
        self._timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # always local
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched = 0.0

    def _get(self, url: str) -> Any:
        with self._opener.open(url, timeout=self._timeout) as response:
            return json.load(response)

    def _refresh(self) -> None:
        jwks_uri = self._get(self.issuer + DISCOVERY_PATH)["jwks_uri"]
        keys = self._get(jwks_uri).get("keys", [])
        self._keys = {k["kid"]: jwt.PyJWK(k) for k in keys if k.get("kty") == "RSA" and "kid" in k}
        self._fetched = time.monotonic()

    def key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            if kid not in self._keys or time.monotonic() - self._fetched > KEYS_LIFESPAN_SECONDS:
                self._refresh()
            return self._keys.get(kid)


class JwtAuthorizer:
    """The HTTP API emulator's authorizer hook: None for a public route, the claims for a valid token,
    Unauthorized (401) otherwise."""

    def __init__(self, rules_by_route: Mapping[str, JwtRule | None]) -> None:
        self.rules_by_route = dict(rules_by_route)
        self._keys: dict[str, IssuerKeys] = {}

    @classmethod
    def from_template(
        cls, sam: dict[str, Any], issuer_url: str, parameters: dict[str, str] | None = None
    ) -> JwtAuthorizer:
        rules = jwt_rules(sam, issuer_url, parameters)
        by_route: dict[str, JwtRule | None] = {}
        for route in template_routes(sam):
            if route.authorizer is not None and route.authorizer not in rules:
                raise ValueError(f"route {route.key}: no authorizer {route.authorizer} in the template")
            route_key = Route(route.method, route.path, route.function).route_key  # as the emulator names it
            by_route[route_key] = rules[route.authorizer] if route.authorizer else None
        return cls(by_route)

    def __call__(self, request: Request, route: Route) -> dict[str, Any] | None:
        if route.route_key not in self.rules_by_route:  # fail closed: a route the template did not name
            raise Unauthorized("the route has no authorization settings")
        rule = self.rules_by_route[route.route_key]
        if rule is None:
            return None
        claims = self.verify(_token(request, rule), rule)
        return {"jwt": {"claims": {name: claim_text(v) for name, v in claims.items()}, "scopes": None}}

    def verify(self, token: str, rule: JwtRule) -> dict[str, Any]:
        """The token's claims when API Gateway would accept it for this authorizer; else Unauthorized."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALGORITHMS:
                raise Unauthorized("the token's signing method is not supported")
            key = self._key(rule.issuer, str(header.get("kid", "")))
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[header["alg"]],
                issuer=rule.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except jwt.InvalidTokenError as invalid:
            raise Unauthorized(_reason(invalid)) from None
        audience = claims.get("aud") if "aud" in claims else claims.get("client_id")
        offered = audience if isinstance(audience, list) else [audience]
        if not rule.audiences.intersection(str(a) for a in offered if a is not None):
            raise Unauthorized("the token does not have a valid audience")
        return claims

    def _key(self, issuer: str, kid: str) -> jwt.PyJWK:
        keys = self._keys.get(issuer)
        if keys is None:
            keys = self._keys.setdefault(issuer, IssuerKeys(issuer))
        try:
            key = keys.key(kid)
        except (OSError, ValueError, KeyError, jwt.PyJWKError) as unavailable:
            # Fail closed, and say why in the stack's log: the client only sees the 401.
            logger.warning("issuer keys unavailable", extra={"issuer": issuer, "error": repr(unavailable)})
            raise Unauthorized("the issuer's signing keys are unavailable") from None
        if key is None:
            raise Unauthorized("the token's kid does not match a key of the issuer")
        return key


def _reason(invalid: jwt.InvalidTokenError) -> str:
    return next((text for kind, text in _REASONS if isinstance(invalid, kind)), "the token is not valid")


def _token(request: Request, rule: JwtRule) -> str:
    """The token from the identity source, with or without its `Bearer ` prefix; Unauthorized if none."""
    kind, _, name = rule.identity_source.removeprefix("$request.").partition(".")
    raw = request.headers.get(name) if kind == "header" else request.args.get(name)
    value = (raw or "").strip()
    if value[:7].lower() in ("bearer", "bearer "):  # "Bearer" alone is no token either
        value = value[7:].strip()
    if not value:
        raise Unauthorized()
    return value
