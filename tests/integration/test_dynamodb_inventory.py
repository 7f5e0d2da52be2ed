"""The inventory adapter against moto built from template.yaml: the same ledger rules as the fake."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from hypothesis import given, settings

from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.config import Settings
from commerce.domain.errors import Conflict, OutOfStock
from commerce.domain.hot_sku import shard_location
from commerce.domain.inventory import Location, LocationKind, Movement, Reason
from commerce.domain.inventory_ports import Change, Record, Write
from tests.unit.ledger_ops import check, operations, run

from .conftest import Stack

AT = datetime(2026, 11, 27, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(stack: Stack) -> DynamoInventory:
    return DynamoInventory(boto3.client("dynamodb"), Settings.from_env().table_name)


@settings(max_examples=25, deadline=None)
@given(ops=operations)
def test_any_sequence_of_movements_on_dynamodb_keeps_on_hand_equal_to_the_ledger(store, ops):
    run(store, f"P-{uuid.uuid4().hex[:10]}", ops)


def test_a_receipt_made_by_the_checkouts_stock_adapter_is_explained_by_the_ledger(store, stack):
    sku = f"P-{uuid.uuid4().hex[:10]}"
    DynamoStock(boto3.client("dynamodb"), Settings.from_env().table_name).receive(
        sku, "north", 4, "old shape"
    )
    store.apply(Change(movements=[Movement(sku, "north", Reason.RESERVATION, 3, AT, "x")]))
    check(store, sku)
    with pytest.raises(OutOfStock):
        store.apply(Change(movements=[Movement(sku, "north", Reason.RESERVATION, 2, AT, "y")]))


def test_a_record_written_twice_as_new_is_a_conflict_and_its_movements_do_not_land(store):
    sku = f"P-{uuid.uuid4().hex[:10]}"
    record = Record(kind="transfer", id=uuid.uuid4().hex, data={"sku": sku})
    store.apply(
        Change(movements=[Movement(sku, "north", Reason.RECEIPT, 1, AT)], writes=[Write(record, None)])
    )
    with pytest.raises(Conflict):
        store.apply(
            Change(movements=[Movement(sku, "north", Reason.RECEIPT, 1, AT)], writes=[Write(record, None)])
        )
    assert [lv.on_hand for lv in store.levels(sku)] == [1]
    assert store.get("transfer", record.id) == record


def test_records_in_the_sparse_index_are_listed_only_while_indexed(store):
    name = f"TEST#{uuid.uuid4().hex}"
    listed = Record(kind="reorder", id="A", parent=("sku", "A-" + name), data={}, index=name, index_sort="s")
    hidden = Record(kind="reorder", id="B", parent=("sku", "B-" + name), data={})
    store.apply(Change(writes=[Write(listed, None), Write(hidden, None)]))
    assert store.indexed(name) == [listed]


def test_locations_keep_their_kind_and_address(store):
    location = Location(
        "store-berlin", "Berlin store", LocationKind.STORE, {"city": "Berlin", "country": "DE"}
    )
    store.save_location(location)
    assert location in store.list_locations()


def test_a_catalog_receipt_at_a_location_keeps_its_name_kind_and_address(store):
    location = Location("wh-keep", "Kept warehouse", LocationKind.WAREHOUSE, {"country": "FR"})
    store.save_location(location)
    DynamoStock(boto3.client("dynamodb"), Settings.from_env().table_name).receive("KEEP-1", "wh-keep", 1, "n")
    assert location in store.list_locations()


def test_a_hot_skus_ledger_pages_newest_first_across_its_shards(store):
    sku = f"P-{uuid.uuid4().hex[:10]}"
    hot = Record(kind="hot", id=sku, parent=("sku", sku), data={"shards": 3, "max_shards": 3})
    store.apply(Change(writes=[Write(hot, None)]))
    places = ["north", shard_location("north", 1), shard_location("north", 2)]
    for minute in range(7):
        at = AT + timedelta(minutes=minute)
        store.apply(Change(movements=[Movement(sku, places[minute % 3], Reason.RECEIPT, minute + 1, at)]))

    pages, position = [], None
    for _ in range(10):  # bounded: a position that never ends fails instead of hanging
        page = store.movement_page(sku, 3, position)
        pages.append([m.quantity for m in page.items])
        position = page.next_position
        if position is None:
            break

    assert pages == [[7, 6, 5], [4, 3, 2], [1]]


def test_indexed_records_page_latest_first(store):
    name = f"TEST#{uuid.uuid4().hex}"
    records = [
        Record(
            kind="transfer", id=f"t{n}-{uuid.uuid4().hex[:6]}", data={}, index=name, index_sort=f"2026-0{n}"
        )
        for n in (1, 3, 2)
    ]
    store.apply(Change(writes=[Write(r, None) for r in records]))

    first = store.index_page(name, 2, None)
    second = store.index_page(name, 2, first.next_position)

    assert [r.id for r in first.items + second.items] == [records[1].id, records[2].id, records[0].id]
    assert second.next_position is None
