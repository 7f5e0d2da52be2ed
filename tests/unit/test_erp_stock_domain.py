"""ERP stock counts, pure: reading a batch or a CSV file, deciding each line, the movements of a count."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from commerce.domain.erp_stock import (
    MAX_HTTP_LINES,
    LineApplied,
    LineRejected,
    Rejection,
    StockCount,
    count_movements,
    decide,
    dropped_objects,
    object_batch_id,
    parse_csv,
    parse_lines,
    rejected_csv,
    report_keys,
    split_key,
)
from commerce.domain.errors import ValidationFailed
from commerce.domain.inventory import Reason, StockLevel, replay

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


def test_a_csv_file_gives_its_valid_rows_and_rejects_the_bad_ones_with_their_file_line():
    text = (
        "sku,location_id,on_hand\n"
        "TEE-1,north,12\n"
        "TEE-2,north,-3\n"
        "tee lower,north,4\n"
        "TEE-3,North Pole,4\n"
        "TEE-4,,4\n"
        "\n"
        "TEE-1,north,13\n"
        "TEE-5,south, 7 \n"
        "TEE-6,south,twelve\n"
    )
    batch = parse_csv(text)
    assert [(c.line, c.sku, c.location, c.on_hand) for c in batch.counts] == [
        (2, "TEE-1", "north", 12),
        (9, "TEE-5", "south", 7),
    ]
    assert [(r.line, r.reason) for r in batch.rejected] == [
        (3, Rejection.BAD_FIGURE),
        (4, Rejection.BAD_SKU),
        (5, Rejection.BAD_LOCATION),
        (6, Rejection.MISSING_FIELD),
        (8, Rejection.DUPLICATE),
        (10, Rejection.BAD_FIGURE),
    ]
    assert batch.rejected[0].on_hand == "-3"  # reported as received


def test_a_csv_file_reads_its_columns_by_the_header_in_any_order_and_ignores_others():
    batch = parse_csv("\ufeffOn_Hand,comment,SKU,location_id\r\n5,recount,TEE-1,north\r\n")
    assert batch.counts == (StockCount(2, "TEE-1", "north", 5),)


@pytest.mark.parametrize(
    "text",
    ["TEE-1,north,12\n", "sku,on_hand\nTEE-1,3\n", "", "sku,location_id,on_hand\n\n"],
)
def test_a_csv_file_without_the_header_row_or_any_row_is_refused_whole(text):
    with pytest.raises(ValidationFailed):
        parse_csv(text)


def test_request_lines_are_numbered_from_one_and_a_figure_may_be_a_number_or_its_digits():
    batch = parse_lines(
        [
            {"sku": "TEE-1", "location_id": "north", "on_hand": 4},
            {"sku": "TEE-2", "location_id": "north", "on_hand": "5"},
            {"sku": "TEE-3", "location_id": "north", "on_hand": 2_000_000_000},
            {"sku": "TEE-4", "location_id": "north", "on_hand": True},
        ]
    )
    assert [(c.line, c.on_hand) for c in batch.counts] == [(1, 4), (2, 5)]
    assert [(r.line, r.reason) for r in batch.rejected] == [
        (3, Rejection.BAD_FIGURE),
        (4, Rejection.BAD_FIGURE),
    ]


def test_the_fingerprint_tells_the_same_lines_from_other_lines():
    lines = [{"sku": "TEE-1", "location_id": "north", "on_hand": 4}]
    same = parse_lines([dict(lines[0])])
    other = parse_lines([{**lines[0], "on_hand": 5}])
    assert parse_lines(lines).fingerprint == same.fingerprint != other.fingerprint


def test_a_batch_has_between_one_and_the_maximum_lines():
    with pytest.raises(ValidationFailed):
        parse_lines([])
    line = {"sku": "TEE-1", "location_id": "north", "on_hand": 1}
    with pytest.raises(ValidationFailed):
        parse_lines([line] * (MAX_HTTP_LINES + 1))


def test_a_count_sets_on_hand_by_the_difference_from_what_the_location_holds():
    levels = [StockLevel("TEE-1", "north", 10, 3), StockLevel("TEE-1", "south", 50, 0)]
    applied = decide(StockCount(1, "TEE-1", "north", 7), levels)
    assert applied == LineApplied(1, "TEE-1", "north", 7, 10, -3)
    assert decide(StockCount(1, "TEE-1", "east", 4), levels) == LineApplied(1, "TEE-1", "east", 4, 0, 4)


def test_a_count_below_the_reserved_units_is_rejected():
    outcome = decide(StockCount(3, "TEE-1", "north", 2), [StockLevel("TEE-1", "north", 10, 3)])
    assert isinstance(outcome, LineRejected) and outcome.reason is Rejection.BELOW_RESERVED
    assert "3 units are reserved" in outcome.detail


def test_the_movements_of_a_count_leave_the_ledger_at_the_counted_figure_across_a_hot_skus_shards():
    levels = [
        StockLevel("HOT-1", "north", 6, 2),
        StockLevel("HOT-1", "north@1", 5, 0),
        StockLevel("HOT-1", "north@2", 4, 1),
    ]
    applied = decide(StockCount(1, "HOT-1", "north", 4), levels)
    assert isinstance(applied, LineApplied) and applied.adjustment == -11
    movements = count_movements(applied, levels, NOW, "erp:b1", "ERP count")
    assert all(m.reason == Reason.ADJUSTMENT and m.reference == "erp:b1" for m in movements)
    after = {lv.location: lv for lv in levels}
    for m in movements:
        after[m.location] = after[m.location].after(m)  # never below zero available
    assert sum(lv.on_hand for lv in after.values()) == 4
    assert sum(lv.reserved for lv in after.values()) == 3


def test_a_count_matching_the_stock_moves_nothing_and_a_higher_one_adds_at_the_location():
    level = StockLevel("TEE-1", "north", 10, 0)
    same = decide(StockCount(1, "TEE-1", "north", 10), [level])
    assert isinstance(same, LineApplied) and count_movements(same, [level], NOW, "r", "n") == []
    more = decide(StockCount(1, "TEE-1", "north", 15), [level])
    assert isinstance(more, LineApplied)
    [movement] = count_movements(more, [level], NOW, "r", "n")
    assert (movement.location, movement.quantity) == ("north", 5)
    assert replay("TEE-1", "north", [*[movement]]).on_hand == 5  # the ledger explains the difference


def test_an_s3_event_names_its_created_objects_and_the_test_event_names_none():
    body = json.dumps(
        {
            "Records": [
                {
                    "eventName": "ObjectCreated:Put",
                    "s3": {
                        "bucket": {"name": "drop"},
                        "object": {"key": "erp/stock/a+b.csv", "eTag": "abc", "versionId": "v1"},
                    },
                },
                {
                    "eventName": "ObjectRemoved:Delete",
                    "s3": {"bucket": {"name": "drop"}, "object": {"key": "x"}},
                },
            ]
        }
    )
    [dropped] = dropped_objects(body)
    assert (dropped.bucket, dropped.key, dropped.version, dropped.etag) == (
        "drop",
        "erp/stock/a+b.csv",
        "v1",
        "abc",
    )
    assert dropped_objects(json.dumps({"Event": "s3:TestEvent", "Bucket": "drop"})) == []
    with pytest.raises(ValidationFailed):
        dropped_objects("not json")


def test_an_object_is_one_batch_per_version_and_its_reports_sit_under_erp_reports():
    assert object_batch_id("erp/stock/a.csv", "v1", "e") == object_batch_id("erp/stock/a.csv", "v1", "x")
    assert object_batch_id("erp/stock/a.csv", "v1", None) != object_batch_id("erp/stock/a.csv", "v2", None)
    assert object_batch_id("erp/stock/a.csv", None, "e1") != object_batch_id("erp/stock/a.csv", None, "e2")
    assert report_keys("erp/stock/2026/11/counts.csv") == (
        "erp/reports/2026/11/counts.json",
        "erp/reports/2026/11/counts.rejected.csv",
    )


def test_the_rejected_rows_csv_lists_each_row_with_its_line_and_reason():
    text = rejected_csv([LineRejected(4, Rejection.UNKNOWN_SKU, "no SKU X-1", "X-1", "north", "3")])
    assert text.splitlines() == [
        "line,sku,location_id,on_hand,reason,detail",
        "4,X-1,north,3,unknown-sku,no SKU X-1",
    ]


def test_an_integration_key_names_its_credential_and_odd_keys_name_none():
    assert split_key("abcdef1234567890.s3cr3t") == ("abcdef1234567890", "abcdef1234567890.s3cr3t")
    for odd in (None, "", "nodot", "UPPER123.x", "a.b", "x" * 300):
        assert split_key(odd) is None
