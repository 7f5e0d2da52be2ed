"""Route decorators that take who may call the route (`access=`, a required keyword), shared by the resolver
and the routers a function includes: one `CommerceRouter` per resource, in its own module beside the
function's `app.py`, declares its routes, and the resolver that includes it keeps their access for the gate.

A route module keeps `from __future__ import annotations`: Powertools reads a route's signature at run time
and would evaluate string annotations in the globals of the callable it is given, which behind the tracer's
decorator are the tracer's; they are resolved here, in the module that wrote them, when the route is
declared."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter, Router
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from commerce.api.access import Access
from commerce.domain import locale as locales
from commerce.domain.permissions import Authority
from commerce.observability import tracer

F = TypeVar("F", bound=Callable[..., Any])
Declared = dict[tuple[str, str], Access]  # (method, rule as written) -> access


class DeclaresAccess:
    """`get`, `post`, `put`, `patch` and `delete` that record the route's access and name it in the OpenAPI
    document (public, customer, staff:<perm>, key:<name>) before registering the route as Powertools does.
    Every route is traced, its response too unless `traced_response=False` (a customer's own data, which
    stays out of the traces)."""

    declared: Declared
    route: Callable[..., Callable[[F], F]]

    def get(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:
        return self._declare("GET", rule, access, options)

    def post(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:
        return self._declare("POST", rule, access, options)

    def put(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:
        return self._declare("PUT", rule, access, options)

    def patch(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:
        return self._declare("PATCH", rule, access, options)

    def delete(self, rule: str, *, access: Access, **options: Any) -> Callable[[F], F]:
        return self._declare("DELETE", rule, access, options)

    def _declare(self, method: str, rule: str, access: Access, options: dict[str, Any]) -> Callable[[F], F]:
        self.declared[(method, rule)] = access
        traced_response: bool | None = options.pop("traced_response", None)  # None: as the environment says
        options["openapi_extensions"] = {"x-access": str(access), **(options.get("openapi_extensions") or {})}
        register = self.route(rule, method, **options)

        def declare(func: F) -> F:
            _resolve_annotations(func)
            traced: F = tracer.capture_method(capture_response=traced_response)(func)
            return register(traced)

        return declare


def _resolve_annotations(func: Callable[..., Any]) -> None:
    written = inspect.unwrap(func)
    written.__annotations__ = typing.get_type_hints(written, include_extras=True)


class CommerceRouter(DeclaresAccess, Router):  # type: ignore[misc]
    """One resource's routes; `app.include_router(router)` adds them, and their access, to the resolver."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.declared: Declared = {}

    def authority(self) -> Authority:
        """What the caller of the request being resolved may do (the resolver's gate admitted them)."""
        resolver = self.api_resolver
        if resolver is None or not hasattr(resolver, "authority"):
            return Authority()
        authority: Authority = resolver.authority()
        return authority

    def locale(self, requested: str | None) -> str:
        """The locale to answer in: the one asked for, else Accept-Language's best, else the shop's."""
        default = getattr(self.api_resolver, "default_locale", None)
        if default is None:
            raise RuntimeError("the resolver was created without the shop's default locale")
        return locales.negotiate(requested, header(self, "accept-language"), default)


def header(app: BaseRouter, name: str) -> str | None:
    """A request header by case-insensitive name (HTTP API payload 2.0 lower-cases them)."""
    headers: dict[str, str] = app.current_event.headers
    return headers.get(name.lower())


def responds(
    status: int, description: str, model: type[BaseModel] | None = None
) -> dict[int, OpenAPIResponse]:
    """A response a route documents besides its default (`responses=`): its status, what it means and, where
    it has one, the model of its JSON body."""
    if model is None:
        return {status: {"description": description}}
    return {status: {"description": description, "content": {"application/json": {"model": model}}}}


DELETED = responds(204, "Deleted")
