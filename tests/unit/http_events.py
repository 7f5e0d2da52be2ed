"""API Gateway HTTP API requests (payload format 2.0) for resolver tests, and their answers decoded."""

from __future__ import annotations

import json
from typing import Any

from commerce.api.resolver import CommerceResolver
from local.context import LambdaContext


def http_api_event(
    method: str, path: str, groups: list[str] | None = None, signed_in: bool = True, **extra: Any
) -> dict[str, Any]:
    """A request to `path`; signed in as user-1 in `groups` (as the JWT authorizer passes them) unless not
    `signed_in`. `headers` and `query` become the headers and query parameters; any other keyword is set
    on the event as it is (a `body`, say)."""
    claims: dict[str, Any] = {"sub": "user-1"}
    if groups is not None:
        claims["cognito:groups"] = "[" + " ".join(groups) + "]"
    context: dict[str, Any] = {"http": {"method": method, "path": path}, "stage": "$default"}
    if signed_in:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": extra.pop("headers", {}),
        "queryStringParameters": extra.pop("query", None),
        "requestContext": context,
        "isBase64Encoded": False,
        **extra,
    }


def answer(app: CommerceResolver, event: dict[str, Any], name: str) -> tuple[int, dict[str, Any]]:
    """The status and decoded JSON body (empty when there is none) of `app`'s answer to `event`."""
    response = app.resolve(event, LambdaContext(name, 128, 10))
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else {}
