"""The InventoryStore: movements change the levels and join the ledger together with the records and events
of the same change, or nothing lands; records are written only at the version their writer read."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.domain.errors import Conflict, OutOfStock
from commerce.domain.events import DomainEvent
from commerce.domain.inventory import Location, LocationKind, Movement, Reason, StockLevel
from commerce.domain.inventory_ports import ANY_VERSION, Change, Record, Write
from tests.fakes.inventory import InMemoryInventory

from .conftest import NOW, Shop, take_pending


@pytest.fixture
def inventory(shop: Shop) -> Any:
    def fake() -> InMemoryInventory:
        store = InMemoryInventory()
        store.outbox = shop.outbox  # events land where the shop's outbox relay reads them, as on the table
        return store

    return shop.build(fake, DynamoInventory)


def a_fresh_sku() -> str:
    return f"I-{uuid.uuid4().hex[:8].upper()}"


def received(sku: str, location: str, units: int, minutes: int = 0) -> Movement:
    return Movement(sku, location, Reason.RECEIPT, units, NOW + timedelta(minutes=minutes), "po-1")


def a_transfer(sku: str, version: int = 1) -> Record:
    return Record(kind="transfer", id=uuid.uuid4().hex, data={"sku": sku}, version=version)


def test_movements_change_the_levels_of_their_locations(inventory: Any) -> None:
    sku = a_fresh_sku()

    inventory.apply(Change(movements=[received(sku, "paris", 5), received(sku, "berlin", 2)]))
    inventory.apply(Change(movements=[Movement(sku, "paris", Reason.RESERVATION, 3, NOW, "o-1")]))

    assert inventory.levels(sku) == [StockLevel(sku, "berlin", 2, 0), StockLevel(sku, "paris", 5, 3)]


def test_the_ledger_lists_a_skus_movements_newest_first(inventory: Any) -> None:
    sku = a_fresh_sku()
    for minutes in (0, 1, 2):
        inventory.apply(Change(movements=[received(sku, "paris", minutes + 1, minutes)]))

    assert [m.quantity for m in inventory.movements(sku)] == [3, 2, 1]
    assert [m.quantity for m in inventory.movements(sku, limit=2)] == [3, 2]
    assert inventory.movements(sku)[0] == received(sku, "paris", 3, 2)


def test_the_ledger_since_a_time_leaves_out_older_movements(inventory: Any) -> None:
    sku = a_fresh_sku()
    for minutes in (0, 10, 20):
        inventory.apply(Change(movements=[received(sku, "paris", 1, minutes)]))

    since = inventory.movements_since(sku, NOW + timedelta(minutes=5), shards=1, limit=10)

    assert [m.at for m in since] == [NOW + timedelta(minutes=20), NOW + timedelta(minutes=10)]


def test_a_movement_past_what_is_available_is_out_of_stock_and_nothing_of_its_change_lands(
    inventory: Any, shop: Shop
) -> None:
    sku = a_fresh_sku()
    inventory.apply(Change(movements=[received(sku, "paris", 2)]))
    transfer = a_transfer(sku)
    event = DomainEvent(type="StockReserved", occurred_at=NOW, data={"sku": sku})

    with pytest.raises(OutOfStock):
        inventory.apply(
            Change(
                movements=[
                    received(sku, "berlin", 4),
                    Movement(sku, "paris", Reason.RESERVATION, 3, NOW, "o-1"),
                ],
                writes=[Write(transfer, None)],
                events=[event],
            )
        )

    assert inventory.levels(sku) == [StockLevel(sku, "paris", 2, 0)]
    assert len(inventory.movements(sku)) == 1
    assert inventory.get("transfer", transfer.id) is None
    assert take_pending(shop, [event]) == []


def test_a_changes_events_land_in_the_outbox_with_it(inventory: Any, shop: Shop) -> None:
    sku = a_fresh_sku()
    event = DomainEvent(type="StockReceived", occurred_at=NOW, data={"sku": sku})

    inventory.apply(Change(movements=[received(sku, "paris", 1)], events=[event]))

    assert [e.event_id for e in take_pending(shop, [event])] == [event.event_id]


def test_a_record_written_twice_as_new_is_a_conflict_and_its_movements_do_not_land(inventory: Any) -> None:
    sku = a_fresh_sku()
    transfer = a_transfer(sku)
    inventory.apply(Change(movements=[received(sku, "paris", 1)], writes=[Write(transfer, None)]))

    with pytest.raises(Conflict):
        inventory.apply(Change(movements=[received(sku, "paris", 1)], writes=[Write(transfer, None)]))

    assert inventory.levels(sku) == [StockLevel(sku, "paris", 1, 0)]
    assert inventory.get("transfer", transfer.id) == transfer


def test_a_record_is_replaced_only_at_the_version_its_writer_read(inventory: Any) -> None:
    transfer = a_transfer(a_fresh_sku())
    inventory.apply(Change(writes=[Write(transfer, None)]))
    received_once = Record(transfer.kind, transfer.id, {"status": "received"}, version=2)

    with pytest.raises(Conflict):
        inventory.apply(Change(writes=[Write(received_once, 7)]))
    inventory.apply(Change(writes=[Write(received_once, 1)]))

    assert inventory.get("transfer", transfer.id) == received_once


def test_a_record_written_at_any_version_replaces_whatever_is_there(inventory: Any) -> None:
    transfer = a_transfer(a_fresh_sku(), version=4)

    inventory.apply(Change(writes=[Write(transfer, ANY_VERSION)]))
    inventory.apply(Change(writes=[Write(transfer, ANY_VERSION)]))

    assert inventory.get("transfer", transfer.id) == transfer


def test_records_filed_under_a_parent_are_its_children_by_id(inventory: Any) -> None:
    sku = a_fresh_sku()
    parent = ("sku", sku)
    b, a = (Record("subscriber", name, {"email": f"{name}@example.com"}, parent=parent) for name in "ba")
    elsewhere = Record("subscriber", "c", {}, parent=("sku", a_fresh_sku()))

    inventory.apply(Change(writes=[Write(b, None), Write(a, None), Write(elsewhere, None)]))

    assert inventory.children(parent, "subscriber") == [a, b]
    assert inventory.get("subscriber", "a", parent) == a
    assert inventory.get("subscriber", "a") is None


def test_the_sparse_index_lists_only_indexed_records_by_their_sort_up_to_the_limit(inventory: Any) -> None:
    index = f"CONTRACT#{uuid.uuid4().hex}"
    late, early, later = (
        Record("reorder", name, {}, parent=("sku", name), index=index, index_sort=sort)
        for name, sort in (("L", "2026-12-02"), ("E", "2026-12-01"), ("X", "2026-12-03"))
    )
    hidden = Record("reorder", "H", {}, parent=("sku", "H-" + index))
    writes = [Write(record, ANY_VERSION) for record in (late, early, later, hidden)]

    inventory.apply(Change(writes=writes))

    assert inventory.indexed(index) == [early, late, later]
    assert inventory.indexed(index, limit=2) == [early, late]


def test_a_skus_levels_and_reorder_policy_are_read_together(inventory: Any) -> None:
    sku, bare = a_fresh_sku(), a_fresh_sku()
    location = f"wh-{uuid.uuid4().hex[:6]}"
    inventory.save_location(Location(location, "Contract warehouse", LocationKind.WAREHOUSE))
    policy = Record("reorder", sku, {"reorder_point": 2}, parent=("sku", sku))
    inventory.apply(Change(movements=[received(sku, location, 3)], writes=[Write(policy, None)]))

    read = inventory.stock_and_policies([sku, bare])

    assert read == {sku: ([StockLevel(sku, location, 3, 0)], policy), bare: ([], None)}


def test_a_saved_location_keeps_its_name_kind_and_address(inventory: Any) -> None:
    location = Location(f"st-{uuid.uuid4().hex[:6]}", "Lyon store", LocationKind.STORE, {"country": "FR"})

    inventory.save_location(location)

    assert location in inventory.list_locations()
