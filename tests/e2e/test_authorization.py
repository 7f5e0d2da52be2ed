"""The authorization matrix: every route of template.yaml, called by every kind of caller, over HTTP.

Nothing here says who may call a route: each route declares its access beside its path in its function's
app.py, and the roles' permissions come from the deployed role map (docs/security.md). The expected answer
of each route to each caller is derived from both, so a route added without a declaration fails here (and
in tests/unit/test_route_access_declarations.py). Allowed: anything but 401 or 403 (a 400 or a 404 for a
dummy body or id is fine) and never a 5xx; denied: 401 or 403.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.orders import order_to_item
from commerce.api.access import Access
from commerce.api.resolver import CommerceResolver
from commerce.domain.order import OrderStatus
from local.api_routes import TemplateRoute, load_routes
from local.auth import GROUPS, LocalIssuer, SigningKey
from local.stack import LocalStack
from tests.unit.customer_builders import ADA_HOME
from tests.unit.order_builders import an_order

from .conftest import Api, Tokens, unique_email

REPO = Path(__file__).resolve().parents[2]
ROUTES = load_routes(REPO / "template.yaml")
PROBLEM = "application/problem+json"

SIGNED_IN = ("customer", "support", "staff", "admin")  # the local issuer's roles, each its Cognito groups
KEYS = {"channel key": "channel", "ERP key": "erp"}  # a partner's X-Api-Key, no JWT; -> ApiKey name
CALLERS = ("anonymous", *SIGNED_IN, *KEYS)
MATRIX_CHANNEL = f"marketplace:matrix-{uuid.uuid4().hex[:6]}"
# Ids no test creates: the call reaches the function, which answers (404, 400, ...) without changing data.
DUMMY_PARAMETERS = {
    "currency": "EUR",
    "locale": "xx",
    "sku": "MATRIX-NO-SUCH-SKU",
    "channel_id": "marketplace:matrix-no-such",
}
_PARAMETER = re.compile(r"\{([^}+]+)\+?\}")


def _path(route: TemplateRoute) -> str:
    def value(name: str) -> str:
        if name == "channel_id" and route.path.startswith("/channels/"):
            return MATRIX_CHANNEL  # the channel whose key the channel caller holds; never an admin route's
        return DUMMY_PARAMETERS.get(name, f"matrix-no-such-{name}")

    return _PARAMETER.sub(lambda m: value(m.group(1)), route.path)


def declared_access(stack: LocalStack, route: TemplateRoute) -> tuple[Access, CommerceResolver]:
    """What the route declares in the function the stack runs, and that function's resolver."""
    assert stack.runtime is not None
    app = stack.runtime.module(route.function).app
    assert isinstance(app, CommerceResolver), f"{route.function} does not use the declaring resolver"
    rule = _PARAMETER.sub(lambda m: f"<{m.group(1)}>", route.path)
    access = app.declared.get((route.method, rule))
    assert access is not None, f"{route.key} declares no access in {route.function}"
    return access, app


def expected_allowed(access: Access, app: CommerceResolver, caller: str) -> bool:
    if access.kind == "public":
        return True
    if access.kind == "key":
        return access.key is not None and KEYS.get(caller) == access.key.name
    if caller not in SIGNED_IN:
        return False
    if access.kind == "customer":
        return True
    assert access.kind == "staff", str(access)
    authority = app.roles.authority(GROUPS[caller])
    return authority.is_staff if access.permission is None else authority.has(access.permission)


@pytest.fixture(scope="module")
def callers(api: Api, tokens: Tokens) -> dict[str, dict[str, str]]:
    """The headers of each caller: a fresh user per role, and a partner key of each kind, made by an admin."""
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in SIGNED_IN:
        headers[role] = tokens.headers(role, unique_email(f"matrix-{role}"))
    admin = headers["admin"]
    channel = api.put(f"/admin/channels/{MATRIX_CHANNEL}", json={"currency": "EUR"}, headers=admin)
    assert channel.status_code == 200, channel.text
    channel_key = api.post(f"/admin/channels/{MATRIX_CHANNEL}/api-keys", headers=admin)
    assert channel_key.status_code == 201, channel_key.text
    erp_key = api.post("/admin/integrations/erp/keys", json={"name": "Matrix ERP"}, headers=admin)
    assert erp_key.status_code == 201, erp_key.text
    headers["channel key"] = {"X-Api-Key": channel_key.json()["api_key"]}
    headers["ERP key"] = {"X-Api-Key": erp_key.json()["api_key"]}
    return headers


