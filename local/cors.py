"""CORS as API Gateway applies an HttpApi CorsConfiguration: preflights answered, origins echoed."""

from __future__ import annotations

from local.specs import CorsConfig


def allowed_origin(cors: CorsConfig, origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin value for this request's Origin, or None when it is not allowed."""
    if not origin:
        return None
    if "*" in cors.allow_origins:
        return origin if cors.allow_credentials else "*"
    return origin if origin in cors.allow_origins else None


def is_preflight(method: str, headers: dict[str, str]) -> bool:
    return method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers


def preflight_headers(cors: CorsConfig, headers: dict[str, str]) -> dict[str, str]:
    """Headers answering a preflight; empty when the origin or the method is not allowed."""
    origin = allowed_origin(cors, headers.get("origin"))
    method = headers.get("access-control-request-method", "").upper()
    if origin is None or not ("*" in cors.allow_methods or method in cors.allow_methods):
        return {}
    requested = headers.get("access-control-request-headers", "")
    allow_headers = requested if "*" in cors.allow_headers else ",".join(cors.allow_headers)
    answer = {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": ",".join(cors.allow_methods),
        "access-control-allow-headers": allow_headers,
    }
    if cors.max_age is not None:
        answer["access-control-max-age"] = str(cors.max_age)
    return answer | _common(cors, origin)


def response_headers(cors: CorsConfig, headers: dict[str, str]) -> dict[str, str]:
    """Headers added to an actual (non-preflight) response."""
    origin = allowed_origin(cors, headers.get("origin"))
    if origin is None:
        return {}
    answer = {"access-control-allow-origin": origin}
    if cors.expose_headers:
        answer["access-control-expose-headers"] = ",".join(cors.expose_headers)
    return answer | _common(cors, origin)


def _common(cors: CorsConfig, origin: str) -> dict[str, str]:
    common = {"vary": "origin"} if origin != "*" else {}
    if cors.allow_credentials:
        common["access-control-allow-credentials"] = "true"
    return common
