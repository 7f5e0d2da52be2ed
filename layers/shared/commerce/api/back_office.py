"""The back office (`/admin/...`) refuses anyone but staff before the request is even validated, so a
customer gets 403 and learns nothing of the back office's request schema from a 400."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from commerce.api.identity import current_principal, principal_from_claims
from commerce.api.problems import raw_problem
from commerce.domain.errors import Forbidden, Unauthorized
from commerce.observability import logger

BACK_OFFICE_PREFIX = "/admin/"


def _claims(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims")
    return claims if isinstance(claims, Mapping) else None


def refusal(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The response refusing this call, or None when it may proceed (not back office, or staff)."""
    if not str(event.get("rawPath") or "").startswith(BACK_OFFICE_PREFIX):
        return None
    principal = principal_from_claims(_claims(event))
    if principal is not None and principal.is_staff:
        return None
    error: Unauthorized | Forbidden = (
        Unauthorized("sign in to do this")
        if principal is None
        else Forbidden("this needs the staff or admin group")
    )
    return raw_problem(error)


def staff_only(resolver: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Middleware of a function whose every route is back office: staff only, and the staff member's
    subject (an id, never an email) tags the request's log lines."""
    caller = current_principal(resolver)
    if not caller.is_staff:
        logger.warning("back office refused", subject=caller.subject)
    staff = caller.require_staff()
    logger.append_keys(staff=staff.subject)
    try:
        return next_middleware(resolver)
    finally:
        logger.remove_keys(["staff"])
