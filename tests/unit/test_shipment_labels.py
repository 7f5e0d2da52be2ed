"""Shipment labels with in-memory fakes: requested from the carrier on first read and kept, asked
again on demand in place of the old one, refused for a shipment that does not exist."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from commerce.domain.carrier_rates import LabelFormat, simulated_label
from commerce.domain.errors import NotFound
from commerce.services.shipment_labels import ShipmentLabels
from tests.fakes.shipping import InMemoryLabelStore, ScriptedCarrier

from .test_fulfillment import World


@pytest.fixture
def world() -> World:
    return World()


def booked(world: World) -> tuple[ShipmentLabels, ScriptedCarrier, InMemoryLabelStore, str, str]:
    world.shop.stock.receive("RUN-40", "paris", 5, "initial")
    order = world.paid({"RUN-40": 1})
    (shipment,) = world.fulfillment.fulfill(order.id)
    carrier, store = ScriptedCarrier(), InMemoryLabelStore()
    labels = ShipmentLabels(world.shop.orders, world.shipments, carrier, store, world.shop.clock)
    return labels, carrier, store, shipment.id, shipment.tracking_number


def test_the_first_read_asks_the_carrier_once_and_later_reads_get_the_stored_label(world: World) -> None:
    labels, carrier, store, shipment_id, tracking = booked(world)

    label, stored_at = labels.get(shipment_id)
    again, stored_again = labels.get(shipment_id)

    assert carrier.label_requests == [shipment_id]
    assert (label.shipment_id, label.tracking_number, label.format) == (
        shipment_id,
        tracking,
        LabelFormat.PDF,
    )
    assert label.content.startswith(b"%PDF-") and tracking.encode() in label.content
    assert (again, stored_again) == (label, stored_at) == store.labels[shipment_id]


def test_asking_again_replaces_the_stored_label_with_the_carriers_same_document(world: World) -> None:
    labels, carrier, store, shipment_id, _ = booked(world)
    first, first_at = labels.get(shipment_id)
    world.shop.clock.now += timedelta(minutes=5)

    second, second_at = labels.request(shipment_id)

    assert carrier.label_requests == [shipment_id, shipment_id]
    assert second.content == first.content  # deterministic per shipment: idempotent
    assert second_at > first_at and store.labels == {shipment_id: (second, second_at)}


def test_an_unknown_or_malformed_shipment_has_no_label(world: World) -> None:
    labels, carrier, _, shipment_id, _ = booked(world)
    order_id = shipment_id.rsplit("-", 1)[0]
    for unknown in (f"{order_id}-9", "no-such-order-1", "nonsense", f"{order_id}-x"):
        with pytest.raises(NotFound):
            labels.get(unknown)
    assert carrier.label_requests == []


def test_the_simulated_label_is_a_well_formed_pdf_the_same_for_the_same_shipment() -> None:
    content = simulated_label("o-1-1", "SIM0123", "wh-paris", "FR")

    assert content == simulated_label("o-1-1", "SIM0123", "wh-paris", "FR")
    assert content != simulated_label("o-1-2", "SIM0456", "wh-paris", "FR")
    assert content.startswith(b"%PDF-1.4\n") and content.endswith(b"%%EOF\n")
    # Every cross-reference entry points at its object, and startxref at the table: a reader can open it.
    startxref = re.search(rb"startxref\n(\d+)\n", content)
    assert startxref is not None and content[int(startxref[1]) :].startswith(b"xref\n")
    offsets = [int(m[1]) for m in re.finditer(rb"(\d{10}) 00000 n ", content)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(f"{number} 0 obj\n".encode())
    stream = re.search(rb"/Length (\d+) >>\nstream\n(.*?)\nendstream", content, re.S)
    assert stream is not None and int(stream[1]) == len(stream[2])
    assert b"(SIMULATED CARRIER - SIM0123) Tj" in content


def test_at_booking_each_new_parcels_label_is_stored_once(world: World) -> None:
    labels, carrier, store, shipment_id, _ = booked(world)
    order_id = shipment_id.rsplit("-", 1)[0]
    shipments = world.shipments.for_order(order_id)

    assert labels.prepare(order_id, shipments) == 1
    assert labels.prepare(order_id, shipments) == 1  # a redelivered message asks nothing more
    assert carrier.label_requests == [shipment_id] and set(store.labels) == {shipment_id}
    assert labels.prepare(order_id, []) == 0


def test_a_label_the_carrier_cannot_issue_at_booking_never_fails_the_booking(world: World) -> None:
    labels, carrier, store, shipment_id, _ = booked(world)
    carrier.labels_down = True
    order_id = shipment_id.rsplit("-", 1)[0]

    assert labels.prepare(order_id, world.shipments.for_order(order_id)) == 0
    assert store.labels == {}
    carrier.labels_down = False
    assert labels.get(shipment_id)[0].shipment_id == shipment_id  # staff get it on demand later
