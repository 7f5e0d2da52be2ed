"""A carrier's update for an order that is cancelled (or being cancelled) or disputed: the shipment keeps
the carrier's truth, a cancelled order never moves and is flagged once, a disputed one remembers where its
parcels are for when the dispute closes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from commerce.domain.fulfillment import ShipmentStatus
from commerce.domain.order import Order, OrderStatus, StockState

from .test_fulfillment import World


def fulfilling(world: World) -> tuple[Order, str]:
    order, shipment = world.one_parcel()
    return order, shipment.tracking_number


def force_status(world: World, order_id: str, status: str, **changes: Any) -> Order:
    """The order put in a status by a path these tests do not exercise (a cancel that lost its race)."""
    current = world.shop.orders.get(order_id)
    assert current is not None
    moved = replace(current, status=OrderStatus(status), version=current.version + 1, **changes)
    world.shop.orders.save(moved, current.version)
    return moved


def current(world: World, order_id: str) -> Order:
    found = world.shop.orders.get(order_id)
    assert found is not None
    return found


def test_a_scan_and_a_delivery_of_a_cancelled_orders_parcel_flag_it_once_and_never_move_it() -> None:
    world = World()
    order, tracking = fulfilling(world)
    force_status(world, order.id, "cancelled")

    assert world.update(tracking, ShipmentStatus.IN_TRANSIT, 1) == "applied"
    assert world.update(tracking, ShipmentStatus.DELIVERED, 2) == "applied"

    after = current(world, order.id)
    assert after.status is OrderStatus.CANCELLED
    assert after.flags == ("fulfillment_conflict",)
    assert [e.detail for e in after.timeline if e.event == "flagged"] == [
        f"fulfillment_conflict: shipment {order.id}-1 in_transit while the order is cancelled",
        f"fulfillment_conflict: shipment {order.id}-1 delivered while the order is cancelled",
    ]
    assert world.shipments.shipments[f"{order.id}-1"].status is ShipmentStatus.DELIVERED
    types = world.shop.events.types()
    assert types.count("OrderFlagged") == 1 and types[-3:] == [
        "OrderShipped",
        "OrderFlagged",
        "OrderDelivered",
    ]
    flagged = next(e for e in world.shop.events.published if e.type == "OrderFlagged")
    assert flagged.data["flag"] == "fulfillment_conflict" and flagged.data["order_id"] == order.id


def test_a_replayed_scan_of_a_cancelled_orders_parcel_flags_nothing_more() -> None:
    world = World()
    order, tracking = fulfilling(world)
    force_status(world, order.id, "cancelled")

    world.update(tracking, ShipmentStatus.IN_TRANSIT, 1, "evt-scan")
    assert world.update(tracking, ShipmentStatus.IN_TRANSIT, 1, "evt-scan") == "duplicate"

    assert len([e for e in current(world, order.id).timeline if e.event == "flagged"]) == 1
    assert world.shop.events.types().count("OrderFlagged") == 1


def test_a_parcel_that_moves_while_the_order_is_disputed_is_where_the_dispute_closes_back_to() -> None:
    world = World()
    order, tracking = fulfilling(world)
    force_status(world, order.id, "disputed", status_before_dispute=OrderStatus.FULFILLING)

    world.update(tracking, ShipmentStatus.IN_TRANSIT, 1)

    after = current(world, order.id)
    assert after.status is OrderStatus.DISPUTED
    assert after.status_before_dispute is OrderStatus.SHIPPED
    assert after.flags == ()
    closed = after.dispute_closed(world.shop.clock(), won=True, detail="won")
    assert closed.status is OrderStatus.SHIPPED


def test_a_parcel_that_leaves_after_its_cancellation_put_the_units_back_takes_them_off_again() -> None:
    world = World()
    order, tracking = fulfilling(world)
    on_hand = world.shop.stock.on_hand[("RUN-40", "paris")]
    force_status(world, order.id, "cancelled", stock=StockState.RELEASED)
    world.shop.stock.on_hand[("RUN-40", "paris")] = on_hand + 1  # what the cancellation's restock did

    world.update(tracking, ShipmentStatus.IN_TRANSIT, 1)
    assert world.shop.stock.on_hand[("RUN-40", "paris")] == on_hand
    world.update(tracking, ShipmentStatus.DELIVERY_FAILED, 2)
    world.update(tracking, ShipmentStatus.IN_TRANSIT, 3)
    assert world.shop.stock.on_hand[("RUN-40", "paris")] == on_hand  # taken off once
    world.update(tracking, ShipmentStatus.RETURNED_TO_SENDER, 4)

    assert world.shop.stock.on_hand[("RUN-40", "paris")] == on_hand + 1
    adjustments = [m["quantity"] for m in world.shop.stock.movements if m["reason"] == "adjustment"]
    assert adjustments[-2:] == [-1, 1]


def test_a_scan_while_the_cancel_is_under_way_flags_the_order_and_leaves_it_to_the_cancel() -> None:
    world = World()
    order, tracking = fulfilling(world)
    force_status(world, order.id, "cancelling")
    on_hand = world.shop.stock.on_hand[("RUN-40", "paris")]

    world.update(tracking, ShipmentStatus.IN_TRANSIT, 1)

    after = current(world, order.id)
    assert after.status is OrderStatus.CANCELLING
    assert after.flags == ("fulfillment_conflict",)
    assert world.shop.stock.on_hand[("RUN-40", "paris")] == on_hand  # its units were never put back
