"""Who may call a route, declared once beside its path (`@app.get(path, access=...)`) and enforced by one gate
before the request is validated: a caller refused learns nothing of the route's request schema.

PUBLIC: anyone (the template gives the route no authorizer). CUSTOMER: anyone signed in, acting on
themselves. `staff(permission)`: a signed-in member of a group granting that permission (docs/security.md).
An `ApiKey`: a partner's key in the X-Api-Key header, checked by the function (a sales channel, an ERP)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from commerce.api.caller import AuthenticatedCaller
from commerce.api.identity import principal_from_claims
from commerce.domain.errors import Forbidden, Unauthorized
from commerce.domain.identity import Principal
from commerce.domain.permissions import Authority, Permission, RoleMap

T = TypeVar("T")


def api_key(event: Mapping[str, Any]) -> str | None:
    """The X-Api-Key header of the raw event (the gate runs before Powertools reads the request)."""
    headers = {str(name).lower(): value for name, value in (event.get("headers") or {}).items()}
    key = headers.get("x-api-key")
    return str(key) if key is not None else None


def no_key(description: str) -> dict[int, OpenAPIResponse]:
    """The 401 a partner's route documents: no valid key in the X-Api-Key header."""
    return {
        401: {
            "description": description,
            "content": {"application/problem+json": {"schema": {"type": "object"}}},
        }
    }


class ApiKey(Generic[T]):
    """Routes whose caller is a partner holding an API key: `authenticate` reads the raw event and returns
    the partner (raising Unauthorized), and the route reads it back with `caller()`."""

    def __init__(self, name: str, authenticate: Callable[[Mapping[str, Any]], T]) -> None:
        self.name = name
        self._authenticate = authenticate
        self._caller = AuthenticatedCaller[T](name)
        self.access = Access("key", key=self)

    def bound(self, event: Mapping[str, Any]) -> AbstractContextManager[None]:
        return self._caller.bound(self._authenticate(event))

    def caller(self) -> T:
        return self._caller.get()


@dataclass(frozen=True, slots=True)
class Access:
    kind: str  # public, customer, staff or key
    permission: Permission | None = None
    key: ApiKey[Any] | None = None

    def __str__(self) -> str:
        if self.kind == "staff":
            return f"staff:{self.permission}" if self.permission else "staff"
        if self.key is not None:
            return f"key:{self.key.name}"
        return self.kind


PUBLIC = Access("public")
CUSTOMER = Access("customer")
ANY_STAFF = Access("staff")  # a member of staff, whatever their permissions (the route answers by them)


def staff(permission: Permission) -> Access:
    return Access("staff", permission)


def claims(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    found = (authorizer.get("jwt") or {}).get("claims")
    return found if isinstance(found, Mapping) else None


@dataclass(frozen=True, slots=True)
class Admitted:
    """The gate let the call through: who is calling (None for a public or key route) and the key's scope."""

    principal: Principal | None
    authority: Authority
    scope: AbstractContextManager[None]


def admit(access: Access, event: Mapping[str, Any], roles: RoleMap) -> Admitted:
    """The gate: Unauthorized (401) or Forbidden (403) unless this caller may call a route declared so."""
    if access.key is not None:
        return Admitted(None, Authority(), access.key.bound(event))
    principal = principal_from_claims(claims(event))
    authority = roles.authority(principal.groups) if principal is not None else Authority()
    if access.kind == "public":
        return Admitted(principal, authority, nullcontext())
    if principal is None:  # API Gateway's authorizer refuses first; this is the backstop
        raise Unauthorized("sign in to do this")
    if access.kind == "staff":
        if access.permission is None and not authority.is_staff:
            raise Forbidden("this is for staff; your groups grant no staff permission")
        if access.permission is not None and not authority.has(access.permission):
            raise Forbidden(f"this needs the {access.permission} permission, which your groups do not grant")
    elif access.kind != "customer":
        raise Forbidden("this route declares no access")  # fail closed
    return Admitted(principal, authority, nullcontext())
