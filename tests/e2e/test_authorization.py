"""The authorization matrix: every route of template.yaml, called by every kind of caller, over HTTP.

The routes come from the template itself; POLICY says who may call each one. A route the template
declares without a POLICY entry fails, and so does an entry the template no longer declares: adding a
route means deciding, here, who may call it.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.orders import order_to_item
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.order_history import OrderLine, OrderTotals
from local.api_routes import TemplateRoute, load_routes
from local.auth import LocalIssuer, SigningKey
from local.stack import LocalStack

from .conftest import Api, Tokens, unique_email

REPO = Path(__file__).resolve().parents[2]
ROUTES = load_routes(REPO / "template.yaml")
PROBLEM = "application/problem+json"

PUBLIC, CUSTOMER, STAFF = "public", "customer", "staff"
CHANNEL = "channel"  # no JWT at the gateway: the function checks a sales channel's API key (X-Api-Key)
# route key -> who may call it: anyone (public), any signed-in user (customer), staff and admins (staff),
# a sales channel with its API key (channel).
POLICY: dict[str, str] = {
    # catalog and guest carts
    "GET /products": PUBLIC,
    "GET /products/{product_id}": PUBLIC,
    "GET /categories": PUBLIC,
    "POST /carts": PUBLIC,
    "GET /carts/{cart_id}": PUBLIC,
    "PUT /carts/{cart_id}/lines/{sku}": PUBLIC,
    "DELETE /carts/{cart_id}/lines/{sku}": PUBLIC,
    # guest checkout, an order by its token, and Stripe's webhook (checked by its signature)
    "POST /checkout": PUBLIC,
    "GET /orders/{order_id}": PUBLIC,
    "POST /webhooks/stripe": PUBLIC,
    # the signed-in customer: always the caller, never an id from the request
    "POST /carts/{cart_id}/claim": CUSTOMER,
    "GET /me/cart": CUSTOMER,
    "PUT /me/cart/lines/{sku}": CUSTOMER,
    "DELETE /me/cart/lines/{sku}": CUSTOMER,
    "POST /me/checkout": CUSTOMER,
    "GET /me": CUSTOMER,
    "PUT /me": CUSTOMER,
    "DELETE /me": CUSTOMER,
    "GET /me/export": CUSTOMER,
    "GET /me/addresses": CUSTOMER,
    "POST /me/addresses": CUSTOMER,
    "PUT /me/addresses/{address_id}": CUSTOMER,
    "DELETE /me/addresses/{address_id}": CUSTOMER,
    "GET /me/orders": CUSTOMER,
    "GET /me/orders/{order_id}": CUSTOMER,
    # the back office
    "POST /admin/products": STAFF,
    "GET /admin/products/{product_id}": STAFF,
    "PATCH /admin/products/{product_id}": STAFF,
    "POST /admin/products/{product_id}/archive": STAFF,
    "PUT /admin/products/{product_id}/variants/{sku}": STAFF,
    "DELETE /admin/products/{product_id}/variants/{sku}": STAFF,
    "PUT /admin/products/{product_id}/variants/{sku}/prices/{currency}": STAFF,
    "PUT /admin/products/{product_id}/translations/{locale}": STAFF,
    "DELETE /admin/products/{product_id}/translations/{locale}": STAFF,
    "POST /admin/categories": STAFF,
    "PUT /admin/categories/{slug}": STAFF,
    "GET /admin/orders": STAFF,
    "POST /admin/orders/{order_id}/approve": STAFF,
    # ---- pricing: discount codes on guest carts; staff promotions and FX snapshots
    "POST /carts/{cart_id}/discount-code": PUBLIC,
    "DELETE /carts/{cart_id}/discount-code": PUBLIC,
    "PUT /carts/{cart_id}/destination": PUBLIC,
    "POST /me/cart/discount-code": CUSTOMER,
    "DELETE /me/cart/discount-code": CUSTOMER,
    "PUT /me/cart/destination": CUSTOMER,
    "POST /admin/promotions": STAFF,
    "GET /admin/promotions": STAFF,
    "GET /admin/promotions/{promotion_id}": STAFF,
    "POST /admin/promotions/{promotion_id}/pause": STAFF,
    "POST /admin/promotions/{promotion_id}/resume": STAFF,
    "POST /admin/fx-rates": STAFF,
    "GET /admin/fx-rates/{base}/{day}": STAFF,
    "GET /admin/products/{product_id}/pricing-terms": STAFF,
    "PUT /admin/products/{product_id}/pricing-terms": STAFF,
    # ---- end pricing
    "POST /admin/orders/{order_id}/reject": STAFF,
    # outbound webhooks (issue 9)
    "GET /admin/connectors": STAFF,
    "POST /admin/webhooks": STAFF,
    "GET /admin/webhooks": STAFF,
    "GET /admin/webhooks/{subscription_id}": STAFF,
    "PATCH /admin/webhooks/{subscription_id}": STAFF,
    "DELETE /admin/webhooks/{subscription_id}": STAFF,
    "POST /admin/webhooks/{subscription_id}/pause": STAFF,
    "POST /admin/webhooks/{subscription_id}/resume": STAFF,
    "GET /admin/webhooks/{subscription_id}/deliveries": STAFF,
    "POST /admin/webhooks/deliveries/{delivery_id}/replay": STAFF,
    # ---- issue 5: cancellations, returns and refunds (the order's token, or signed in); carrier webhooks
    # (checked by their HMAC signature); staff refunds and returns
    "POST /orders/{order_id}/cancel": PUBLIC,
    "POST /orders/{order_id}/returns": PUBLIC,
    "POST /webhooks/carriers/{carrier}": PUBLIC,
    "POST /me/orders/{order_id}/cancel": CUSTOMER,
    "POST /me/orders/{order_id}/returns": CUSTOMER,
    "POST /admin/orders/{order_id}/refunds": STAFF,
    "POST /admin/returns/{return_id}/receive": STAFF,
    # inventory: the back office, the channel API (its API key, whoever else calls) and stock alerts
    "GET /admin/locations": STAFF,
    "PUT /admin/locations/{location_id}": STAFF,
    "GET /admin/inventory/{sku}": STAFF,
    "POST /admin/inventory/{sku}/receipts": STAFF,
    "POST /admin/inventory/{sku}/adjustments": STAFF,
    "PUT /admin/inventory/{sku}/reorder-policy": STAFF,
    "PUT /admin/inventory/{sku}/hot": STAFF,
    "POST /admin/inventory/{sku}/rebalance": STAFF,
    "POST /admin/inventory/transfers": STAFF,
    "GET /admin/inventory/transfers/{transfer_id}": STAFF,
    "POST /admin/inventory/transfers/{transfer_id}/receive": STAFF,
    "GET /admin/inventory/purchase-orders": STAFF,
    "GET /admin/inventory/purchase-orders/{purchase_order_id}": STAFF,
    "POST /admin/inventory/purchase-orders/{purchase_order_id}/send": STAFF,
    "POST /admin/inventory/purchase-orders/{purchase_order_id}/receipts": STAFF,
    "GET /admin/channels": STAFF,
    "PUT /admin/channels/{channel_id}": STAFF,
    "POST /admin/channels/{channel_id}/api-keys": STAFF,
    "POST /channels/{channel_id}/reservations": CHANNEL,
    "GET /channels/{channel_id}/reservations/{external_order_id}": CHANNEL,
    "POST /channels/{channel_id}/reservations/{external_order_id}/commit": CHANNEL,
    "POST /channels/{channel_id}/reservations/{external_order_id}/release": CHANNEL,
    "GET /channels/{channel_id}/stock/{sku}": CHANNEL,
    "POST /stock-alerts": PUBLIC,
    # ---- analytics (issue 8)
    "GET /admin/reports/sales": STAFF,
    "GET /admin/reports/funnel": STAFF,
    "GET /admin/reports/campaigns": STAFF,
    "GET /admin/reports/inventory": STAFF,
    "GET /admin/customers": STAFF,
    "GET /admin/customers/{customer_id}": STAFF,
    "POST /admin/customers/{customer_id}/notes": STAFF,
    "GET /products/{product_id}/recommendations": PUBLIC,
    "GET /me/recently-viewed": CUSTOMER,
    "PUT /me/recently-viewed/{product_id}": CUSTOMER,
    # ---- end analytics
    # ---- marketing (issue 9): a guest's email and consent on the cart (its token)
    "PUT /carts/{cart_id}/contact": PUBLIC,
    # ---- ERP stock in (issue 9): the import checks the integration's key itself, as a channel's
    "POST /integrations/erp/stock": CHANNEL,
    "POST /admin/integrations/erp/keys": STAFF,
    "GET /admin/integrations/erp/keys": STAFF,
    "DELETE /admin/integrations/erp/keys/{key_id}": STAFF,
    # ---- end ERP stock in
    # ---- shipping connector (issue 9)
    "GET /carts/{cart_id}/shipping-rates": PUBLIC,
    "GET /me/cart/shipping-rates": CUSTOMER,
    "GET /admin/shipments/{shipment_id}/label": STAFF,
    "POST /admin/shipments/{shipment_id}/label": STAFF,
    # ---- end shipping connector
}

CALLERS = ("anonymous", "customer A", "customer B", "staff", "admin")
ROLES = {"customer A": "customer", "customer B": "customer", "staff": "staff", "admin": "admin"}
# Ids no test creates: the call reaches the function, which answers (404, 400, ...) without changing data.
DUMMY_PARAMETERS = {
    "currency": "EUR",
    "locale": "xx",
    "sku": "MATRIX-NO-SUCH-SKU",
    "channel_id": "marketplace:matrix-no-such",
}
_PARAMETER = re.compile(r"\{([^}+]+)\+?\}")


def _path(route: TemplateRoute) -> str:
    return _PARAMETER.sub(
        lambda m: DUMMY_PARAMETERS.get(m.group(1), f"matrix-no-such-{m.group(1)}"), route.path
    )


@pytest.fixture(scope="module")
def callers(tokens: Tokens) -> dict[str, dict[str, str]]:
    """The Authorization header of each caller; every signed-in one a fresh user of this module."""
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for caller, role in ROLES.items():
        headers[caller] = tokens.headers(role, unique_email(caller.replace(" ", "-")))
    return headers


def is_gateway_401(response: requests.Response) -> bool:
    """API Gateway's own refusal: the function never ran."""
    return (
        response.status_code == 401
        and response.json() == {"message": "Unauthorized"}
        and response.headers.get("www-authenticate", "").startswith("Bearer")
    )


