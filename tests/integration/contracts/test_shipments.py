"""The Shipments port: fulfilment starts once per order version, moving any reallocated units in the same
step; each carrier event is applied once, on the shipment version read; the workflow's tokens are kept."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from commerce.adapters.dynamodb.fulfillment import DynamoShipments
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.fulfillment import Pick, Shipment, ShipmentStatus
from commerce.domain.order import Order, OrderStatus
from commerce.domain.payment_events import DuplicateEvent
from commerce.domain.ports import CarrierEventWrite, Reallocation, ShipmentPlan
from tests.fakes.shipping import InMemoryShipments

from .conftest import NOW, Shop, paid, take_pending


@pytest.fixture
def shipments(shop: Shop) -> Any:
    return shop.build(
        lambda: InMemoryShipments(shop.orders, shop.stock),
        DynamoShipments,
        orders=shop.orders,
        clock=lambda: NOW,
    )


def fulfilling(order: Order) -> Order:
    return replace(order.noted(NOW, "fulfillment_started"), status=OrderStatus.FULFILLING)


def a_parcel(order: Order, sku: str, location: str = "paris") -> Shipment:
    units = sum(line.quantity for line in order.lines)
    return Shipment(
        f"{order.id}-1", order.id, location, (Pick(sku, location, units),), "sim", f"T{order.id[:12]}", "u"
    )


def started(shop: Shop, shipments: Any) -> tuple[Order, Shipment]:
    order, sku = paid(shop)
    parcel = a_parcel(order, sku)
    shipments.start(fulfilling(order), order.version, ShipmentPlan([parcel]))
    return fulfilling(order), parcel


def test_a_started_fulfilment_saves_the_order_and_finds_its_parcels(shop: Shop, shipments: Any) -> None:
    order, parcel = started(shop, shipments)

    assert shop.orders.get(order.id) == order
    assert shipments.for_order(order.id) == [parcel]
    assert shipments.find(parcel.carrier, parcel.tracking_number) == parcel
    assert shipments.find(parcel.carrier, "T-NOBODY") is None


def test_fulfilment_started_on_a_stale_order_is_a_conflict_and_writes_nothing(
    shop: Shop, shipments: Any
) -> None:
    order, sku = paid(shop)
    shop.orders.save(order.noted(NOW, "elsewhere"), order.version)

    with pytest.raises(Conflict):
        shipments.start(fulfilling(order), order.version, ShipmentPlan([a_parcel(order, sku)]))

    assert shipments.for_order(order.id) == []


def test_a_reallocation_moves_sold_units_from_their_origin_in_the_same_step(
    shop: Shop, shipments: Any
) -> None:
    order, sku = paid(shop, units=2)
    shop.stock.receive(sku, "lyon", 3, "contract")
    move = Reallocation(sku, "paris", "lyon", 2, 3)

    shipments.start(fulfilling(order), order.version, ShipmentPlan([a_parcel(order, sku, "lyon")], [move]))

    levels = shipments.stock_at_locations([sku])[sku]
    assert levels["paris"] == (6, 0) and levels["lyon"] == (1, 0)


def test_a_reallocation_from_stock_gone_meanwhile_is_a_conflict(shop: Shop, shipments: Any) -> None:
    order, sku = paid(shop, units=2)
    shop.stock.receive(sku, "lyon", 1, "contract")

    with pytest.raises(Conflict):
        plan = ShipmentPlan([a_parcel(order, sku, "lyon")], [Reallocation(sku, "paris", "lyon", 2, 2)])
        shipments.start(fulfilling(order), order.version, plan)

    assert shipments.stock_at_locations([sku])[sku] == {"paris": (4, 0), "lyon": (1, 0)}
    assert shop.orders.get(order.id) == order


def test_a_carrier_event_is_applied_once_with_its_events(shop: Shop, shipments: Any) -> None:
    order, parcel = started(shop, shipments)
    moving = parcel.updated(ShipmentStatus.IN_TRANSIT, NOW)
    event = DomainEvent(type="OrderShipped", occurred_at=NOW, data={"order_id": order.id})

    shipments.apply(
        CarrierEventWrite("evt-1-" + order.id, moving, parcel.version, None, 0, "shipped", [event])
    )
    with pytest.raises(DuplicateEvent):
        shipments.apply(
            CarrierEventWrite("evt-1-" + order.id, moving, parcel.version, None, 0, "shipped", [])
        )

    assert shipments.find(parcel.carrier, parcel.tracking_number) == moving
    assert take_pending(shop, [event]) == [event]


def test_a_carrier_event_on_a_stale_shipment_is_a_conflict(shop: Shop, shipments: Any) -> None:
    order, parcel = started(shop, shipments)
    in_transit = parcel.updated(ShipmentStatus.IN_TRANSIT, NOW)
    shipments.apply(CarrierEventWrite("evt-1-" + order.id, in_transit, parcel.version, None, 0, "s", []))

    with pytest.raises(Conflict):
        delivered = parcel.updated(ShipmentStatus.DELIVERED, NOW)
        shipments.apply(CarrierEventWrite("evt-2-" + order.id, delivered, parcel.version, None, 0, "d", []))


def test_an_event_that_changes_nothing_is_remembered_once(shipments: Any) -> None:
    key = f"evt-{uuid.uuid4().hex}"

    assert shipments.remember(key) is True
    assert shipments.remember(key) is False


def test_a_parked_token_is_kept_with_the_fulfilment_status(shop: Shop, shipments: Any) -> None:
    order, _ = started(shop, shipments)

    assert shipments.token(order.id, "shipped") is None
    assert shipments.park_token(order.id, "shipped", "tok-1") == OrderStatus.FULFILLING.value
    assert shipments.token(order.id, "shipped") == "tok-1"


def test_a_token_parked_for_an_order_never_fulfilled_is_a_conflict(shop: Shop, shipments: Any) -> None:
    order, _ = paid(shop)

    with pytest.raises(Conflict):
        shipments.park_token(order.id, "shipped", "tok-1")
