"""The restock job and purchase orders, on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import InvalidState, ValidationFailed
from commerce.domain.inventory import Movement, Reason, ReorderPolicy
from commerce.domain.inventory_ports import Change
from commerce.services.inventory import Inventory
from commerce.services.outbox import OutboxRelay
from commerce.services.restock import Restock
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


@pytest.fixture
def world():
    store, events = InMemoryInventory(), InMemoryEvents()
    inventory = Inventory(store, events, lambda: NOW, relay=OutboxRelay(store.outbox, events, lambda: NOW))
    inventory.save_location("north", "North", "warehouse", {})
    for sku, supplier in (("A", "acme"), ("B", "acme"), ("C", "globex"), ("D", "globex")):
        inventory.receive(sku, "north", 10)
        inventory.set_reorder_policy(ReorderPolicy(sku, 5, 40, supplier, 7, "north"))
    return (
        inventory,
        store,
        events,
        Restock(store, inventory, OutboxRelay(store.outbox, events, lambda: NOW), lambda: NOW),
    )


def test_the_job_drafts_one_purchase_order_per_supplier_for_the_skus_at_their_point(world):
    inventory, _, events, restock = world
    for sku in ("A", "B", "C"):
        inventory.adjust(sku, "north", -5, "recount")
    report = restock.run()
    orders = [restock.purchase_order(po) for po in report.drafted]
    assert sorted((o.supplier, tuple(line.sku for line in o.lines)) for o in orders) == [
        ("acme", ("A", "B")),
        ("globex", ("C",)),
    ]
    assert all(line.quantity == 40 for o in orders for line in o.lines)
    assert events.types().count("PurchaseOrderCreated") == 2


def test_running_the_job_twice_drafts_nothing_more(world):
    inventory, _, _, restock = world
    inventory.adjust("A", "north", -6, "recount")
    assert len(restock.run().drafted) == 1
    assert restock.run().drafted == ()


def test_the_quantity_covers_the_lead_time_at_the_sales_velocity_when_that_is_more(world):
    inventory, store, _, restock = world
    # 280 units sold over the last four weeks: 10 a day, 7 days of lead time, plus the point of 5.
    store.apply(Change(movements=[Movement("A", "north", Reason.RECEIPT, 280, NOW - timedelta(days=20))]))
    for day in range(28):
        at = NOW - timedelta(days=day)
        store.apply(Change(movements=[Movement("A", "north", Reason.RESERVATION, 10, at, f"o{day}")]))
        store.apply(Change(movements=[Movement("A", "north", Reason.SALE, 10, at, f"o{day}")]))
    inventory.adjust("A", "north", -5, "recount")
    (po,) = restock.run().drafted
    assert restock.purchase_order(po).lines[0].quantity == 10 * 7 + 5


def test_a_purchase_order_is_sent_then_received_in_parts_into_stock(world):
    inventory, _, events, restock = world
    inventory.adjust("A", "north", -6, "recount")
    (po,) = restock.run().drafted
    with pytest.raises(InvalidState):
        restock.receive(po, {"A": 1})
    restock.send(po)
    assert restock.receive(po, {"A": 15}).status == "partially_received"
    with pytest.raises(ValidationFailed):
        restock.receive(po, {"A": 26})
    assert restock.receive(po, {"A": 25}).status == "received"
    assert inventory.stock("A").on_hand == 4 + 40
    assert inventory.explained("A") == {"north": True}
    assert [m.reference for m in inventory.stock("A").movements[:2]] == [po, po]
    assert restock.open_purchase_orders() == []
    assert "PurchaseOrderSent" in events.types() and "StockReceived" in events.types()


def test_a_restocked_sku_is_not_drafted_again(world):
    inventory, _, _, restock = world
    inventory.adjust("A", "north", -6, "recount")
    (po,) = restock.run().drafted
    restock.send(po)
    restock.receive(po, {"A": 40})
    assert restock.run().drafted == ()


def test_a_purchase_order_event_whose_publish_fails_stays_in_the_outbox_for_the_sweeper(world):
    inventory, store, events, restock = world
    inventory.adjust("A", "north", -5, "recount")
    events.fail_next = RuntimeError("the bus is down")
    report = restock.run()

    assert len(report.drafted) == 1
    left = store.outbox.pending(NOW + timedelta(minutes=5), 10)
    assert [e.type for e in left] == ["PurchaseOrderCreated"]
    relay = OutboxRelay(store.outbox, events, lambda: NOW + timedelta(minutes=5))
    assert relay.sweep() == 1
    assert [e.event_id for e in events.published if e.type == "PurchaseOrderCreated"] == [left[0].event_id]
