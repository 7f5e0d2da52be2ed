"""Connectors with in-memory fakes: what each one makes of the events it consumes (an invoice, a credit note,
a sales order, a contact, a ticket), that it reaches only its subscriptions, once, and through the webhook
pipeline (signed, with its content type)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.domain.connectors import CONNECTORS
from commerce.domain.connectors.accounting import refund_tax_lines
from commerce.domain.connectors.support import thresholds
from commerce.domain.customer import Consent, Profile
from commerce.domain.errors import ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.pricing import OrderPricing
from commerce.domain.tax import TaxAmount
from commerce.services.connectors import ConnectorFeed
from tests.fakes.webhooks import (
    ScriptedReceiver,
)
from tests.unit.webhook_world import WebhookPipeline
from tests.webhook_docs import documented_verifier

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def vat(rate_percent: int, base: int, tax: int) -> TaxAmount:
    return TaxAmount("VAT", rate_percent * 10_000, eur(base), eur(tax))


def german_order() -> Order:
    """Prices include VAT (DE): two mugs at 11.90 (19%), a book at 10.70 (7%), shipping 4.90 (19%).
    By hand: mugs 23.80 = 20.00 + 3.80; book 10.70 = 10.00 + 0.70; shipping 4.90 = 4.12 + 0.78;
    total 39.40 of which VAT 5.28 (4.58 at 19%, 0.70 at 7%)."""
    mug = OrderLine(
        "MUG-1", "Mug", 2, eur(1190), eur(2380), eur(380), None, "standard", (vat(19, 2000, 380),)
    )
    book = OrderLine("BOOK-1", "Book", 1, eur(1070), eur(1070), eur(70), None, "reduced", (vat(7, 1000, 70),))
    return Order(
        id="ord_de",
        status=OrderStatus.PAID,
        currency="EUR",
        lines=(mug, book),
        totals=OrderTotals(
            subtotal=eur(3450),
            tax=eur(528),
            shipping=eur(490),
            discount=eur(0),
            total=eur(3940),
            tax_included=True,
            shipping_tax=eur(78),
            tax_breakdown=(vat(19, 2412, 458), vat(7, 1000, 70)),
        ),
        email="kunde@example.de",
        shipping_address={"country": "DE", "city": "Berlin"},
        billing_address={"country": "DE", "city": "Berlin", "name": "Ada Kunde"},
        created_at=AT - timedelta(minutes=5),
        reservations=(Reservation("MUG-1", "wh-berlin", 2), Reservation("BOOK-1", "wh-paris", 1)),
        reservation_expires_at=AT,
        order_token_hash="x",
        customer_id="cus_1",
        pricing=OrderPricing(
            seller={"name": "Demo Shop GmbH", "vat_id": "DE123456789"}, tax_region="DE", tax_included=True
        ),
        channel="web",
    )


class Facts:
    def __init__(self, orders: list[Order], customers: list[Profile] | None = None) -> None:
        self.orders = {o.id: o for o in orders}
        self.customers = {c.customer_id: c for c in customers or []}

    def order(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def customer(self, customer_id: str) -> Profile | None:
        return self.customers.get(customer_id)


def event(event_type: str, data: dict[str, Any], event_id: str = "evt-1") -> DomainEvent:
    return DomainEvent(type=event_type, occurred_at=AT, data=data, event_id=event_id)


PAID = event("OrderPaid", {"order_id": "ord_de", "currency": "EUR", "total": 3940, "payment_intent_id": "pi"})


def refund(amount: int, event_id: str = "evt-refund") -> DomainEvent:
    data = {
        "order_id": "ord_de",
        "refund_id": "re_1",
        "amount": amount,
        "currency": "EUR",
        "amount_refunded": amount,
        "payment_intent_id": "pi",
        "with_cancellation": False,
    }
    return event("RefundIssued", data, event_id)


def documents(
    name: str, happened: DomainEvent, settings: dict[str, str] | None = None, facts: Facts | None = None
) -> list[Any]:
    connector = CONNECTORS[name]
    return connector.documents(happened, connector.check(settings or {}), facts or Facts([german_order()]))


# accounting
def test_an_invoice_carries_every_line_the_shipping_and_the_tax_by_rate_computed_by_hand() -> None:
    (document,) = documents("accounting", PAID)
    invoice = json.loads(document.body)

    assert (document.type, document.id, document.content_type) == (
        "accounting.invoice",
        "inv_ord_de",
        "application/json",
    )
    assert [(line["sku"], line["net"], line["tax"], line["gross"]) for line in invoice["lines"]] == [
        ("MUG-1", 2000, 380, 2380),
        ("BOOK-1", 1000, 70, 1070),
    ]
    assert invoice["shipping"] == {"net": 412, "tax": 78, "gross": 490}
    assert [(t["rate_ppm"], t["base"], t["tax"]) for t in invoice["tax_lines"]] == [
        (190000, 2412, 458),
        (70000, 1000, 70),
    ]
    assert invoice["totals"]["total"] == 3940 and invoice["totals"]["tax"] == 528
    assert invoice["seller"]["vat_id"] == "DE123456789"
    assert invoice["buyer"]["billing_address"]["name"] == "Ada Kunde"
    assert sum(line["gross"] for line in invoice["lines"]) + invoice["shipping"]["gross"] == 3940


def test_the_csv_invoice_has_a_row_per_line_shipping_and_rate_and_its_total_row_matches() -> None:
    (document,) = documents("accounting", PAID, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(document.body)))

    assert document.content_type.startswith("text/csv")
    assert [r["row_type"] for r in rows] == ["line", "line", "shipping", "tax", "tax", "total"]
    items = [r for r in rows if r["row_type"] in ("line", "shipping")]
    assert sum(int(r["gross"]) for r in items) == 3940
    assert sum(int(r["tax"]) for r in rows if r["row_type"] == "tax") == 528
    total = rows[-1]
    assert (int(total["net"]), int(total["tax"]), int(total["gross"])) == (3412, 528, 3940)
    assert {r["invoice_id"] for r in rows} == {"inv_ord_de"}
    assert [(r["sku"], r["tax_rate_ppm"]) for r in rows[:2]] == [("MUG-1", "190000"), ("BOOK-1", "70000")]


def test_a_credit_note_splits_a_refund_across_the_rates_it_was_charged_at() -> None:
    (document,) = documents("accounting", refund(1970))  # half the order
    note = json.loads(document.body)

    assert (document.type, document.id) == ("accounting.credit_note", "cn_re_1")
    assert note["invoice_id"] == "inv_ord_de"
    # 19% part: 2870 of 3940 charged -> 1435 of the refund, VAT 229; 7% part: 1070 -> 535, VAT 35.
    assert [(t["rate_ppm"], t["gross"], t["tax"]) for t in note["tax_lines"]] == [
        (190000, 1435, 229),
        (70000, 535, 35),
    ]
    assert note["totals"] == {"net": 1706, "tax": 264, "total": 1970}


@given(
    rates=st.lists(st.tuples(st.integers(0, 270_000), st.integers(1, 100_000)), min_size=0, max_size=4),
    untaxed=st.integers(0, 5_000),
    share=st.floats(0, 1),
)
def test_a_refund_split_never_loses_or_invents_a_cent(
    rates: list[tuple[int, int]], untaxed: int, share: float
) -> None:
    breakdown = tuple(TaxAmount("T", rate, eur(base), eur(base * rate // 1_000_000)) for rate, base in rates)
    charged = sum(t.base.amount + t.tax.amount for t in breakdown) + untaxed
    order = replace(
        german_order(),
        totals=replace(german_order().totals, total=eur(max(charged, 1)), tax_breakdown=breakdown),
    )
    amount = int(share * max(charged, 1))

    lines = refund_tax_lines(order, amount)

    assert sum(line["gross"] for line in lines) == amount
    assert all(
        line["net"] + line["tax"] == line["gross"] and 0 <= line["tax"] <= line["gross"] for line in lines
    )


def test_accounting_refuses_a_format_it_cannot_write() -> None:
    with pytest.raises(ValidationFailed, match="format"):
        CONNECTORS["accounting"].check({"format": "xlsx"})
    with pytest.raises(ValidationFailed, match="unknown settings: colour"):
        CONNECTORS["accounting"].check({"colour": "blue"})


# ERP
def test_the_erp_gets_a_sales_order_with_where_each_unit_was_taken_from() -> None:
    (document,) = documents("erp", PAID)
    order = json.loads(document.body)

    assert (document.type, document.id) == ("erp.sales_order", "so_ord_de")
    assert order["allocations"] == [
        {"sku": "MUG-1", "location": "wh-berlin", "quantity": 2},
        {"sku": "BOOK-1", "location": "wh-paris", "quantity": 1},
    ]
    assert order["ship_to"]["city"] == "Berlin" and order["totals"]["total"] == 3940


def test_the_erp_gets_a_purchase_order_when_it_is_sent_to_the_supplier() -> None:
    sent = event(
        "PurchaseOrderSent",
        {
            "purchase_order_id": "po_7",
            "supplier": "Acme",
            "location": "wh-paris",
            "lines": [{"sku": "MUG-1", "quantity": 40}],
        },
    )
    (document,) = documents("erp", sent, facts=Facts([]))

    assert (document.type, document.id) == ("erp.purchase_order", "po_po_7")
    assert json.loads(document.body)["lines"] == [{"sku": "MUG-1", "quantity": 40}]


def test_a_cancelled_order_cancels_its_sales_order() -> None:
    cancelled = replace(german_order(), status=OrderStatus.CANCELLED, cancel_reason="customer")
    (document,) = documents("erp", event("OrderCancelled", {"order_id": "ord_de"}), facts=Facts([cancelled]))

    body = json.loads(document.body)
    assert document.type == "erp.sales_order_cancelled"
    assert (body["sales_order_id"], body["reason"]) == ("so_ord_de", "customer")


def test_an_event_about_an_order_that_cannot_be_read_fails_so_it_is_retried() -> None:
    with pytest.raises(LookupError):
        documents("erp", PAID, facts=Facts([]))


# email marketing
def consent(granted: bool) -> DomainEvent:
    data = {
        "customer_id": "cus_1",
        "email": "ada@example.com",
        "locale": "fr-FR",
        "marketing_consent": granted,
        "changed_at": AT.isoformat(),
        "reason": "profile",
    }
    return event("CustomerConsentChanged", data, f"evt-consent-{granted}")


def test_a_consent_given_subscribes_the_contact_and_a_consent_withdrawn_unsubscribes_it() -> None:
    (given_,) = documents("marketing", consent(True), {"list_id": "news"})
    (withdrawn,) = documents("marketing", consent(False), {"list_id": "news"})

    assert given_.type == "marketing.contact_subscribed"
    assert (
        json.loads(given_.body).items()
        >= {"email": "ada@example.com", "locale": "fr-FR", "list_id": "news"}.items()
    )
    assert withdrawn.type == "marketing.contact_unsubscribed"
    assert "locale" not in json.loads(withdrawn.body)


def abandoned(consented: bool) -> DomainEvent:
    data = {
        "cart_id": "cart_1",
        "email": "ada@example.com",
        "customer_id": None,
        "locale": "fr-FR",
        "currency": "EUR",
        "marketing_consent": consented,
        "lines": [{"sku": "MUG-1", "name": "Mug", "quantity": 1, "unit_price": 1190}],
        "subtotal": 1190,
        "last_touched_at": AT.isoformat(),
        "abandoned_at": AT.isoformat(),
    }
    return event("CartAbandoned", data, f"evt-cart-{consented}")


def test_an_abandoned_cart_goes_to_the_marketing_tool_only_when_the_shopper_consented() -> None:
    (sent,) = documents("marketing", abandoned(True))

    assert sent.type == "marketing.cart_abandoned"
    assert json.loads(sent.body)["lines"][0]["sku"] == "MUG-1"
    assert documents("marketing", abandoned(False)) == []


def test_a_segment_change_is_sent_with_the_email_of_a_customer_who_consented_and_of_no_one_else() -> None:
    changed = event(
        "CustomerSegmentChanged", {"customer_id": "cus_1", "previous": "new", "segment": "repeat"}
    )
    profile = Profile("cus_1", "ada@example.com", AT, AT, marketing_consent=Consent(True, AT))

    (sent,) = documents("marketing", changed, facts=Facts([], [profile]))

    assert json.loads(sent.body).items() >= {"email": "ada@example.com", "segment": "repeat"}.items()
    silent = replace(profile, marketing_consent=Consent(False, AT))
    assert documents("marketing", changed, facts=Facts([], [silent])) == []
    assert documents("marketing", changed, facts=Facts([], [])) == []


# support
def test_a_dispute_and_a_failed_delivery_open_tickets() -> None:
    disputed = event(
        "OrderDisputed",
        {"order_id": "ord_de", "dispute_id": "dp_1", "status": "needs_response", "reason": "fraudulent"},
    )
    failed = event(
        "ShipmentDeliveryFailed",
        {
            "order_id": "ord_de",
            "shipment_id": "shp_1",
            "carrier": "sim",
            "tracking_number": "T1",
            "tracking_url": "https://t/1",
            "status": "delivery_failed",
            "lines": [],
        },
        "evt-failed",
    )

    (dispute_ticket,) = documents("support", disputed)
    (delivery_ticket,) = documents("support", failed)

    dispute, delivery = json.loads(dispute_ticket.body), json.loads(delivery_ticket.body)
    assert (dispute["reason"], dispute["priority"], dispute["requester"]["email"]) == (
        "dispute",
        "high",
        "kunde@example.de",
    )
    assert (delivery["reason"], delivery["details"]["tracking_number"]) == ("delivery_failed", "T1")


def test_a_refund_opens_a_ticket_only_from_the_threshold_of_its_currency() -> None:
    settings = {"refund_threshold": "EUR:2000,*:100"}
    assert documents("support", refund(1999), settings) == []
    (ticket,) = documents("support", refund(2000), settings)
    assert json.loads(ticket.body)["reason"] == "large_refund"
    assert documents("support", refund(9999)) == []  # the default: 10000 minor units
    assert len(documents("support", refund(10_000))) == 1


def test_a_threshold_is_minor_units_alone_or_per_currency() -> None:
    assert thresholds("5000") == {"*": 5000}
    assert thresholds("eur:5000, USD:6000") == {"EUR": 5000, "USD": 6000}
    for bad in ("5.00", "EURO:5", "EUR:", ""):
        with pytest.raises(ValidationFailed):
            thresholds(bad)


# the feed, through the webhook pipeline
class World(WebhookPipeline):
    def __init__(self) -> None:
        # signed now: the documented verifier refuses an old timestamp
        super().__init__(ScriptedReceiver(), lambda: AT, signing_clock=lambda: datetime.now(UTC))
        self.feed = ConnectorFeed(
            self.subscriptions, self.deliveries, self.queue, Facts([german_order()]), lambda: AT
        )

    def drain(self) -> None:
        while (job := self.queue.take()) is not None:
            self.dispatcher.deliver(job)


def test_a_connector_document_is_delivered_signed_with_its_own_type_id_and_content_type() -> None:
    world = World()
    made = world.admin.create(
        "https://books.example.com/in", [], connector_name="accounting", settings={"format": "csv"}
    )

    assert world.feed.feed(PAID) == 1
    world.drain()

    ((url, headers, body),) = world.receiver.requests
    assert url == "https://books.example.com/in" and body.startswith("document_type,")
    assert headers["Content-Type"].startswith("text/csv")
    assert (headers["Commerce-Event-Type"], headers["Commerce-Event-Id"]) == (
        "accounting.invoice",
        "inv_ord_de",
    )
    assert documented_verifier()(made.secret, headers["Commerce-Signature"], body.encode())


def test_a_repeated_event_queues_nothing_twice_and_others_connectors_and_plain_webhooks_are_left_alone() -> (
    None
):
    world = World()
    world.admin.create("https://books.example.com/in", [], connector_name="accounting")
    world.admin.create("https://support.example.com/in", [], connector_name="support")
    plain = world.admin.create("https://partner.example.com/in", ["*"]).subscription

    assert (
        world.feed.feed(PAID) == 1
    )  # support does not consume OrderPaid; a plain webhook is not a connector
    assert world.feed.feed(PAID) == 0
    assert world.dispatcher.fan_out("OrderPaid", PAID.envelope()) == 1  # the raw event: the plain one only
    assert {d.subscription_id for d in world.deliveries.items.values() if d.event_type == "OrderPaid"} == {
        plain.id
    }


def test_a_paused_connector_gets_nothing() -> None:
    world = World()
    made = world.admin.create("https://books.example.com/in", [], connector_name="accounting")
    world.admin.pause(made.subscription.id)

    assert world.feed.feed(PAID) == 0


def test_the_feed_reads_the_event_as_the_bus_delivers_it() -> None:
    world = World()
    world.admin.create("https://books.example.com/in", [], connector_name="erp")
    message = {"detail-type": "OrderPaid", "source": "commerce", "detail": PAID.envelope()}

    assert world.feed.handle(json.dumps(message)) == 1
    with pytest.raises(ValidationFailed):
        world.feed.handle(json.dumps({"detail-type": "OrderPaid", "detail": {"data": {}}}))


def test_a_connector_subscription_is_checked_when_made_and_changed() -> None:
    world = World()
    with pytest.raises(ValidationFailed, match="no connector"):
        world.admin.create("https://x.example.com/in", [], connector_name="crm")
    with pytest.raises(ValidationFailed, match="settings belong to a connector"):
        world.admin.create("https://x.example.com/in", ["OrderPaid"], settings={"format": "csv"})
    made = world.admin.create("https://x.example.com/in", [], connector_name="accounting").subscription
    assert set(made.event_types) == {"OrderPaid", "RefundIssued"}
    assert world.admin.update(made.id, settings={"format": "csv"}).settings == {"format": "csv"}
    with pytest.raises(ValidationFailed):
        world.admin.update(made.id, types=["OrderShipped"])
    with pytest.raises(ValidationFailed):
        world.admin.update(made.id, settings={"format": "pdf"})