def test_every_template_route_has_a_policy_and_every_policy_a_route() -> None:
    declared = {route.key for route in ROUTES}

    assert sorted(declared - POLICY.keys()) == [], "routes in template.yaml with no POLICY entry"
    assert sorted(POLICY.keys() - declared) == [], "POLICY entries for routes template.yaml lacks"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_the_template_protects_exactly_the_routes_the_policy_says(route: TemplateRoute) -> None:
    assert route.key in POLICY, f"{route.key} has no POLICY entry"
    assert (route.authorizer is None) == (POLICY[route.key] in (PUBLIC, CHANNEL)), (
        f"{route.key}: authorizer {route.authorizer} in the template, {POLICY[route.key]} in POLICY"
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_each_caller_gets_what_the_policy_allows(
    api: Api, callers: dict[str, dict[str, str]], route: TemplateRoute, caller: str
) -> None:
    assert route.key in POLICY, f"{route.key} has no POLICY entry"
    access = POLICY[route.key]
    body: dict[str, Any] = {"json": {}} if route.method in ("POST", "PUT", "PATCH") else {}

    response = api.request(route.method, _path(route), headers=callers[caller], **body)

    status = response.status_code
    if access == CHANNEL:  # nobody here holds the channel's key: the function refuses every caller
        assert status == 401 and not is_gateway_401(response), (status, response.text)
        assert response.headers["content-type"] == PROBLEM
    elif caller == "anonymous" and access != PUBLIC:
        assert is_gateway_401(response), (status, response.headers, response.text)
    elif access == STAFF and caller.startswith("customer"):
        assert status == 403, (status, response.text)
        assert response.headers["content-type"] == PROBLEM, "refused by the function, not the gateway"
    else:
        assert status not in (401, 403), (status, response.text)
        assert status < 500, (status, response.text)


# ---------------------------------------------------------------- tokens API Gateway refuses


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


# ---------------------------------------------------------------- one customer never reaches another's data


@pytest.fixture
def a_and_b(tokens: Tokens) -> tuple[dict[str, str], dict[str, str], str, str]:
    """Customers A and B: their headers and emails, new for each test."""
    email_a, email_b = unique_email("customer-a"), unique_email("customer-b")
    return tokens.headers("customer", email_a), tokens.headers("customer", email_b), email_a, email_b


ADDRESS = {
    "label": "Home",
    "recipient_name": "Ada Lovelace",
    "line1": "12 rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
    "phone": "+33 1 23 45 67 89",
}


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


def _write_order(stack: LocalStack, customer_id: str, email: str) -> str:
    """A paid order of customer_id, stored as checkout stores it (the orders adapter's own item)."""
    assert stack.deployment is not None
    order_id = f"ord-e2e-{uuid.uuid4().hex[:12]}"
    now = datetime.now(UTC)
    price = Money(2000, "EUR")
    nothing = Money(0, "EUR")
    address = {k: v for k, v in ADDRESS.items() if k != "label"}
    order = Order(
        id=order_id,
        status=OrderStatus.PAID,
        currency="EUR",
        lines=(OrderLine("TEE-ORG-BLK-M", "Tee", 1, price, price),),
        totals=OrderTotals(price, nothing, nothing, nothing, price),
        email=email,
        shipping_address=address,
        billing_address=address,
        created_at=now,
        reservations=(Reservation("TEE-ORG-BLK-M", "main", 1),),
        reservation_expires_at=now + timedelta(minutes=15),
        order_token_hash="unused",
        customer_id=customer_id,
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
