"""The refund ledger, pending refunds and the restock of a cancelled order against moto built from
template.yaml, with a crash injected between the Stripe refund and the save."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.refunds import DynamoPendingRefunds, DynamoRefundLedger
from commerce.domain.errors import Conflict
from commerce.domain.lifecycle import Actor
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, PaymentOutcome, StockState
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.domain.ports import PaymentIntent
from commerce.domain.refunds import PendingRefund, RefundExceedsCaptured
from commerce.services.after_sales import AfterSales
from commerce.services.outbox import OutboxRelay
from tests.fakes.events import InMemoryEvents
from tests.fakes.payments import InMemoryPayments
from tests.fakes.shipping import InMemoryParcels

from .conftest import Stack, table_world
from .faults import DynamoFaults, writes_key_prefix
from .test_dynamodb_orders import NOW, ORDER_ADAPTERS, _cart

ADMIN = roles_from(DEFAULT_ROLES).authority({"admin"})


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    return table_world(**ORDER_ADAPTERS, ledger=DynamoRefundLedger)


def _paid_order(world: dict[str, Any], quantity: int = 2, total: int = 10000) -> tuple[Order, str]:
    sku = f"T-{uuid.uuid4().hex[:8].upper()}"
    world["stock"].receive(sku, "paris", 5, "test")
    cart = _cart(world, {sku: quantity})
    money = Money(total, "EUR")
    zero = Money(0, "EUR")
    order = Order(
        id=str(uuid.uuid4()),
        status=OrderStatus.PENDING_PAYMENT,
        currency="EUR",
        lines=(OrderLine(sku, sku, quantity, money, money, zero),),
        totals=OrderTotals(money, zero, zero, zero, money),
        email="ada@example.com",
        shipping_address={"country": "FR"},
        billing_address={"country": "FR"},
        created_at=NOW,
        reservations=(),
        reservation_expires_at=NOW + timedelta(minutes=20),
        order_token_hash="x",
        payment_intent_id=f"pi_{uuid.uuid4().hex[:12]}",
    )
    placed = world["orders"].place(order, cart)
    outcome = placed.with_payment_outcome(PaymentOutcome.SUCCEEDED, NOW)
    world["orders"].save(outcome, placed.version)
    world["orders"].sell(outcome.paid(NOW), outcome.version)
    current = world["orders"].get(order.id)
    assert current is not None and current.status is OrderStatus.PAID
    return current, sku


def _on_hand(world: dict[str, Any], sku: str) -> tuple[int, int]:
    item = world["client"].get_item(
        TableName=world["table"], Key={"PK": {"S": f"SKU#{sku}"}, "SK": {"S": "STOCK#paris"}}
    )["Item"]
    return int(item["on_hand"]["N"]), int(item["reserved"]["N"])


def _after_sales(
    world: dict[str, Any], order: Order, client: Any = None
) -> tuple[AfterSales, InMemoryPayments, InMemoryEvents]:
    payments, events = InMemoryPayments(), InMemoryEvents()
    assert order.payment_intent_id
    payments.intents[order.payment_intent_id] = PaymentIntent(
        order.payment_intent_id, "succeeded", order.totals.total.amount, "EUR"
    )
    client = client or world["client"]
    orders = DynamoOrders(client, world["table"], clock=lambda: NOW)
    service = AfterSales(
        orders,
        DynamoRefundLedger(client, world["table"]),
        DynamoPendingRefunds(client, world["table"], orders, clock=lambda: NOW),
        payments,
        OutboxRelay(DynamoOutbox(client, world["table"]), events, lambda: NOW),
        lambda: NOW,
    )
    return service, payments, events


def test_concurrent_refunds_never_add_up_to_more_than_was_captured(world: dict[str, Any]) -> None:
    order_id, captured = str(uuid.uuid4()), 10000
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def refund(n: int) -> None:
        start.wait()
        try:
            world["ledger"].reserve(order_id, f"r{n}", 3000, captured)
            outcomes.append("refunded")
        except RefundExceedsCaptured:
            outcomes.append("refused")

    threads = [threading.Thread(target=refund, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("refunded") == 3 and outcomes.count("refused") == 5
    assert world["ledger"].refunded(order_id) == 9000


def test_a_refund_id_reserved_twice_counts_once_and_money_left_outside_the_shop_is_recorded_once(
    world: dict[str, Any],
) -> None:
    order_id = str(uuid.uuid4())
    world["ledger"].reserve(order_id, "same", 4000, 10000)
    assert world["ledger"].reserve(order_id, "same", 4000, 10000) == 4000

    assert world["ledger"].record_outside(order_id, "outside-ch-9000", 5000, 4000) is True
    assert world["ledger"].record_outside(order_id, "outside-ch-9000", 5000, 9000) is False
    assert world["ledger"].refunded(order_id) == 9000
    with pytest.raises(RefundExceedsCaptured):
        world["ledger"].reserve(order_id, "more", 1001, 10000)


def test_money_recorded_against_a_sum_that_moved_meanwhile_is_refused_for_a_fresh_read(
    world: dict[str, Any],
) -> None:
    order_id = str(uuid.uuid4())
    world["ledger"].reserve(order_id, "goodwill-k", 1000, 10000)  # after the webhook read the sum

    with pytest.raises(Conflict):
        world["ledger"].record_outside(order_id, "outside-ch-3000", 3000, 0)

    assert world["ledger"].record_outside(order_id, "outside-ch-3000", 2000, 1000) is True
    assert world["ledger"].refunded(order_id) == 3000


def test_a_lost_dispute_counts_apart_as_taken_back_by_the_bank(world: dict[str, Any]) -> None:
    order_id = str(uuid.uuid4())

    world["ledger"].record_outside(order_id, "dispute-dp_1", 10000, 0, by_bank=True)

    assert (world["ledger"].refunded(order_id), world["ledger"].refunded_by_bank(order_id)) == (10000, 10000)
    assert world["ledger"].reserved(order_id, "dispute-dp_1") == 10000


def test_cancelling_a_paid_order_puts_its_sold_units_back_on_hand_with_an_adjustment_movement(
    world: dict[str, Any],
) -> None:
    order, sku = _paid_order(world, quantity=2)
    assert _on_hand(world, sku) == (3, 0)
    service, payments, events = _after_sales(world, order)

    cancelled = service.cancel(order)

    assert cancelled.status is OrderStatus.CANCELLED and cancelled.stock is StockState.RELEASED
    assert _on_hand(world, sku) == (5, 0)
    assert list(payments.refunds.values()) == [(order.payment_intent_id, 10000)]
    assert world["ledger"].refunded(order.id) == 10000
    assert events.types() == ["OrderCancelled", "RefundIssued"]
    reasons = [
        i["reason"]["S"]
        for i in world["client"].query(
            TableName=world["table"],
            KeyConditionExpression="PK = :pk AND begins_with(SK, :m)",
            ExpressionAttributeValues={":pk": {"S": f"SKU#{sku}"}, ":m": {"S": "MOVE#"}},
        )["Items"]
    ]
    assert sorted(reasons) == ["adjustment", "receipt", "reservation", "sale"]


def test_a_refused_provider_refund_gives_the_reservation_back(world: dict[str, Any]) -> None:
    order, _ = _paid_order(world)
    service, payments, _ = _after_sales(world, order)
    payments.intents[order.payment_intent_id or ""] = replace(
        payments.intents[order.payment_intent_id or ""], status="canceled"
    )

    with pytest.raises(Exception):  # noqa: B017 - whatever the provider raises
        service.goodwill_refund(order.id, 100, "k", "goodwill", "admin", authority=ADMIN)

    assert world["ledger"].refunded(order.id) == 0


def test_fulfilling_from_a_nearer_location_moves_the_sold_units_in_the_same_transaction(
    world: dict[str, Any],
) -> None:
    from commerce.adapters.carriers import SimulatedCarrier  # noqa: PLC0415
    from commerce.adapters.dynamodb.fulfillment import DynamoShipments  # noqa: PLC0415
    from commerce.services.fulfillment import Fulfillment  # noqa: PLC0415
    from tests.fakes.orders import InMemoryWorkflow  # noqa: PLC0415

    order, sku = _paid_order(world, quantity=2)  # sold at paris (5 received, 3 left)
    world["stock"].receive(sku, "berlin", 4, "test")
    shipments = DynamoShipments(world["client"], world["table"], world["orders"])
    fulfillment = Fulfillment(
        world["orders"],
        shipments,
        SimulatedCarrier(InMemoryParcels()),
        InMemoryEvents(),
        InMemoryWorkflow(),
        lambda: NOW,
        {"paris": "FR", "berlin": "DE"},
    )
    world["orders"].save(
        replace(order, shipping_address={"country": "DE"}, version=order.version + 1), order.version
    )

    (shipment,) = fulfillment.fulfill(order.id)

    assert shipment.location == "berlin"
    assert _on_hand(world, sku) == (5, 0)  # paris: its 2 units back
    berlin = world["client"].get_item(
        TableName=world["table"], Key={"PK": {"S": f"SKU#{sku}"}, "SK": {"S": "STOCK#berlin"}}
    )["Item"]
    assert int(berlin["on_hand"]["N"]) == 2
    stored = world["orders"].get(order.id)
    assert stored is not None and stored.status is OrderStatus.FULFILLING
    assert [(r.location, r.quantity) for r in stored.reservations] == [("berlin", 2)]


class Killed(Exception):
    """The function stopped (a timeout, a crash) right where it was."""


def _killed(_request: dict[str, Any]) -> Any:
    raise Killed("the function was stopped before its write")


def world_pending(world: dict[str, Any]) -> DynamoPendingRefunds:
    return DynamoPendingRefunds(world["client"], world["table"], world["orders"])


def _wire_faults(world: dict[str, Any]) -> tuple[Any, DynamoFaults]:
    client = boto3.client("dynamodb")
    return client, DynamoFaults(client)


def test_a_cancel_killed_between_the_stripe_refund_and_the_save_is_finished_by_the_sweeper_once(
    world: dict[str, Any],
) -> None:
    order, sku = _paid_order(world, quantity=2)
    client, faults = _wire_faults(world)
    service, payments, events = _after_sales(world, order, client)
    faults.fail("TransactWriteItems", _killed, when=writes_key_prefix("OUTBOX#"))

    with pytest.raises(Killed):
        service.cancel(order)

    stuck = world["orders"].get(order.id)
    assert stuck is not None and stuck.status is OrderStatus.CANCELLING and stuck.refunded == 0
    assert list(payments.refunds.values()) == [(order.payment_intent_id, 10000)]  # the money left
    assert _on_hand(world, sku) == (3, 0) and events.types() == []

    report = service.finish_pending(NOW + timedelta(minutes=5))

    assert report.cancelled == 1
    done = world["orders"].get(order.id)
    assert done is not None and done.status is OrderStatus.CANCELLED and done.refunded == 10000
    assert list(payments.refunds.values()) == [(order.payment_intent_id, 10000)]  # and only once
    assert world["ledger"].refunded(order.id) == 10000
    assert _on_hand(world, sku) == (5, 0)
    assert events.types() == ["OrderCancelled", "RefundIssued"]
    assert (
        DynamoPendingRefunds(client, world["table"], world["orders"]).get(order.id, f"cancel-{order.id}")
        is None
    )


def test_a_goodwill_refund_killed_after_stripe_is_recorded_once_by_the_sweeper(world: dict[str, Any]) -> None:
    order, _ = _paid_order(world)
    client, faults = _wire_faults(world)
    service, payments, events = _after_sales(world, order, client)
    faults.fail("TransactWriteItems", _killed, when=writes_key_prefix("OUTBOX#"))

    with pytest.raises(Killed):
        service.goodwill_refund(order.id, 2500, "late-parcel", "late", "admin", authority=ADMIN)
    assert world["ledger"].refunded(order.id) == 2500  # committed before the money moved
    assert world["orders"].get(order.id).refunded == 0  # type: ignore[union-attr]

    service.finish_pending(NOW + timedelta(minutes=5))  # finds it under GSI2 REFUNDS#pending
    assert world["orders"].get(order.id).refunded == 2500  # type: ignore[union-attr]
    again = service.goodwill_refund(
        order.id, 2500, "late-parcel", "late", "admin", authority=ADMIN
    )  # staff retry

    assert again.refunded == 2500 and world["orders"].get(order.id).refunded == 2500  # type: ignore[union-attr]
    assert len(payments.refunds) == 1 and events.types() == ["RefundIssued"]
    assert all(p.order_id != order.id for p in world_pending(world).pending(NOW + timedelta(days=1), 1000))


def test_a_cancel_that_loses_the_race_to_a_concurrent_change_reserves_nothing(world: dict[str, Any]) -> None:
    order, _ = _paid_order(world)
    pending = DynamoPendingRefunds(world["client"], world["table"], world["orders"])
    refund = PendingRefund(order.id, f"cancel-{order.id}", 10000, order.payment_intent_id or "", NOW)
    cancelling = order.cancelling(NOW, "cancelled_by_customer", Actor.BUYER)

    with pytest.raises(Conflict):
        pending.begin(refund, 10000, cancelling, order.version - 1)  # someone moved it first

    assert world["ledger"].refunded(order.id) == 0 and pending.get(order.id, refund.refund_id) is None
    assert all(p.order_id != order.id for p in pending.pending(NOW + timedelta(days=1), 1000))
