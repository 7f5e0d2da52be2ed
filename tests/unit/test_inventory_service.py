"""Staff inventory use cases on the in-memory store: receipts, adjustments, transfers, reorder flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from commerce.domain.errors import InvalidState, NotFound, OutOfStock
from commerce.domain.inventory import Movement, Reason, ReorderPolicy
from commerce.domain.inventory_ports import Change
from commerce.services.inventory import REORDER_INDEX, Inventory
from commerce.services.outbox import OutboxRelay
from commerce.services.stock_watch import WatchedLedger
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


@pytest.fixture
def world() -> tuple[Inventory, InMemoryInventory, InMemoryEvents]:
    store, events = InMemoryInventory(), InMemoryEvents()
    inventory = Inventory(store, events, lambda: NOW, relay=OutboxRelay(store.outbox, events, lambda: NOW))
    inventory.save_location("north", "North warehouse", "warehouse", {"country": "DE"})
    inventory.save_location("store-1", "Berlin store", "store", {"country": "DE"})
    return inventory, store, events


def test_a_receipt_and_a_negative_adjustment_are_both_in_the_ledger_with_their_note(world):
    inventory, _, _ = world
    inventory.receive("S", "north", 10, "delivery 42")
    inventory.adjust("S", "north", -2, "damaged", "dropped pallet")
    view = inventory.stock("S")
    assert view.on_hand == 8
    assert [(m.reason, m.quantity, m.note) for m in view.movements] == [
        ("adjustment", -2, "damaged: dropped pallet"),
        ("receipt", 10, "delivery 42"),
    ]
    assert inventory.explained("S") == {"north": True}


def test_an_adjustment_below_what_is_available_is_refused(world):
    inventory, _, _ = world
    inventory.receive("S", "north", 1)
    with pytest.raises(OutOfStock):
        inventory.adjust("S", "north", -2, "lost")


def test_stock_at_an_unknown_location_is_not_found(world):
    with pytest.raises(NotFound):
        world[0].receive("S", "atlantis", 1)


def test_transferred_units_are_in_transit_until_the_destination_receives_them(world):
    inventory, _, _ = world
    inventory.receive("S", "north", 5)
    transfer = inventory.send_transfer("S", "north", "store-1", 3)
    assert inventory.stock("S").on_hand == 2
    received = inventory.receive_transfer(transfer.id)
    assert received.status == "received"
    levels = {lv.location: lv.on_hand for lv in inventory.stock("S").levels}
    assert levels == {"north": 2, "store-1": 3}
    with pytest.raises(InvalidState):
        inventory.receive_transfer(transfer.id)


def test_a_sku_enters_the_reorder_index_when_it_falls_to_its_point_and_leaves_when_restocked(world):
    inventory, store, events = world
    inventory.receive("S", "north", 10)
    inventory.set_reorder_policy(ReorderPolicy("S", 4, 20, "acme", 7, "north"))
    assert store.indexed(REORDER_INDEX) == []
    inventory.adjust("S", "north", -6, "recount")
    assert [r.id for r in store.indexed(REORDER_INDEX)] == ["S"]
    assert "StockLow" in events.types()
    inventory.receive("S", "north", 10)
    assert store.indexed(REORDER_INDEX) == []


def test_each_back_in_stock_subscriber_is_told_once(world):
    inventory, _, events = world
    inventory.subscribe("S", "Ada@example.com", None)
    inventory.subscribe("S", "bob@example.com", "cust-1")
    inventory.receive("S", "north", 1)
    inventory.adjust("S", "north", -1, "recount")
    inventory.receive("S", "north", 1)
    told = [e.data["email"] for e in events.published if e.type == "BackInStock"]
    assert sorted(told) == ["ada@example.com", "bob@example.com"]


def test_a_back_in_stock_notice_whose_publish_failed_is_sent_once_by_the_sweeper(world):
    inventory, store, events = world
    inventory.subscribe("S", "ada@example.com", None)
    events.fail_next = RuntimeError("bus down")

    inventory.receive("S", "north", 1)  # the notice is written with the subscriber's flag and waits
    inventory.adjust("S", "north", -1, "recount")
    inventory.receive("S", "north", 1)  # the subscriber was marked notified: no second notice
    assert [e.type for e in store.outbox.entries.values()] == ["BackInStock"]
    later = OutboxRelay(store.outbox, events, lambda: NOW + timedelta(minutes=5))

    assert later.sweep() == 1
    assert [e.data["email"] for e in events.published if e.type == "BackInStock"] == ["ada@example.com"]
    assert store.outbox.entries == {}


def test_a_stock_low_is_written_with_the_reorder_flag_it_sets(world):
    inventory, store, events = world
    inventory.receive("S", "north", 10)
    inventory.set_reorder_policy(ReorderPolicy("S", 4, 20, "acme", 7, "north"))
    events.fail_next = RuntimeError("bus down")

    inventory.adjust("S", "north", -6, "recount")

    assert [r.id for r in store.indexed(REORDER_INDEX)] == ["S"]
    (waiting,) = store.outbox.entries.values()
    assert (waiting.type, waiting.data["available"]) == ("StockLow", 4)


def test_every_change_announces_the_available_units(world):
    inventory, _, events = world
    inventory.receive("S", "north", 3)
    changed = [e.data for e in events.published if e.type == "StockChanged"]
    assert changed == [{"sku": "S", "available": 3, "channels": {"web": 3}}]


def test_a_sale_through_the_order_workflows_ledger_flags_the_sku_for_restocking(world):
    inventory, store, events = world
    inventory.receive("S", "north", 6)
    inventory.set_reorder_policy(ReorderPolicy("S", 4, 20, "acme", 7, "north"))

    class SellingLedger:
        def sell(self, order, expected_version):
            store.apply(Change(movements=[Movement("S", "north", Reason.SALE, 2, NOW, "o1")]))

        def release(self, order, expected_version, reason):
            raise AssertionError("not called")

    store.apply(Change(movements=[Movement("S", "north", Reason.RESERVATION, 2, NOW, "o1")]))
    order = SimpleNamespace(id="o1", reservations=(SimpleNamespace(sku="S", location="north", quantity=2),))
    WatchedLedger(SellingLedger(), store, inventory).sell(order, 1)
    assert [r.id for r in store.indexed(REORDER_INDEX)] == ["S"]
    assert "StockLow" in events.types()
