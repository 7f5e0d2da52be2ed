"""One order whole, for staff, with in-memory fakes: its refunds (goodwill, cancel), its shipments and its
returns, each read by the order's id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commerce.domain.carrier_rates import CarrierLabel, LabelFormat
from commerce.domain.errors import NotFound
from commerce.domain.lifecycle import Actor
from commerce.domain.returns import Return, ReturnLine
from commerce.services.order_view import OrderView
from tests.fakes.returns import InMemoryReturns
from tests.fakes.shipping import InMemoryLabelStore

from .test_after_sales import ADMIN, World


@pytest.fixture
def world() -> World:
    return World()


def _view(
    world: World, returns: InMemoryReturns | None = None, labels: InMemoryLabelStore | None = None
) -> OrderView:
    return OrderView(
        world.shop.orders,
        world.ledger,
        world.shipments,
        returns or InMemoryReturns(),
        labels or InMemoryLabelStore(),
    )


def test_an_order_cancelled_while_fulfilling_shows_its_shipment_and_its_refunds_oldest_first(
    world: World,
) -> None:
    order, tracking_number = world.fulfilling()
    world.after_sales.goodwill_refund(order.id, 500, "key-1", "late", "staff-7", authority=ADMIN)
    world.shop.clock.advance(timedelta(minutes=1))
    world.after_sales.cancel(order, Actor.STAFF, "staff-7: the buyer phoned")

    dossier = _view(world).dossier(order.id)

    assert dossier.order.status.value == "cancelled"
    assert [(r.id, r.amount, r.status) for r in dossier.refunds] == [
        ("goodwill-key-1", 500, "refunded"),
        (f"cancel-{order.id}", order.totals.total.amount - 500, "refunded"),
    ]
    (shipment,) = dossier.shipments
    assert shipment.tracking_number == tracking_number
    assert [(p.sku, p.quantity) for p in shipment.lines] == [("RUN-40", 2)]


def test_an_order_s_returns_come_newest_first(world: World) -> None:
    order = world.paid()
    returns = InMemoryReturns()
    now = world.shop.clock()
    older = Return("ret-1", order.id, (ReturnLine("RUN-40", 1, 1000),), "too big", now)
    newer = Return("ret-2", order.id, (ReturnLine("RUN-40", 1, 1000),), "colour", now + timedelta(hours=1))
    returns.add(older, {}, [])
    returns.add(newer, {"RUN-40": 1}, [])

    dossier = _view(world, returns).dossier(order.id)

    assert [r.id for r in dossier.returns] == ["ret-2", "ret-1"]
    assert dossier.refunds == () and dossier.shipments == ()


def test_a_shipment_s_label_shows_as_available_once_it_is_kept(world: World) -> None:
    order, tracking_number = world.fulfilling()
    (shipment,) = world.shipments.for_order(order.id)
    labels = InMemoryLabelStore()
    before = _view(world, labels=labels).dossier(order.id)
    label = CarrierLabel(shipment.id, "simulated", tracking_number, LabelFormat.PDF, b"%PDF")
    labels.put(label, world.shop.clock())

    after = _view(world, labels=labels).dossier(order.id)

    assert before.labelled == frozenset() and after.labelled == {shipment.id}


def test_an_unknown_order_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        _view(world).dossier("no-such-order")
