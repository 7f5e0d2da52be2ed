"""The one gate: each route's declared access is enforced before the request is validated."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler.openapi.params import Query

from commerce.api.access import ANY_STAFF, CUSTOMER, PUBLIC, ApiKey, staff
from commerce.api.resolver import CommerceResolver, create_resolver
from commerce.domain.errors import Unauthorized
from commerce.domain.permissions import DEFAULT_ROLES, Permission, roles_from
from tests.unit.http_events import answer, http_api_event

ROLES = roles_from(DEFAULT_ROLES)


def _partner(event: Mapping[str, Any]) -> str:
    if (event.get("headers") or {}).get("x-api-key") != "good-key":
        raise Unauthorized("a valid API key is needed")
    return "partner-1"


partner_key = ApiKey("partner", _partner)


def _app() -> CommerceResolver:
    app = create_resolver(ROLES)

    @app.get("/admin/orders", access=staff(Permission.ORDERS_READ))
    def list_orders(limit: Annotated[int, Query(ge=1, le=100)] = 25) -> dict[str, Any]:
        return {"limit": limit, "may_refund_eur": app.authority().refund_limits.get("EUR")}

    @app.post("/admin/channels/<channel_id>/api-keys", access=staff(Permission.INTEGRATIONS))
    def mint_key(channel_id: str) -> dict[str, str]:
        return {"minted": channel_id}

    @app.get("/admin/attention", access=ANY_STAFF)
    def attention() -> dict[str, bool]:
        return {"integrations": app.authority().has(Permission.INTEGRATIONS)}

    @app.get("/me", access=CUSTOMER)
    def me() -> dict[str, bool]:
        return {"staff": app.authority().is_staff}

    @app.get("/products", access=PUBLIC)
    def products() -> dict[str, int]:
        return {"items": 0}

    @app.post("/partners/stock", access=partner_key.access)
    def partner_stock() -> dict[str, str]:
        return {"partner": partner_key.caller()}

    @app.route("/forgotten", "GET")  # registered around the declaring decorators: refused
    def forgotten() -> dict[str, str]:
        return {"leaked": "yes"}

    return app


APP = _app()


def _call(
    method: str, path: str, groups: list[str] | None = None, signed_in: bool = True, **extra: Any
) -> tuple[int, dict[str, Any]]:
    return answer(APP, http_api_event(method, path, groups, signed_in, **extra), "gate-test")


def test_a_customer_gets_403_not_400_from_a_staff_route_even_with_a_query_that_would_not_validate() -> None:
    status, body = _call("GET", "/admin/orders", groups=[], query={"limit": "not-a-number", "x": "bad"})

    assert status == 403
    assert "limit" not in json.dumps(body), "the refusal names nothing of the route's schema"


def test_staff_with_the_permission_get_through_to_validation_and_the_route() -> None:
    assert _call("GET", "/admin/orders", groups=["staff"], query={"limit": "0"})[0] == 400
    status, body = _call("GET", "/admin/orders", groups=["support"], query={"limit": "5"})

    assert status == 200 and body == {"limit": 5, "may_refund_eur": 5_000}


def test_staff_may_not_mint_an_api_key_and_an_admin_may() -> None:
    assert _call("POST", "/admin/channels/web/api-keys", groups=["staff"])[0] == 403
    assert _call("POST", "/admin/channels/web/api-keys", groups=["support", "staff"])[0] == 403
    assert _call("POST", "/admin/channels/web/api-keys", groups=["admin"]) == (200, {"minted": "web"})


def test_a_route_for_any_staff_serves_every_staff_group_and_refuses_customers() -> None:
    assert _call("GET", "/admin/attention", groups=["support"]) == (200, {"integrations": False})
    assert _call("GET", "/admin/attention", groups=["admin"]) == (200, {"integrations": True})
    assert _call("GET", "/admin/attention", groups=[])[0] == 403
    assert _call("GET", "/admin/attention", groups=["customers"])[0] == 403


def test_a_group_named_support_comma_admin_does_not_open_an_admin_route() -> None:
    assert _call("POST", "/admin/channels/web/api-keys", groups=["support,admin"])[0] == 403


@pytest.mark.parametrize(("method", "path"), [("GET", "/admin/orders"), ("GET", "/me")])
def test_nobody_signed_in_gets_401_from_a_route_that_needs_someone(method: str, path: str) -> None:
    assert _call(method, path, signed_in=False)[0] == 401


def test_a_customer_route_serves_anyone_signed_in_and_a_public_route_anyone() -> None:
    assert _call("GET", "/me", groups=[]) == (200, {"staff": False})
    assert _call("GET", "/me", groups=["staff"]) == (200, {"staff": True})
    assert _call("GET", "/products", signed_in=False) == (200, {"items": 0})


def test_a_partner_route_needs_the_partners_key_and_hands_the_route_the_partner() -> None:
    assert _call("POST", "/partners/stock", groups=["admin"])[0] == 401
    assert _call("POST", "/partners/stock", headers={"x-api-key": "bad"})[0] == 401
    assert _call("POST", "/partners/stock", headers={"x-api-key": "good-key"}) == (
        200,
        {"partner": "partner-1"},
    )


def test_a_route_without_a_declared_access_is_refused_to_everyone() -> None:
    assert _call("GET", "/forgotten", groups=["admin"])[0] == 403


def test_a_route_that_does_not_exist_is_a_404() -> None:
    assert _call("GET", "/nowhere", groups=["admin"])[0] == 404


def test_declaring_a_route_without_its_access_fails_at_import() -> None:
    app = create_resolver(ROLES)
    with pytest.raises(TypeError):
        app.get("/admin/anything")  # type: ignore[call-arg]
