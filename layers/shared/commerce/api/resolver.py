"""The HTTP resolver every function uses: each route declares who may call it, one gate enforces that before
the request is validated, validation is on, and errors map to problem details."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from re import Match
from typing import Any, TypeVar
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder, Route, Router
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.api import problems
from commerce.api.access import Access, admit, claims
from commerce.api.json_bodies import use_json_bodies_only
from commerce.api.routing import CommerceRouter, Declared, DeclaresAccess
from commerce.domain.errors import Forbidden, Unauthorized
from commerce.domain.permissions import Authority, RoleMap
from commerce.observability import logger, metrics, ready, tracer

NO_AUTHORITY = Authority()
UNDECLARED = Access("undeclared")  # a route registered without `access=`: refused, and the unit tests fail


class CommerceResolver(DeclaresAccess, APIGatewayHttpResolver):  # type: ignore[misc]
    """Powertools' HTTP resolver whose route decorators take the route's `access`, a required keyword, and
    which routes a request to the most specific path that fits it, as API Gateway does, answering 405 with the
    methods that path takes when the request's method is not one of them. API Gateway sends
    `GET /admin/inventory/transfers` to the function of `GET /admin/inventory/{sku}` (a GET route fits
    it); Powertools would then hand "transfers" to the SKU route and answer 400 about a SKU, when the path
    is the transfers' (`POST` only)."""

    def __init__(self, roles: RoleMap, default_locale: str | None = None) -> None:
        super().__init__(enable_validation=True)
        self.roles = roles
        self.default_locale = default_locale
        self.declared: Declared = {}
        use_json_bodies_only(self)
        self._authority: ContextVar[Authority | None] = ContextVar("authority", default=None)

    def include_router(self, router: Router, prefix: str | None = None) -> None:
        """The router's routes, and the access each declares: a plain Powertools router declares none."""
        if not isinstance(router, CommerceRouter):
            raise TypeError("include a CommerceRouter: its routes declare who may call them")
        super().include_router(router, prefix)
        for (method, rule), access in router.declared.items():
            prefixed = (prefix if rule == "/" else f"{prefix}{rule}") if prefix else rule
            self.declared[(method, prefixed)] = access

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

    def _resolve(self) -> ResponseBuilder[Any]:
        method = self.current_event.http_method.upper()
        path = self._remove_prefix(self.current_event.path)
        allowed = methods_of_most_specific(self._static_routes + self._dynamic_routes, path)
        if not allowed or method in allowed or method == "OPTIONS":
            return super()._resolve()

        def not_allowed() -> Response[str]:
            answer = problems.problem(
                405, "Method not allowed", f"{method} is not a method of {path}", "method-not-allowed"
            )
            answer.headers["Allow"] = ", ".join(allowed)
            return answer

        # Through the middlewares, as Powertools' own 404 goes: a back-office gate still answers first.
        route = Route(
            rule=self._compile_regex(r".*"),
            method=method,
            path=path,
            func=not_allowed,
            cors=self._cors_enabled,
            compress=False,
        )
        self.append_context(_route=route, _path=path)  # type: ignore[no-untyped-call]
        return self._call_route(route=route, route_arguments={})

    def _convert_matches_into_route_keys(self, match: Match[str]) -> dict[str, str]:
        """Path parameters as API Gateway passes them, percent-decoded: Powertools reads them from the raw
        path, so a 64-character id holding non-ASCII letters reached its model as 200-odd characters."""
        return {name: unquote(value) for name, value in match.groupdict().items()}


def methods_of_most_specific(routes: Iterable[Route], path: str) -> list[str]:
    """The methods of the most specific route path that fits `path` (a literal segment is more specific
    than a parameter, the earlier segment first), sorted; [] when none fits."""
    fitting = [route for route in routes if route.rule.match(path)]
    if not fitting:
        return []
    best = max(_specificity(route.path) for route in fitting)
    return sorted({route.method for route in fitting if _specificity(route.path) == best})


def _specificity(path: str) -> tuple[int, ...]:
    return tuple(1 if segment.startswith("<") else 2 for segment in path.strip("/").split("/"))


def _subject(event: Mapping[str, Any]) -> str | None:
    found = claims(event)
    return str(found["sub"]) if found and found.get("sub") else None


def create_resolver(roles: RoleMap, default_locale: str | None = None) -> CommerceResolver:
    """The resolver of a function's routes; `default_locale` for routes that answer in a language."""
    app = CommerceResolver(roles, default_locale)
    problems.register(app)
    return app


def http_handler(app: CommerceResolver) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """A function's `lambda_handler` for its HTTP API routes. The log keys one invocation appends are
    cleared before the next: a warm Lambda keeps its Logger, and an order id would be logged on a stranger's
    request."""

    @logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    ready()
    return lambda_handler


T = TypeVar("T")


def created(body: T, location: str) -> Response[T]:
    """201 Created with the new resource as JSON and where it lives."""
    return Response(
        status_code=201, content_type="application/json", body=body, headers={"Location": location}
    )
