"""Where an order ships from, how a shipment follows its carrier's updates, and the order's status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import OutOfStock
from commerce.domain.fulfillment import (
    Pick,
    Shipment,
    ShipmentStatus,
    order_status,
    parse_location_countries,
    plan_shipments,
)
from commerce.domain.order import OrderStatus

COUNTRIES = {"wh-paris": "FR", "wh-berlin": "DE", "wh-newark": "US"}
T0 = datetime(2026, 11, 27, 12, tzinfo=UTC)


def test_one_location_holding_everything_ships_it_all_and_the_nearest_wins() -> None:
    available = {"A": {"wh-paris": 5, "wh-berlin": 5}, "B": {"wh-paris": 1, "wh-berlin": 9}}

    assert list(plan_shipments({"A": 1, "B": 1}, available, "DE", COUNTRIES)) == ["wh-berlin"]
    assert list(plan_shipments({"A": 1, "B": 1}, available, "FR", COUNTRIES)) == ["wh-paris"]
    assert list(plan_shipments({"A": 1, "B": 2}, available, "FR", COUNTRIES)) == ["wh-berlin"]


def test_a_location_in_the_same_region_is_nearer_than_one_across_the_ocean() -> None:
    available = {"A": {"wh-newark": 5, "wh-berlin": 5}}
    assert list(plan_shipments({"A": 1}, available, "FR", COUNTRIES)) == ["wh-berlin"]
    assert list(plan_shipments({"A": 1}, available, "US", COUNTRIES)) == ["wh-newark"]


def test_when_no_location_holds_everything_the_order_is_split_nearest_first() -> None:
    available = {"A": {"wh-paris": 2}, "B": {"wh-berlin": 1, "wh-newark": 3}}

    plan = plan_shipments({"A": 2, "B": 3}, available, "FR", COUNTRIES)

    assert plan == {
        "wh-paris": (Pick("A", "wh-paris", 2),),
        "wh-berlin": (Pick("B", "wh-berlin", 1),),
        "wh-newark": (Pick("B", "wh-newark", 2),),
    }


def test_a_line_no_location_can_cover_is_out_of_stock() -> None:
    with pytest.raises(OutOfStock):
        plan_shipments({"A": 3}, {"A": {"wh-paris": 1, "wh-berlin": 1}}, "FR", COUNTRIES)


def _shipment(status: ShipmentStatus = ShipmentStatus.LABEL_CREATED, at: datetime | None = None) -> Shipment:
    return Shipment("o-1", "o", "wh-paris", (), "simulated", "SIM1", "", status=status, last_event_at=at)


def test_updates_arriving_out_of_order_never_move_a_shipment_back() -> None:
    delivered = _shipment().updated(ShipmentStatus.DELIVERED, T0 + timedelta(hours=2))

    late_transit = delivered.updated(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=1))

    assert late_transit is delivered and delivered.status is ShipmentStatus.DELIVERED


def test_an_update_older_than_the_last_one_applied_is_ignored_even_if_the_move_is_allowed() -> None:
    failed = _shipment(ShipmentStatus.IN_TRANSIT, T0).updated(
        ShipmentStatus.DELIVERY_FAILED, T0 + timedelta(hours=3)
    )
    assert failed.updated(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=2)) is failed
    assert (
        failed.updated(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=4)).status is ShipmentStatus.IN_TRANSIT
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([ShipmentStatus.LABEL_CREATED, ShipmentStatus.LABEL_CREATED], OrderStatus.FULFILLING),
        ([ShipmentStatus.IN_TRANSIT, ShipmentStatus.LABEL_CREATED], OrderStatus.PARTIALLY_SHIPPED),
        ([ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED], OrderStatus.SHIPPED),
        ([ShipmentStatus.DELIVERY_FAILED], OrderStatus.SHIPPED),
        ([ShipmentStatus.DELIVERED, ShipmentStatus.DELIVERED], OrderStatus.DELIVERED),
    ],
)
def test_the_order_follows_its_shipments(statuses: list[ShipmentStatus], expected: OrderStatus) -> None:
    assert order_status([_shipment(s) for s in statuses]) is expected


def test_location_countries_are_read_from_the_template_parameter() -> None:
    assert parse_location_countries("wh-paris=fr, wh-berlin=DE,broken") == {
        "wh-paris": "FR",
        "wh-berlin": "DE",
    }
