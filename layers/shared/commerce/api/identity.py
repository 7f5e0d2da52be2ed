"""The caller's identity, read only from the JWT authorizer's claims in the request context, as in AWS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from commerce.domain.errors import Unauthorized
from commerce.domain.identity import Principal


def _groups(claim: Any) -> frozenset[str]:
    """`cognito:groups` arrives as a list, or (HTTP API JWT authorizer) as a string like "[admin staff]":
    its items are separated by whitespace only, so a group named `support,admin` stays one group."""
    if isinstance(claim, list):
        return frozenset(str(g) for g in claim if str(g))
    if isinstance(claim, str):
        text = claim.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        return frozenset(text.split())
    return frozenset()


def principal_from_claims(claims: Mapping[str, Any] | None) -> Principal | None:
    if not claims or not claims.get("sub"):
        return None
    email = claims.get("email")
    return Principal(
        subject=str(claims["sub"]),
        email=str(email) if email else None,
        groups=_groups(claims.get("cognito:groups")),
    )


def _claims(app: BaseRouter) -> Mapping[str, Any] | None:
    context = app.current_event.raw_event.get("requestContext") or {}
    jwt = (context.get("authorizer") or {}).get("jwt") or {}
    claims = jwt.get("claims")
    return claims if isinstance(claims, Mapping) else None


def optional_principal(app: BaseRouter) -> Principal | None:
    return principal_from_claims(_claims(app))


def current_principal(app: BaseRouter) -> Principal:
    """The signed-in caller. API Gateway rejects unauthenticated calls before us; this is the backstop."""
    principal = optional_principal(app)
    if principal is None:
        raise Unauthorized("sign in to do this")
    return principal
