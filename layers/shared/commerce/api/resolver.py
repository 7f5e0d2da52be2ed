"""The HTTP resolver every function uses: each route declares who may call it, one gate enforces that before
the request is validated, validation is on, and errors map to problem details."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.types import EventHandlerInstance
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.api import problems
from commerce.api.access import Access, admit, claims
from commerce.domain.errors import Forbidden, Unauthorized
from commerce.domain.permissions import Authority, RoleMap
from commerce.observability import logger

F = TypeVar("F", bound=Callable[..., Any])
NO_AUTHORITY = Authority()
UNDECLARED = Access("undeclared")  # a route registered without `access=`: refused, and the unit tests fail


class _JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, but a body is JSON or nothing: it would parse a form or a multipart
    body too, and a multipart Content-Type without a boundary raised a bare ValueError (a 500), as did a
    body that is not UTF-8, JSON nested deeper than the parser recurses, and an integer of more digits
    than Python converts (4,300). A media type is case-insensitive: `APPLICATION/JSON` is JSON."""

    def _get_body(self, app: EventHandlerInstance) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "").strip().lower()
        if content_type and not content_type.startswith("application/json"):
            raise RequestUnsupportedContentType(
                "Unsupported content type",
                errors=[
                    {"type": "unsupported_content_type", "loc": ("body",), "msg": "not application/json"}
                ],
            )
        try:
            return self._parse_json_data(app)
        except UnicodeDecodeError as error:  # Powertools catches only JSONDecodeError
            raise _unreadable("the body is not UTF-8 text") from error
        except RecursionError as error:
            raise _unreadable("the body is nested too deeply") from error
        except ValueError as error:  # int("1" * 5000): Python refuses to convert that many digits
            raise _unreadable("the body holds a number too long to read") from error


def _unreadable(why: str) -> RequestValidationError:
    return RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": why}])


class CommerceResolver(APIGatewayHttpResolver):
    """Powertools' HTTP resolver whose route decorators take the route's `access`, a required keyword."""

    def __init__(self, roles: RoleMap) -> None:
        super().__init__(enable_validation=True)
        self.roles = roles
        self.declared: dict[tuple[str, str], Access] = {}  # (method, rule as written) -> access
        self._authority: ContextVar[Authority | None] = ContextVar("authority", default=None)

    def get(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self._declare("GET", rule, access, options)

    def post(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self._declare("POST", rule, access, options)

    def put(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self._declare("PUT", rule, access, options)

    def patch(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self._declare("PATCH", rule, access, options)

    def delete(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self._declare("DELETE", rule, access, options)

    def _declare(self, method: str, rule: str, access: Access, options: dict[str, Any]) -> Callable[[F], F]:
        self.declared[(method, rule)] = access
        # The OpenAPI document names who may call each operation (public, customer, staff:<perm>, key:<name>).
        options["openapi_extensions"] = {"x-access": str(access), **(options.get("openapi_extensions") or {})}
        return self.route(rule, method, **options)

    def access_for(self, method: str, path: str) -> Access | None:
        """The declared access of the route a request would run; None when no route matches (a 404)."""
        for route in self._static_routes + self._dynamic_routes:
            if route.method == method and route.rule.match(path):
                return self.declared.get((method, route.path), UNDECLARED)
        return None

    def authority(self) -> Authority:
        """What the caller of the request being resolved may do (nothing, for a customer or a partner)."""
        return self._authority.get() or NO_AUTHORITY

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        request = APIGatewayProxyEventV2(dict(event))
        access = self.access_for(request.http_method.upper(), self._remove_prefix(request.path))
        if access is None:
            return super().resolve(event, context)
        try:
            admitted = admit(access, event, self.roles)
        except (Unauthorized, Forbidden) as error:
            logger.warning(
                "request refused", access=str(access), status=error.status, subject=_subject(event)
            )
            return problems.raw_problem(error)
        token = self._authority.set(admitted.authority)
        if access.kind == "staff" and admitted.principal is not None:
            logger.append_keys(staff=admitted.principal.subject)  # an id, never an email
        try:
            with admitted.scope:
                return super().resolve(event, context)
        finally:
            self._authority.reset(token)
            logger.remove_keys(["staff"])


def _subject(event: Mapping[str, Any]) -> str | None:
    found = claims(event)
    return str(found["sub"]) if found and found.get("sub") else None


def create_resolver(roles: RoleMap) -> CommerceResolver:
    app = CommerceResolver(roles)
    # Powertools builds this middleware in the constructor and uses whatever sits in the attribute.
    app._request_validation_middleware = _JsonBodiesOnly()  # type: ignore[no-untyped-call]
    problems.register(app)
    return app


def header(app: APIGatewayHttpResolver, name: str) -> str | None:
    """A request header by case-insensitive name (HTTP API payload 2.0 lower-cases them)."""
    return app.current_event.headers.get(name.lower())


def raw_body(app: APIGatewayHttpResolver) -> bytes:
    """The request body as the client sent it: API Gateway's base64 undone, not decoded as text (Powertools'
    decoded_body would raise on bytes that are not UTF-8)."""
    event = app.current_event
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode("utf-8")


T = TypeVar("T")


def created(body: T, location: str) -> Response[T]:
    """201 Created with the new resource as JSON and where it lives."""
    return Response(
        status_code=201, content_type="application/json", body=body, headers={"Location": location}
    )
