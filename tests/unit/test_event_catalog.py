"""The event catalog: every schema is a valid JSON Schema, every event the code publishes has one and a
line in docs/events.md, and the check used by the end-to-end suite catches what it should."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator

from commerce.domain.events import order_event
from tests.event_catalog import CATALOG, problems, published_detail_types, schema_files, schemas

PUBLISHED = published_detail_types()


@pytest.mark.parametrize("key", sorted(schema_files()), ids=lambda key: f"{key[0]}.v{key[1]}")
def test_every_schema_file_is_a_valid_json_schema_for_its_type_and_version(key: tuple[str, int]) -> None:
    schema = schemas()[key]
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["type"] == {"const": key[0]}
    assert schema["properties"]["version"] == {"const": key[1]}


def test_the_scan_finds_the_events_of_the_workflow_the_webhook_and_the_dispatcher() -> None:
    # If this fails, the scan stopped seeing how events are published and would pass on anything.
    assert {"OrderPlaced", "OrderPaid", "OrderCancelled", "RefundIssued", "OrderDisputed"} <= set(PUBLISHED)
    assert {"OrderDisputeClosed", "WebhookSubscriptionPaused", "FulfillmentRequested"} <= set(PUBLISHED)


@pytest.mark.parametrize("detail_type", sorted(PUBLISHED))
def test_every_detail_type_the_code_publishes_has_a_schema_and_a_catalog_entry(detail_type: str) -> None:
    assert any(t == detail_type for t, _ in schema_files()), f"{detail_type} ({PUBLISHED[detail_type]})"
    assert f"`{detail_type}`" in CATALOG.read_text(encoding="utf-8"), (
        f"{detail_type} is not in docs/events.md"
    )


def test_every_schema_is_listed_in_the_catalog() -> None:
    text = CATALOG.read_text(encoding="utf-8")
    for detail_type, version in schema_files():
        assert f"events/{detail_type}.v{version}.json" in text


def _as_delivered(envelope: dict[str, object]) -> dict[str, object]:
    return {"source": "commerce", "detail-type": envelope["type"], "detail": envelope}


def test_an_event_as_the_code_builds_it_passes_the_check() -> None:
    envelope = order_event(
        "OrderPaid",
        "ord_1",
        datetime(2026, 11, 27, tzinfo=UTC),
        {"currency": "EUR", "total": 1999, "payment_intent_id": "pi_1"},
    ).envelope()
    assert problems([_as_delivered(envelope)]) == []


def test_the_check_fails_on_an_event_without_a_schema_and_on_a_wrong_one() -> None:
    unknown = {
        "event_id": "e1",
        "type": "NobodyKnowsMe",
        "version": 1,
        "occurred_at": "2026-11-27T00:00:00Z",
        "data": {},
    }
    paid = order_event(
        "OrderPaid", "ord_1", datetime(2026, 11, 27, tzinfo=UTC), {"currency": "EUR"}
    ).envelope()
    newer = {**paid, "version": 2}
    found = problems([_as_delivered(unknown), _as_delivered(paid), _as_delivered(newer)])
    assert any("NobodyKnowsMe" in p and "no schema" in p for p in found)
    assert any("'total' is a required property" in p for p in found)
    assert any("OrderPaid.v2.json" in p for p in found)


def test_an_event_whose_detail_arrives_as_text_is_read_too() -> None:
    envelope = order_event(
        "OrderCancelled",
        "ord_1",
        datetime(2026, 11, 27, tzinfo=UTC),
        {"reason": "payment_failed", "refunded": 0},
    ).envelope()
    assert (
        problems([{"source": "commerce", "detail-type": "OrderCancelled", "detail": json.dumps(envelope)}])
        == []
    )
