"""Connectors end to end on the local stack: staff point the accounting, ERP and support connectors at a
receiver on 127.0.0.1, a real order is paid through localstripe, refunded and fails delivery, and each
connector's documents arrive signed, with their content type (docs/integrations.md)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from local.stack import LocalStack
from local.tools import jobs
from local.webhook_receiver import Received, WebhookReceiver
from tests.webhook_docs import documented_verifier

from .conftest import Api, Tokens, unique_email
from .test_fulfillment import Fulfilled
from .test_webhooks import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


def connect(
    admin: Callable[..., Any], receiver: WebhookReceiver, name: str, settings: dict[str, str] | None = None
) -> tuple[str, str]:
    """(path, secret) of a new subscription of connector `name` to the receiver."""
    path = f"/{name}-{uuid.uuid4().hex[:6]}"
    body: dict[str, Any] = {"url": receiver.url + path, "connector": name}
    if settings:
        body["settings"] = settings
    response = admin("POST", "/admin/webhooks", json=body)
    assert response.status_code == 201, response.text
    return path, str(response.json()["secret"])


def documents(receiver: WebhookReceiver, path: str, kind: str, order_id: str) -> list[Received]:
    return [
        r for r in receiver.on(path) if r.headers.get("commerce-event-type") == kind and order_id in r.body
    ]


def signed(secret: str, received: Received) -> bool:
    return bool(documented_verifier()(secret, received.headers["commerce-signature"], received.body.encode()))


def test_a_paid_then_refunded_order_reaches_accounting_the_erp_and_support(
    shop: Fulfilled, admin: Callable[..., Any], receiver: WebhookReceiver, tokens: Tokens
) -> None:
    books, books_secret = connect(admin, receiver, "accounting")
    erp, _ = connect(admin, receiver, "erp")
    support, _ = connect(admin, receiver, "support", {"refund_threshold": "EUR:500"})
    sku = shop.sku_at(wh_paris=3)

    placed = shop.paid_order({sku: 2})
    order_id, total = placed["order_id"], placed["totals"]["total"]["amount"]

    (invoice,) = eventually(lambda: documents(receiver, books, "accounting.invoice", order_id))
    assert signed(books_secret, invoice)
    body = invoice.json()
    assert (body["id"], body["totals"]["total"], body["currency"]) == (f"inv_{order_id}", total, "EUR")
    assert sum(t["tax"] for t in body["tax_lines"]) == body["totals"]["tax"]
    assert [(line["sku"], line["quantity"]) for line in body["lines"]] == [(sku, 2)]
    (sales_order,) = eventually(lambda: documents(receiver, erp, "erp.sales_order", order_id))
    assert sales_order.json()["allocations"] == [{"sku": sku, "location": "wh-paris", "quantity": 2}]

    refunded = shop.api.post(
        f"/admin/orders/{order_id}/refunds",
        json={"amount": 600, "reason": "goodwill"},
        headers={**tokens.headers("admin"), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert refunded.status_code == 200, refunded.text

    (note,) = eventually(lambda: documents(receiver, books, "accounting.credit_note", order_id))
    credit = note.json()
    assert (credit["invoice_id"], credit["totals"]["total"]) == (f"inv_{order_id}", 600)
    assert credit["totals"]["net"] + credit["totals"]["tax"] == 600
    (ticket,) = eventually(lambda: documents(receiver, support, "support.ticket", order_id))
    assert (ticket.json()["reason"], ticket.json()["details"]["amount"]) == ("large_refund", 600)
    assert documents(receiver, support, "support.ticket", order_id) == [ticket]  # the payment made none


def test_accounting_as_csv_sends_the_invoice_as_rows_that_add_up(
    shop: Fulfilled, admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    books, _ = connect(admin, receiver, "accounting", {"format": "csv"})
    placed = shop.paid_order({shop.sku_at(wh_paris=1): 1})

    (invoice,) = eventually(lambda: documents(receiver, books, "accounting.invoice", placed["order_id"]))

    assert invoice.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(invoice.body)))
    charged = sum(int(r["gross"]) for r in rows if r["row_type"] in ("line", "shipping"))
    assert charged == int(rows[-1]["gross"]) == placed["totals"]["total"]["amount"]


def test_a_failed_delivery_opens_a_support_ticket(
    shop: Fulfilled, admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    support, _ = connect(admin, receiver, "support")
    placed = shop.paid_order({shop.sku_at(wh_paris=1): 1})
    shop.shipments(placed, 1)
    shop.advance(placed)
    shop.settles_as(placed, "shipped")

    shop.advance(placed, "delivery_failed")

    (ticket,) = eventually(lambda: documents(receiver, support, "support.ticket", placed["order_id"]))
    assert (ticket.json()["reason"], ticket.json()["priority"]) == ("delivery_failed", "high")


def test_staff_see_the_connectors_and_a_wrong_one_is_refused_with_the_reason(
    admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    listed = admin("GET", "/admin/connectors")
    assert listed.status_code == 200, listed.text
    assert {c["name"] for c in listed.json()["items"]} == {"accounting", "erp", "marketing", "support"}

    unknown = admin("POST", "/admin/webhooks", json={"url": receiver.url + "/x", "connector": "crm"})
    bad = admin(
        "POST",
        "/admin/webhooks",
        json={"url": receiver.url + "/x", "connector": "accounting", "settings": {"format": "pdf"}},
    )
    both = admin(
        "POST",
        "/admin/webhooks",
        json={"url": receiver.url + "/x", "connector": "erp", "event_types": ["OrderPaid"]},
    )

    for response, status, words in (
        (unknown, 400, "no connector"),
        (bad, 400, "format"),
        (both, 400, "not both"),
    ):
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert words in response.text


def test_marketing_gets_the_consented_abandoned_cart_and_the_contact_as_consent_comes_and_goes(
    stack: LocalStack,
    shop: Fulfilled,
    admin: Callable[..., Any],
    receiver: WebhookReceiver,
    api: Api,
    tokens: Tokens,
) -> None:
    marketing, secret = connect(admin, receiver, "marketing", {"list_id": "e2e-news"})
    sku = shop.sku_at(wh_paris=5)
    carts = {}
    for consented in (True, False):
        cart_id, token = shop.cart_with(sku, 1)
        contact = {"email": unique_email("cart"), "marketing_consent": consented}
        answer = api.put(f"/carts/{cart_id}/contact", json=contact, headers={"X-Cart-Token": token})
        assert answer.status_code == 200, answer.text
        carts[consented] = cart_id

    def run_job(function: str, payload: dict[str, Any]) -> Any:
        return jobs.invoke_running_stack(function, payload, stack.endpoints_file)

    announced = jobs.run("abandoned-carts", run_job, extra={"after_minutes": 0})["announced"]
    assert set(carts.values()) <= set(announced)

    (cart,) = eventually(lambda: documents(receiver, marketing, "marketing.cart_abandoned", carts[True]))
    assert signed(secret, cart)
    assert (cart.json()["list_id"], cart.json()["lines"][0]["sku"]) == ("e2e-news", sku)

    email = unique_email("consent")
    headers = tokens.headers(email=email)
    for consent in (True, False):
        answer = api.put("/me", json={"marketing_consent": consent}, headers=headers)
        assert answer.status_code == 200, answer.text
    (subscribed,) = eventually(lambda: documents(receiver, marketing, "marketing.contact_subscribed", email))
    (unsubscribed,) = eventually(
        lambda: documents(receiver, marketing, "marketing.contact_unsubscribed", email)
    )
    assert subscribed.json()["email"] == unsubscribed.json()["email"] == email
    # The shopper who did not consent is never sent; their cart was announced in the same run as the other.
    assert documents(receiver, marketing, "marketing.cart_abandoned", carts[False]) == []
