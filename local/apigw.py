"""HTTP API payload format 2.0: the event a request becomes, and how a result becomes a response."""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request

from local.aws import ACCOUNT_ID
from local.routes import RouteMatch

API_ID = "local"
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml")
_TEXT_SUFFIXES = ("+json", "+xml")
_TEXT_EXACT = ("application/x-www-form-urlencoded", "application/graphql", "application/yaml")


@dataclass
class HttpResponse:
    """Status, header pairs (repeatable) and body bytes."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def _is_text(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return (
        media_type.startswith(_TEXT_TYPES) or media_type.endswith(_TEXT_SUFFIXES) or media_type in _TEXT_EXACT
    )


def joined(pairs: list[tuple[str, str]], *, lower: bool) -> dict[str, str]:
    """Repeated names joined by ",", as API Gateway does for headers and query parameters."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name.lower() if lower else name, []).append(value)
    return {name: ",".join(items) for name, items in values.items()}


def request_headers(request: Request) -> dict[str, str]:
    """Lower-case header names, repeats joined by ","."""
    return joined(list(request.headers.items()), lower=True)


def raw_path(request: Request) -> str:
    """The path as the client sent it (percent-encoding kept)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.path
    return str(raw).split("?", 1)[0] or "/"


def new_request_id() -> str:
    """An id shaped like API Gateway's `apigw-requestid`."""
    return base64.b64encode(secrets.token_bytes(12)).decode("ascii")


def _body(request: Request, headers: dict[str, str]) -> tuple[str | None, bool]:
    data = request.get_data(cache=True)
    if not data:
        return None, False
    content_type = headers.get("content-type", "")
    if not content_type or _is_text(content_type):
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(data).decode("ascii"), True


def build_event(
    request: Request, match: RouteMatch, authorizer: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The payload format 2.0 event API Gateway sends the route's function."""
    headers = request_headers(request)
    cookie_header = headers.pop("cookie", "")
    headers.setdefault("x-forwarded-for", request.remote_addr or "127.0.0.1")
    headers.setdefault("x-forwarded-proto", request.scheme)
    headers.setdefault("x-forwarded-port", str(request.environ.get("SERVER_PORT", "")))
    host = headers.get("host", "localhost").rsplit(":", 1)[0]
    now = datetime.now(UTC)
    raw_query = request.environ.get("QUERY_STRING", "")
    context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": host,
        "domainPrefix": host.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": raw_path(request),
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "sourceIp": request.remote_addr or "127.0.0.1",
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": new_request_id(),
        "routeKey": match.route.route_key,
        "stage": "$default",
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(time.time() * 1000),
    }
    if authorizer is not None:
        context["authorizer"] = authorizer
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": match.route.route_key,
        "rawPath": raw_path(request),
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": False,
    }
    cookies = [c.strip() for c in cookie_header.split(";") if c.strip()]
    if cookies:
        event["cookies"] = cookies
    query = joined(parse_qsl(raw_query, keep_blank_values=True), lower=False)
    if query:
        event["queryStringParameters"] = query
    if match.path_parameters:
        event["pathParameters"] = match.path_parameters
    body, is_base64 = _body(request, headers)
    if body is not None:
        event["body"], event["isBase64Encoded"] = body, is_base64
    return event


def json_response(status: int, payload: Any, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(status, [("content-type", content_type)], json.dumps(payload).encode("utf-8"))


def from_result(result: Any) -> HttpResponse:
    """How API Gateway turns the function's return value into an HTTP response (format 2.0)."""
    if not (isinstance(result, dict) and "statusCode" in result):
        return json_response(200, result)
    status = int(result["statusCode"])
    headers = [(str(k).lower(), str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(str(name).lower(), str(value)) for value in values]
    headers += [("set-cookie", str(cookie)) for cookie in result.get("cookies") or []]
    body = result.get("body")
    if body is None:
        content = b""
    elif result.get("isBase64Encoded"):
        content = base64.b64decode(str(body))
    else:
        content = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    if content and not any(name == "content-type" for name, _ in headers):
        headers.append(("content-type", "application/json"))
    return HttpResponse(status, headers, content)