def is_gateway_401(response: requests.Response) -> bool:
    """API Gateway's own refusal: the function never ran."""
    return (
        response.status_code == 401
        and response.json() == {"message": "Unauthorized"}
        and response.headers.get("www-authenticate", "").startswith("Bearer")
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_each_caller_gets_what_the_routes_declared_access_allows(
    api: Api, stack: LocalStack, callers: dict[str, dict[str, str]], route: TemplateRoute, caller: str
) -> None:
    access, app = declared_access(stack, route)
    allowed = expected_allowed(access, app, caller)
    body: dict[str, Any] = {"json": {}} if route.method in ("POST", "PUT", "PATCH") else {}

    response = api.request(route.method, _path(route), headers=callers[caller], **body)

    status = response.status_code
    if allowed:
        assert status not in (401, 403), (str(access), status, response.text)
        assert status < 500, (status, response.text)
    else:
        assert status in (401, 403), (str(access), status, response.text)
        if not is_gateway_401(response):  # refused by the function's gate: a problem, and no schema
            assert response.headers["content-type"] == PROBLEM, response.headers
            assert "errors" not in response.json(), "a refusal names no field of the route's schema"


def test_a_customer_asking_the_order_list_with_a_bad_query_gets_403_not_the_schema(
    api: Api, callers: dict[str, dict[str, str]]
) -> None:
    response = api.get("/admin/orders?status=bogus&limit=0&x=bad", headers=callers["customer"])

    assert response.status_code == 403, response.text
    assert "errors" not in response.json() and "limit" not in response.text


def test_staff_may_not_mint_channel_or_erp_keys_subscribe_webhooks_or_change_channels(
    api: Api, callers: dict[str, dict[str, str]]
) -> None:
    staff = callers["staff"]
    attempts = {
        "channel key": api.post(f"/admin/channels/{MATRIX_CHANNEL}/api-keys", headers=staff),
        "erp key": api.post("/admin/integrations/erp/keys", json={"name": "Rogue"}, headers=staff),
        "webhook": api.post("/admin/webhooks", json={"url": "https://example.com/x"}, headers=staff),
        "channel": api.put(f"/admin/channels/{MATRIX_CHANNEL}", json={"currency": "EUR"}, headers=staff),
    }

    assert {what: r.status_code for what, r in attempts.items()} == dict.fromkeys(attempts, 403)


def test_a_group_named_support_comma_admin_is_not_admin_over_http(api: Api, stack: LocalStack) -> None:
    issuer = stack.issuer
    assert issuer is not None
    claims = issuer.id_token_claims("support", unique_email("comma")) | {"cognito:groups": ["support,admin"]}
    headers = {"Authorization": f"Bearer {issuer.key.sign(claims)}"}

    minted = api.post("/admin/integrations/erp/keys", json={"name": "Comma"}, headers=headers)
    orders = api.get("/admin/orders", headers=headers)
    me = api.get("/me", headers=headers)

    assert (minted.status_code, orders.status_code) == (403, 403), (minted.text, orders.text)
    assert me.status_code == 200 and me.json()["staff"] is None


def test_me_tells_staff_their_groups_permissions_and_refund_limits(
    api: Api, callers: dict[str, dict[str, str]]
) -> None:
    support = api.get("/me", headers=callers["support"]).json()["staff"]
    admin = api.get("/me", headers=callers["admin"]).json()["staff"]
    customer = api.get("/me", headers=callers["customer"]).json()

    assert support["groups"] == ["support"]
    assert support["permissions"] == ["customers:read", "orders:read", "refunds"]
    assert support["refund_limits"]["EUR"] == 5000 and support["refunds_unlimited"] is False
    assert "integrations" in admin["permissions"] and admin["refunds_unlimited"] is True
    assert customer["staff"] is None


def test_support_refunding_above_its_limit_is_refused_before_any_money_moves(
    api: Api, stack: LocalStack, callers: dict[str, dict[str, str]]
) -> None:
    order_id = _write_order(stack, "matrix-buyer", unique_email("buyer"), price=20_000)
    refund = {"amount": 5_001, "reason": "goodwill"}

    refused = api.post(
        f"/admin/orders/{order_id}/refunds",
        json=refund,
        headers=callers["support"] | {"Idempotency-Key": "matrix-over-limit"},
    )

    assert refused.status_code == 403, refused.text
    assert "refunds:any" in refused.json()["detail"]


# tokens API Gateway refuses


@pytest.fixture(scope="module")
def ada() -> str:
    return unique_email("ada")


def test_expired_forged_and_foreign_tokens_get_401_over_http(api: Api, stack: LocalStack, ada: str) -> None:
    issuer = stack.issuer
    assert issuer is not None
    claims = issuer.id_token_claims("admin", ada)
    stranger = LocalIssuer(port=0, client_id=issuer.client_id)  # another issuer's key and URL, never started
    stranger.stop()
    refused = {
        "expired": issuer.mint("customer", ada, 60, now=int(time.time()) - 3600),
        "signed by another key": SigningKey.generate().sign(claims, kid=issuer.key.kid),
        "for another audience": issuer.key.sign(claims | {"aud": "another-client"}),
        "from another issuer": stranger.key.sign(claims | {"iss": stranger.url}),
        "not a JWT": "ey.not.a-token",
    }

    for case, token in refused.items():
        for method, path in (("GET", "/me"), ("GET", "/admin/products/prd-0001")):
            response = api.request(method, path, headers={"Authorization": f"Bearer {token}"})
            assert is_gateway_401(response), (case, path, response.status_code, response.text)
            assert 'error="invalid_token"' in response.headers["www-authenticate"], case
    assert (
        api.get("/me", headers={"Authorization": f"Bearer {issuer.mint('customer', ada)}"}).status_code == 200
    )


# one customer never reaches another's data


@pytest.fixture
def a_and_b(tokens: Tokens) -> tuple[dict[str, str], dict[str, str], str, str]:
    """Customers A and B: their headers and emails, new for each test."""
    email_a, email_b = unique_email("customer-a"), unique_email("customer-b")
    return tokens.headers("customer", email_a), tokens.headers("customer", email_b), email_a, email_b


ADDRESS = ADA_HOME


def test_me_is_always_the_caller(api: Api, a_and_b: tuple[dict[str, str], dict[str, str], str, str]) -> None:
    a, b, email_a, email_b = a_and_b

    assert api.put("/me", json={"name": "Ada Lovelace"}, headers=a).status_code == 200
    me_a, me_b = api.get("/me", headers=a).json(), api.get("/me", headers=b).json()

    assert (me_a["email"], me_a["name"]) == (email_a, "Ada Lovelace")
    assert (me_b["email"], me_b["name"]) == (email_b, None)
    assert me_a["customer_id"] != me_b["customer_id"]


def test_a_customer_cannot_read_change_or_delete_another_customers_address(
    api: Api, a_and_b: tuple[dict[str, str], dict[str, str], str, str]
) -> None:
    a, b, _, _ = a_and_b
    created = api.post("/me/addresses", json=ADDRESS, headers=a)
    assert created.status_code == 201, created.text
    address_id = created.json()["id"]

    changed = api.put(f"/me/addresses/{address_id}", json=ADDRESS | {"line1": "1 Forged Street"}, headers=b)
    deleted = api.delete(f"/me/addresses/{address_id}", headers=b)
    listed = api.get("/me/addresses", headers=b).json()["items"]
    exported = api.get("/me/export", headers=b)

    assert changed.status_code == 404, changed.text
    assert deleted.status_code == 404, deleted.text
    assert listed == []
    assert address_id not in exported.text and ADDRESS["line1"] not in exported.text
    (mine,) = api.get("/me/addresses", headers=a).json()["items"]
    assert (mine["id"], mine["line1"]) == (address_id, ADDRESS["line1"])


def _guest_cart_with_a_line(api: Api) -> tuple[str, dict[str, str], str]:
    created = api.post("/carts", json={"currency": "EUR"})
    assert created.status_code == 201, created.text
    cart = created.json()
    token = {"X-Cart-Token": cart["token"]}
    sku = api.get("/products/prd-0001", params={"currency": "EUR"}).json()["variants"][0]["sku"]
    added = api.put(f"/carts/{cart['id']}/lines/{sku}", json={"quantity": 2}, headers=token)
    assert added.status_code == 200, added.text
    return cart["id"], token, sku


def test_a_customer_cannot_claim_another_customers_guest_cart_without_its_token(
    api: Api, a_and_b: tuple[dict[str, str], dict[str, str], str, str]
) -> None:
    a, b, _, _ = a_and_b
    cart_id, token, sku = _guest_cart_with_a_line(api)

    without_token = api.post(f"/carts/{cart_id}/claim", headers=b)
    wrong_token = api.post(f"/carts/{cart_id}/claim", headers=b | {"X-Cart-Token": "guessed"})
    claimed = api.post(f"/carts/{cart_id}/claim", headers=a | token)
    after_claim = api.post(f"/carts/{cart_id}/claim", headers=b | token)

    assert without_token.status_code == 404, without_token.text
    assert wrong_token.status_code == 404, wrong_token.text
    assert claimed.status_code == 200, claimed.text
    assert after_claim.status_code == 404, "a claimed guest cart is gone"
    assert [line["sku"] for line in api.get("/me/cart", headers=a).json()["lines"]] == [sku]
    assert api.get("/me/cart", headers=b).json()["lines"] == []


def test_a_customer_cart_is_opened_by_identity_only(
    api: Api, a_and_b: tuple[dict[str, str], dict[str, str], str, str]
) -> None:
    a, b, _, _ = a_and_b
    sku = api.get("/products/prd-0001", params={"currency": "EUR"}).json()["variants"][0]["sku"]
    assert api.put(f"/me/cart/lines/{sku}", json={"quantity": 3}, headers=a).status_code == 200
    cart_a = api.get("/me/cart", headers=a).json()

    removed_by_b = api.delete(f"/me/cart/lines/{sku}", headers=b)
    cart_b = api.get("/me/cart", headers=b).json()

    assert removed_by_b.status_code == 200, removed_by_b.text
    assert cart_b["id"] != cart_a["id"] and cart_b["lines"] == []
    assert api.get("/me/cart", headers=a).json()["lines"] == cart_a["lines"] != []


def _write_order(stack: LocalStack, customer_id: str, email: str, price: int = 2000) -> str:
    """A paid order of customer_id, stored as checkout stores it (the orders adapter's own item)."""
    assert stack.deployment is not None
    order_id = f"ord-e2e-{uuid.uuid4().hex[:12]}"
    address = {k: v for k, v in ADDRESS.items() if k != "label"}
    order = an_order(
        OrderStatus.PAID,
        price,
        sku="TEE-ORG-BLK-M",
        at=datetime.now(UTC),
        id=order_id,
        email=email,
        shipping_address=address,
        billing_address=address,
        order_token_hash="unused",
        customer_id=customer_id,
        payment_intent_id=None,
    )
    client = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1")
    client.put_item(TableName=stack.deployment.physical_ids["MainTable"], Item=to_item(order_to_item(order)))
    return order_id


def test_a_customer_sees_only_their_own_orders(
    api: Api, stack: LocalStack, a_and_b: tuple[dict[str, str], dict[str, str], str, str]
) -> None:
    a, b, email_a, _ = a_and_b
    customer_a = api.get("/me", headers=a).json()["customer_id"]
    order_id = _write_order(stack, customer_a, email_a)

    mine = api.get("/me/orders", headers=a).json()["items"]
    theirs = api.get("/me/orders", headers=b).json()["items"]
    one_of_mine = api.get(f"/me/orders/{order_id}", headers=a)
    one_of_theirs = api.get(f"/me/orders/{order_id}", headers=b)

    assert [o["id"] for o in mine] == [order_id]
    assert theirs == []
    assert one_of_mine.status_code == 200, one_of_mine.text
    assert one_of_theirs.status_code == 404, one_of_theirs.text
    assert email_a not in api.get("/me/export", headers=b).text


def test_erasing_one_customer_leaves_another_untouched(
    api: Api, a_and_b: tuple[dict[str, str], dict[str, str], str, str]
) -> None:
    a, b, email_a, _ = a_and_b
    assert api.put("/me", json={"name": "Ada Lovelace"}, headers=a).status_code == 200
    assert api.post("/me/addresses", json=ADDRESS, headers=a).status_code == 201

    assert api.delete("/me", headers=b).status_code == 204

    me_a = api.get("/me", headers=a).json()
    assert (me_a["email"], me_a["name"]) == (email_a, "Ada Lovelace")
    assert len(api.get("/me/addresses", headers=a).json()["items"]) == 1
