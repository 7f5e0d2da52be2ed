"""Customer emails: which event sends which email, in which language, once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.customer import Profile
from commerce.domain.errors import DependencyFailed, ValidationFailed
from commerce.domain.money import Money
from commerce.domain.notifications import EmailKind, email_kind, email_locale
from commerce.domain.order import Order, OrderStatus
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.services.notifications import Notifications
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.customers import InMemoryCustomers
from tests.fakes.notifications import InMemoryMailer, InMemorySentEmails
from tests.fakes.orders import InMemoryOrders, InMemoryStock
from tests.unit.catalog_builders import product, variant

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def _order(
    country: str = "FR", currency: str = "EUR", total: int = 4990, customer: str | None = None
) -> Order:
    money = Money(total, currency)
    zero = Money(0, currency)
    return Order(
        id=str(uuid.uuid4()),
        status=OrderStatus.PAID,
        currency=currency,
        lines=(OrderLine("SKU-1", "Shoe", 1, money, money, zero),),
        totals=OrderTotals(money, zero, zero, zero, money),
        email="ada@example.com",
        shipping_address={"country": country},
        billing_address={"country": country},
        created_at=NOW,
        reservations=(),
        reservation_expires_at=NOW + timedelta(minutes=15),
        order_token_hash="x",
        customer_id=customer,
    )


class World:
    def __init__(self) -> None:
        self.orders = InMemoryOrders(InMemoryStock(), InMemoryCarts())
        self.customers = InMemoryCustomers()
        self.mailer = InMemoryMailer()
        self.sent = InMemorySentEmails()
        self.notifications = Notifications(self.orders, self.customers, self.mailer, self.sent, "en")

    def add(self, order: Order) -> Order:
        self.orders.orders[order.id] = order
        return order


def _event(kind: str, order: Order, **data: object) -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": kind,
        "version": 1,
        "occurred_at": NOW.isoformat(),
        "data": {"order_id": order.id, **data},
    }


@pytest.mark.parametrize(
    ("event_type", "data", "kind"),
    [
        ("OrderPaid", {}, EmailKind.ORDER_CONFIRMATION),
        ("OrderCancelled", {"reason": "payment_failed"}, EmailKind.PAYMENT_FAILED),
        ("OrderCancelled", {"reason": "cancelled_by_customer"}, EmailKind.CANCELLED),
        ("OrderShipped", {}, EmailKind.SHIPPED),
        ("OrderDelivered", {}, EmailKind.DELIVERED),
        ("RefundIssued", {}, EmailKind.REFUND_ISSUED),
        ("OrderPlaced", {}, None),
    ],
)
def test_each_event_sends_its_email_or_none(
    event_type: str, data: dict[str, str], kind: EmailKind | None
) -> None:
    assert email_kind(event_type, data) is kind


def test_the_profile_locale_wins_then_the_destination_country_then_the_default() -> None:
    assert email_locale("fr-CA", "US", "en") == "fr-CA"
    assert email_locale(None, "BE", "en") == "fr"
    assert email_locale(None, "US", "en") == "en"


def test_a_guest_shipping_to_france_gets_the_confirmation_in_french_with_french_amounts() -> None:
    world = World()
    order = world.add(_order("FR", "EUR", 123456))

    world.notifications.handle(_event("OrderPaid", order))

    (email,) = world.mailer.sent
    assert email.language == "fr"
    assert email.subject == f"Votre commande {order.id} est confirmée"
    assert Money(123456, "EUR").format("fr") in email.body


def test_a_customer_whose_profile_says_english_gets_english_even_when_shipping_to_france() -> None:
    world = World()
    world.customers.profiles["sub-1"] = Profile("sub-1", "ada@example.com", NOW, NOW, locale="en-GB")
    order = world.add(_order("FR", "JPY", 5000, customer="sub-1"))

    world.notifications.handle(
        _event(
            "OrderShipped",
            order,
            carrier="sim",
            tracking_number="SIM1",
            tracking_url="https://track.example/SIM1",
        )
    )

    (email,) = world.mailer.sent
    assert email.language == "en"
    assert "https://track.example/SIM1" in email.body and "SIM1" in email.body


def test_a_refund_email_names_the_amount_in_the_orders_currency() -> None:
    world = World()
    order = world.add(_order("US", "USD", 10000))

    world.notifications.handle(_event("RefundIssued", order, amount=2550, amount_refunded=2550))

    (email,) = world.mailer.sent
    assert "$25.50" in email.body


def test_the_same_event_handled_twice_sends_one_email() -> None:
    world = World()
    order = world.add(_order())
    event = _event("OrderPaid", order)

    world.notifications.handle(event)
    world.notifications.handle(event)

    assert len(world.mailer.sent) == 1


def test_a_failed_send_is_sent_on_the_retry() -> None:
    world = World()
    order = world.add(_order())
    event = _event("OrderPaid", order)
    world.mailer.fail_for.add(order.email)

    with pytest.raises(DependencyFailed):
        world.notifications.handle(event)
    world.mailer.fail_for.clear()
    world.notifications.handle(event)

    assert len(world.mailer.sent) == 1


def test_a_message_that_is_not_an_envelope_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        World().notifications.handle({"type": "OrderPaid"})


def test_an_event_for_an_order_that_is_gone_sends_nothing() -> None:
    world = World()
    assert world.notifications.handle(_event("OrderPaid", _order())) is None
    assert world.mailer.sent == []


# back in stock: the shopper who asked is told once, in their language, with the product's name
def _back_in_stock(**data: object) -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": "BackInStock",
        "data": {"sku": "TRAIL-M", "available": 3, "email": "ada@example.com", **data},
    }


def _with_catalog() -> World:
    world = World()
    catalog = InMemoryCatalog()
    catalog.save_product(product("TRAIL", variants=(variant("TRAIL-M"),)))
    world.notifications = Notifications(
        world.orders, world.customers, world.mailer, world.sent, "en", catalog
    )
    return world


def test_a_shopper_who_asked_in_french_is_told_in_french_with_the_products_name() -> None:
    world = _with_catalog()

    world.notifications.handle(_back_in_stock(locale="fr-FR"))

    (email,) = world.mailer.sent
    assert (email.to, email.kind, email.language) == ("ada@example.com", EmailKind.BACK_IN_STOCK, "fr")
    assert email.subject == "Chaussure de trail est de nouveau disponible"
    assert "(TRAIL-M)" in email.body


def test_a_back_in_stock_event_handled_twice_sends_one_email() -> None:
    world = _with_catalog()
    event = _back_in_stock()

    world.notifications.handle(event)
    world.notifications.handle(event)

    (email,) = world.mailer.sent
    assert email.subject == "Trail shoe is back in stock"


def test_a_signed_in_shoppers_profile_language_wins_and_an_unknown_sku_is_named_by_its_code() -> None:
    world = World()
    world.customers.save_profile(
        replace(Profile.new("cust-1", "ada@example.com", NOW), locale="fr-CA"), expected_version=None
    )

    world.notifications.handle(_back_in_stock(customer_id="cust-1", locale="en-GB"))

    (email,) = world.mailer.sent
    assert (email.language, email.subject) == ("fr", "TRAIL-M est de nouveau disponible")
