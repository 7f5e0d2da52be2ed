"""The back office (`/admin/...`) refuses anyone but staff before the request is even validated, so a
customer gets 403 and learns nothing of the back office's request schema from a 400."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commerce.api.identity import principal_from_claims
from commerce.api.problems import PROBLEM_JSON, problem_body
from commerce.domain.errors import Forbidden, Unauthorized

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
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": problem_body(error.status, error.title, error.detail, error.slug),
        "isBase64Encoded": False,
    }
