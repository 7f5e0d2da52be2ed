"""Fulfillment and carrier tracking with in-memory fakes: shipments, reallocation, updates once and in any
order, the order following its parcels, and the fulfillment workflow's milestones."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commerce.adapters.carriers import SimulatedCarrier
from commerce.domain.fulfillment import Shipment, ShipmentStatus
from commerce.domain.order import Order, OrderStatus
from commerce.services.fulfillment import CarrierEvents, Fulfillment, TrackingUpdate
from tests.fakes.shipping import InMemoryParcels, InMemoryShipments

from .catalog_builders import product, variant
from .checkout_world import Shop
from .test_order_workflow import paid_by_provider, place

COUNTRIES = {"paris": "FR", "berlin": "DE"}


class World:
    def __init__(self) -> None:
        self.shop = Shop()
        self.shop.catalog.save_product(product("BAG", variants=(variant("BAG-1", eur=4990),)))
        self.shipments = InMemoryShipments(self.shop.orders, self.shop.stock)
        self.fulfillment = Fulfillment(
            orders=self.shop.orders,
            shipments=self.shipments,
            carrier=SimulatedCarrier(InMemoryParcels()),
            events=self.shop.events,
            workflow=self.shop.workflow_engine,
            clock=self.shop.clock,
            location_countries=COUNTRIES,
        )
        self.tracking = CarrierEvents(
            self.shop.orders, self.shipments, self.shop.relay, self.shop.workflow_engine, self.shop.clock
        )
        self.sent = 0

    def paid(self, lines: dict[str, int]) -> Order:
        order = place(self.shop, lines)
        paid_by_provider(self.shop, order)
        assert self.shop.order_workflow.confirm(order.id)["status"] == "paid"
        found = self.shop.orders.get(order.id)
        assert found is not None
        return found

    def one_parcel(self) -> tuple[Order, Shipment]:
        """A paid order of the one RUN-40 in Paris, and the parcel it ships in."""
        self.shop.stock.receive("RUN-40", "paris", 1, "initial")
        order = self.paid({"RUN-40": 1})
        (shipment,) = self.fulfillment.fulfill(order.id)
        return order, shipment

    def update(
        self, tracking_number: str, status: ShipmentStatus, minutes: int, event_id: str | None = None
    ) -> str:
        self.sent += 1
        update = TrackingUpdate(
            event_id or f"evt-{self.sent}",
            tracking_number,
            status,
            self.shop.clock() + timedelta(minutes=minutes),
        )
        return self.tracking.handle("simulated", update)

    def status(self, order: Order) -> OrderStatus:
        found = self.shop.orders.get(order.id)
        assert found is not None
        return found.status


@pytest.fixture
def world() -> World:
    return World()


def test_a_paid_order_becomes_one_shipment_from_the_location_holding_it_and_starts_its_workflow(
    world: World,
) -> None:
    world.shop.stock.receive("RUN-40", "paris", 5, "initial")
    order = world.paid({"RUN-40": 2})

    (shipment,) = world.fulfillment.fulfill(order.id)

    assert shipment.location == "paris" and shipment.status is ShipmentStatus.LABEL_CREATED
    assert shipment.tracking_number.startswith("SIM")
    assert world.status(order) is OrderStatus.FULFILLING
    assert world.shop.workflow_engine.started[-1] == order.id
    assert world.fulfillment.fulfill(order.id) == [shipment]  # a repeat books nothing more


def test_lines_no_single_location_holds_ship_in_two_parcels(world: World) -> None:
    world.shop.stock.receive("RUN-40", "paris", 1, "initial")
    world.shop.stock.receive("BAG-1", "berlin", 1, "initial")
    order = world.paid({"RUN-40": 1, "BAG-1": 1})

    shipments = world.fulfillment.fulfill(order.id)

    assert sorted((s.location, s.lines[0].sku) for s in shipments) == [
        ("berlin", "BAG-1"),
        ("paris", "RUN-40"),
    ]


def test_units_sold_far_away_ship_from_the_nearest_location_and_the_stock_follows(world: World) -> None:
    world.shop.stock.receive("RUN-40", "berlin", 2, "initial")
    order = world.paid({"RUN-40": 2})  # checkout could only take them in Berlin
    world.shop.stock.receive("RUN-40", "paris", 5, "restock")

    (shipment,) = world.fulfillment.fulfill(order.id)  # the buyer is in Paris

    assert shipment.location == "paris"
    assert world.shop.stock.on_hand[("RUN-40", "berlin")] == 2  # given back
    assert world.shop.stock.on_hand[("RUN-40", "paris")] == 3
    current = world.shop.orders.get(order.id)
    assert current is not None and [(r.location, r.quantity) for r in current.reservations] == [("paris", 2)]


def test_a_cancelled_order_is_not_fulfilled(world: World) -> None:
    world.shop.stock.receive("RUN-40", "paris", 5, "initial")
    order = place(world.shop, {"RUN-40": 1})
    world.shop.order_workflow.compensate(order.id, "payment_failed")

    assert world.fulfillment.fulfill(order.id) == []


def test_the_order_follows_its_parcels_and_each_milestone_wakes_the_workflow(world: World) -> None:
    world.shop.stock.receive("RUN-40", "paris", 1, "initial")
    world.shop.stock.receive("BAG-1", "berlin", 1, "initial")
    order = world.paid({"RUN-40": 1, "BAG-1": 1})
    first, second = world.fulfillment.fulfill(order.id)
    world.fulfillment.await_milestone(order.id, "shipped", "token-shipped")

    world.update(first.tracking_number, ShipmentStatus.IN_TRANSIT, 1)
    assert world.status(order) is OrderStatus.PARTIALLY_SHIPPED
    assert "token-shipped" not in world.shop.workflow_engine.answers
    world.update(second.tracking_number, ShipmentStatus.IN_TRANSIT, 2)
    assert world.status(order) is OrderStatus.SHIPPED
    assert world.shop.workflow_engine.answers["token-shipped"][0] == "success"

    world.update(first.tracking_number, ShipmentStatus.DELIVERED, 3)
    world.update(second.tracking_number, ShipmentStatus.DELIVERED, 4)
    world.fulfillment.await_milestone(order.id, "delivered", "token-delivered")  # the webhooks came first
    assert world.status(order) is OrderStatus.DELIVERED
    assert world.shop.workflow_engine.answers["token-delivered"][0] == "success"
    assert world.shop.events.types().count("OrderShipped") == 2
    assert world.shop.events.types().count("OrderDelivered") == 2


def test_a_replayed_update_is_applied_once_and_a_late_one_changes_nothing(world: World) -> None:
    order, shipment = world.one_parcel()

    assert world.update(shipment.tracking_number, ShipmentStatus.DELIVERED, 10, "evt-d") == "applied"
    assert world.update(shipment.tracking_number, ShipmentStatus.DELIVERED, 10, "evt-d") == "duplicate"
    assert world.update(shipment.tracking_number, ShipmentStatus.IN_TRANSIT, 5) == "no_change"

    assert world.status(order) is OrderStatus.DELIVERED
    assert world.shop.events.types().count("OrderDelivered") == 1


def test_an_update_whose_publish_failed_is_published_by_the_sweeper_and_its_replay_publishes_nothing(
    world: World,
) -> None:
    order, shipment = world.one_parcel()
    world.shop.events.fail_next = RuntimeError("bus down")

    assert world.update(shipment.tracking_number, ShipmentStatus.DELIVERED, 10, "evt-d") == "applied"
    (waiting,) = (e for e in world.shop.orders.outbox.entries.values() if e.type == "OrderDelivered")
    assert world.update(shipment.tracking_number, ShipmentStatus.DELIVERED, 10, "evt-d") == "duplicate"
    assert "OrderDelivered" not in world.shop.events.types()
    world.shop.clock.advance(timedelta(hours=1))
    world.shop.relay.sweep()

    delivered = [e.event_id for e in world.shop.events.published if e.type == "OrderDelivered"]
    assert delivered == [waiting.event_id]
    assert world.status(order) is OrderStatus.DELIVERED
    assert waiting.event_id not in world.shop.orders.outbox.entries


def test_a_parcel_returned_to_the_sender_fails_the_delivery_wait(world: World) -> None:
    order, shipment = world.one_parcel()
    world.update(shipment.tracking_number, ShipmentStatus.IN_TRANSIT, 1)
    world.fulfillment.await_milestone(order.id, "delivered", "token-delivered")

    world.update(shipment.tracking_number, ShipmentStatus.RETURNED_TO_SENDER, 2)

    assert world.shop.workflow_engine.answers["token-delivered"] == ("failure", "ReturnedToSender")


def test_an_unknown_tracking_number_changes_nothing(world: World) -> None:
    assert world.update("SIM-NOPE", ShipmentStatus.DELIVERED, 1) == "unknown_shipment"
