"""The ERP stock import and its credentials, on the in-memory store: counts applied once, through the
ledger, with StockChanged; files dropped in the bucket imported once with their report."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from commerce.domain.erp_stock import MAX_CSV_ROWS, S3_INTEGRATION, Rejection, parse_lines
from commerce.domain.errors import Conflict, NotFound, Unauthorized
from commerce.domain.inventory import Movement, Reason
from commerce.domain.inventory_ports import Change
from commerce.services.erp_stock import ErpCredentials, ErpStockImport
from commerce.services.inventory import Inventory
from commerce.services.outbox import OutboxRelay
from tests.fakes.erp import InMemoryDroppedFiles
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)
CATALOG = {"TEE-1", "TEE-2", "HAT-1"}


@pytest.fixture
def world():
    store, events, files = InMemoryInventory(), InMemoryEvents(), InMemoryDroppedFiles()
    inventory = Inventory(store, events, lambda: NOW, relay=OutboxRelay(store.outbox, events, lambda: NOW))
    for loc in ("north", "south"):
        inventory.save_location(loc, loc, "warehouse", {})
    inventory.receive("TEE-1", "north", 10)
    inventory.receive("TEE-2", "north", 5)
    store.apply(Change(movements=[Movement("TEE-2", "north", Reason.RESERVATION, 4, NOW, "order-1")]))
    events.published.clear()
    importer = ErpStockImport(
        store, inventory, lambda: NOW, known_skus=lambda skus: {s for s in skus if s in CATALOG}, files=files
    )
    return store, inventory, importer, events, files


def lines(*rows: tuple[str, str, object]) -> list[dict[str, object]]:
    return [{"sku": s, "location_id": loc, "on_hand": n} for s, loc, n in rows]


def on_hand(store: InMemoryInventory, sku: str, location: str) -> int:
    return next((lv.on_hand for lv in store.levels(sku) if lv.location == location), 0)


def test_valid_lines_set_on_hand_through_adjustments_and_bad_lines_are_rejected_with_a_reason(world):
    store, inventory, importer, events, _ = world
    batch = parse_lines(
        lines(
            ("TEE-1", "north", 7),
            ("TEE-1", "south", 3),
            ("NOPE-1", "north", 1),
            ("TEE-1", "east", 1),
            ("TEE-2", "north", 2),
            ("HAT-1", "north", "x"),
        )
    )
    result = importer.apply("int1", "b-1", batch)
    assert [(a.line, a.adjustment) for a in result.applied] == [(1, -3), (2, 3)]
    assert sorted((r.line, r.reason) for r in result.rejected) == [
        (3, Rejection.UNKNOWN_SKU),
        (4, Rejection.UNKNOWN_LOCATION),
        (5, Rejection.BELOW_RESERVED),
        (6, Rejection.BAD_FIGURE),
    ]
    assert (on_hand(store, "TEE-1", "north"), on_hand(store, "TEE-1", "south")) == (7, 3)
    assert on_hand(store, "TEE-2", "north") == 5  # the rejected line changed nothing
    adjustments = [m for m in store.movements("TEE-1") if m.reason == Reason.ADJUSTMENT]
    assert {m.note for m in adjustments} == {"ERP count, batch b-1, line 1", "ERP count, batch b-1, line 2"}
    assert all(inventory.explained("TEE-1").values())  # on hand = sum of the movements
    changed = [e for e in events.published if e.type == "StockChanged"]
    assert [e.data["sku"] for e in changed] == ["TEE-1", "TEE-1"]
    assert changed[-1].data["available"] == 10


def test_the_same_batch_again_changes_nothing_and_answers_the_same(world):
    store, _, importer, events, _ = world
    batch = parse_lines(lines(("TEE-1", "north", 4), ("NOPE-1", "north", 1)))
    first = importer.apply("int1", "b-1", batch)
    ledger = len(store.ledger)
    events.published.clear()
    again = importer.apply("int1", "b-1", parse_lines(lines(("TEE-1", "north", 4), ("NOPE-1", "north", 1))))
    assert again.as_dict() == first.as_dict()
    assert len(store.ledger) == ledger and events.published == []
    assert on_hand(store, "TEE-1", "north") == 4


def test_the_same_batch_id_with_other_lines_is_a_conflict_but_another_integration_may_use_it(world):
    store, _, importer, _, _ = world
    importer.apply("int1", "b-1", parse_lines(lines(("TEE-1", "north", 4))))
    with pytest.raises(Conflict):
        importer.apply("int1", "b-1", parse_lines(lines(("TEE-1", "north", 5))))
    importer.apply("int2", "b-1", parse_lines(lines(("TEE-1", "north", 6))))
    assert on_hand(store, "TEE-1", "north") == 6


def test_a_delivery_that_stopped_half_way_applies_only_the_lines_not_yet_applied(world):
    store, _, importer, _, _ = world
    batch = parse_lines(lines(("TEE-1", "north", 4), ("TEE-1", "south", 2)))
    importer.apply("int1", "b-1", batch)
    # As if the first delivery crashed before storing its outcome: the lines' markers are there.
    claim = store.get("erp_batch", "int1:b-1")
    assert claim is not None
    store.records[("erp_batch", "int1:b-1", None)] = type(claim)(
        kind=claim.kind, id=claim.id, data={**claim.data, "result": None}, version=claim.version
    )
    ledger = len(store.ledger)
    store.apply(Change(movements=[Movement("TEE-1", "north", Reason.RECEIPT, 10, NOW)]))  # stock moved since
    retried = importer.apply("int1", "b-1", batch)
    assert [a.adjustment for a in retried.applied] == [-6, 2]  # the markers' outcomes, not recounted
    assert len(store.ledger) == ledger + 1 and on_hand(store, "TEE-1", "north") == 14


def test_a_count_of_a_hot_sku_sets_the_location_across_its_shards(world):
    store, inventory, importer, _, _ = world
    inventory.receive("HAT-1", "north", 30)
    inventory.make_hot("HAT-1", 3)
    result = importer.apply("int1", "b-1", parse_lines(lines(("HAT-1", "north", 12))))
    assert [a.adjustment for a in result.applied] == [-18]
    assert sum(lv.on_hand for lv in store.levels("HAT-1")) == 12
    assert all(inventory.explained("HAT-1").values())


def test_a_key_is_shown_once_stored_hashed_checked_and_stops_working_when_revoked(world):
    store, *_ = world
    credentials = ErpCredentials(
        store, lambda: NOW, new_id=lambda: "abcdef1234567890", secret=lambda: "s3cret"
    )
    credential, key = credentials.create(" Acme ERP ")
    assert key == "abcdef1234567890.s3cret" and credential.name == "Acme ERP"
    assert "s3cret" not in json.dumps(store.get("erp_key", credential.id).data)
    assert credentials.authenticate(key).id == credential.id
    assert [c.id for c in credentials.all()] == [credential.id]
    for wrong in (None, "", "abcdef1234567890.nope", "ffffffff12345678.s3cret"):
        with pytest.raises(Unauthorized):
            credentials.authenticate(wrong)
    revoked = credentials.revoke(credential.id)
    assert revoked.revoked_at == NOW and credentials.revoke(credential.id) == revoked
    with pytest.raises(Unauthorized):
        credentials.authenticate(key)
    with pytest.raises(NotFound):
        credentials.revoke("0000000000000000")


def test_a_dropped_file_is_imported_once_with_a_report_of_its_rejected_rows(world):
    store, _, importer, events, files = world
    files.objects[("drop", "erp/stock/nov/count 1.csv")] = (
        "sku,location_id,on_hand\nTEE-1,north,8\nNOPE-1,north,2\n"
    )
    result = importer.import_object("drop", "erp/stock/nov/count+1.csv", "v1", "etag")
    assert result.integration == S3_INTEGRATION and [a.on_hand for a in result.applied] == [8]
    assert [e.data["sku"] for e in events.published if e.type == "StockChanged"] == ["TEE-1"]
    report = json.loads(files.objects[("drop", "erp/reports/nov/count 1.json")])
    assert report["source"]["key"] == "erp/stock/nov/count 1.csv"
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [(3, "unknown-sku")]
    assert "3,NOPE-1,north,2,unknown-sku" in files.objects[("drop", "erp/reports/nov/count 1.rejected.csv")]
    ledger = len(store.ledger)
    importer.import_object("drop", "erp/stock/nov/count+1.csv", "v1", "etag")  # the event delivered twice
    assert len(store.ledger) == ledger and on_hand(store, "TEE-1", "north") == 8


def test_a_dropped_file_without_its_header_gets_a_report_saying_why_and_changes_nothing(world):
    store, _, importer, _, files = world
    files.objects[("drop", "erp/stock/bad.csv")] = "TEE-1,north,8\n"
    ledger = len(store.ledger)
    result = importer.import_object("drop", "erp/stock/bad.csv", None, "e1")
    report = json.loads(files.objects[("drop", "erp/reports/bad.json")])
    assert "header row" in report["error"] and result.applied == () and len(store.ledger) == ledger


def test_the_outcome_of_the_largest_file_stays_far_inside_a_dynamodb_item(world):
    store, _, importer, _, files = world
    location = "l" * 64
    rows = "".join(f"SKU-{n:058d},{location},{n}\n" for n in range(MAX_CSV_ROWS))
    files.objects[("drop", "erp/stock/big.csv")] = "sku,location_id,on_hand\n" + rows
    result = importer.import_object("drop", "erp/stock/big.csv", None, "e1")
    assert len(result.rejected) == MAX_CSV_ROWS
    claim = next(r for r in store.records.values() if r.kind == "erp_batch")
    assert len(claim.data["result"]) < 100_000  # DynamoDB's item limit is 400 KB
    again = importer.import_object("drop", "erp/stock/big.csv", None, "e1")
    assert again.as_dict() == result.as_dict()
