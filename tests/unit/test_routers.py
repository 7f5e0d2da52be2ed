"""A function's routes live in routers, one per resource: what each route declares (who may call it, its
parameters) holds once the resolver includes the router, as if the route had been declared on it."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from commerce.api.access import PUBLIC, staff
from commerce.api.resolver import CommerceResolver, create_resolver
from commerce.api.routing import CommerceRouter
from commerce.domain.permissions import DEFAULT_ROLES, Permission, roles_from
from commerce.observability import tracer
from tests.unit.http_events import answer, http_api_event

ROLES = roles_from(DEFAULT_ROLES)
Limit = Annotated[int, Query(ge=1, le=100)]  # a string annotation here: this module defers them
router = CommerceRouter()


@router.get("/admin/orders", access=staff(Permission.ORDERS_READ))
@tracer.capture_method  # a decorator from another module, whose globals know nothing of `Limit`
def list_orders(limit: Limit = 25) -> dict[str, Any]:
    return {"limit": limit, "staff": router.authority().is_staff}


@router.get("/greeting", access=PUBLIC)
def greeting(locale: Annotated[str | None, Query(max_length=35)] = None) -> dict[str, str]:
    return {"locale": router.locale(locale)}


def _app(prefix: str | None = None) -> CommerceResolver:
    app = create_resolver(ROLES, default_locale="en")
    app.include_router(router, prefix=prefix)
    return app


APP = _app()


def _call(path: str, groups: list[str], **extra: Any) -> tuple[int, dict[str, Any]]:
    return answer(APP, http_api_event("GET", path, groups, **extra), "router-test")


def test_a_routers_staff_route_refuses_a_customer_before_validating_the_query() -> None:
    assert _call("/admin/orders", groups=[], query={"limit": "nope"})[0] == 403


def test_a_routers_route_validates_its_deferred_annotations_and_answers_staff() -> None:
    assert _call("/admin/orders", groups=["admin"], query={"limit": "500"})[0] == 400
    assert _call("/admin/orders", groups=["admin"], query={"limit": "7"}) == (
        200,
        {"limit": 7, "staff": True},
    )


def test_the_resolver_knows_the_access_of_an_included_route_and_names_it_in_the_openapi_document() -> None:
    assert APP.access_for("GET", "/admin/orders") == staff(Permission.ORDERS_READ)
    document = json.loads(APP.get_openapi_json_schema())
    assert document["paths"]["/admin/orders"]["get"]["x-access"] == "staff:orders:read"


def test_a_router_included_under_a_prefix_declares_its_routes_under_it() -> None:
    assert _app(prefix="/v2").declared[("GET", "/v2/greeting")] == PUBLIC


def test_a_router_answers_in_the_asked_locale_else_the_accepted_one_else_the_shops() -> None:
    assert _call("/greeting", groups=[], query={"locale": "fr-CA"})[1] == {"locale": "fr-CA"}
    assert _call("/greeting", groups=[], headers={"accept-language": "de;q=0.9"})[1] == {"locale": "de"}
    assert _call("/greeting", groups=[])[1] == {"locale": "en"}


def test_a_plain_powertools_router_whose_routes_declare_no_access_is_refused() -> None:
    with pytest.raises(TypeError):
        create_resolver(ROLES).include_router(Router())


def test_a_router_route_declared_without_its_access_fails_at_import() -> None:
    with pytest.raises(TypeError):
        CommerceRouter().get("/anything")  # type: ignore[call-arg]
