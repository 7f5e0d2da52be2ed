"""The event catalog: every schema is a valid JSON Schema, every event the code publishes has one and a
line in docs/events.md, and the check used by the end-to-end suite catches what it should."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from commerce.domain.events import order_event
from commerce.domain.fulfillment import SHIPMENT_EVENTS, Pick, Shipment, ShipmentStatus
from commerce.domain.order import OrderStatus
from commerce.domain.returns import Return, ReturnLine
from commerce.services.after_sales import refund_issued
from commerce.services.fulfillment import shipment_event
from commerce.services.returns import _event as returns_event
from tests.event_catalog import (
    CATALOG,
    problems,
    published_detail_types,
    schema_files,
    schemas,
    unread_publishing_calls,
)
from tests.unit.order_builders import an_order

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


def test_the_scan_finds_the_events_published_through_a_mapping_or_a_helper() -> None:
    # SHIPMENT_EVENTS (domain/fulfillment.py) read by shipment_event's caller;
    # _event("ReturnRequested", ...) in services/returns.py.
    shipments = {"OrderShipped", "OrderDelivered", "ShipmentDeliveryFailed", "ShipmentReturnedToSender"}
    assert shipments | {"ReturnRequested", "ReturnReceived"} <= set(PUBLISHED)


def test_the_scan_reads_the_detail_type_of_every_call_that_publishes_in_the_code() -> None:
    assert unread_publishing_calls() == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    (root / "functions").mkdir(exist_ok=True)
    (root / "statemachines").mkdir(exist_ok=True)
    return root


_EVENTS = "layers/shared/commerce/domain/events.py"


def test_the_scan_follows_a_mapping_imported_from_another_module_into_a_helper(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            _EVENTS: "class DomainEvent: ...\n",
            "layers/shared/commerce/domain/stock.py": """
                LEVEL_EVENTS: dict[str, str] = {"low": "StockLow", "back": "BackInStock"}
            """,
            "layers/shared/commerce/services/stock.py": """
                from commerce.domain.events import DomainEvent
                from commerce.domain.stock import LEVEL_EVENTS

                def stock_event(kind, sku):
                    return DomainEvent(type=kind, occurred_at=None, data={"sku": sku})

                class Stock:
                    def _event(self, name, sku):
                        return stock_event(name, sku)

                    def changed(self, level, sku):
                        self._publish([self._event(LEVEL_EVENTS[level], sku)])
                        self._publish([self._event(name=LEVEL_EVENTS.get(level, "StockChanged"), sku=sku)])
            """,
        },
    )
    assert set(published_detail_types(root)) == {"StockLow", "BackInStock", "StockChanged"}
    assert unread_publishing_calls(root) == []


def test_the_scan_follows_a_local_name_a_loop_and_a_relative_import(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            _EVENTS: "class DomainEvent: ...\n",
            "layers/shared/commerce/domain/kinds.py": 'SENT = "PurchaseOrderSent"\n',
            "layers/shared/commerce/services/orders.py": """
                from ..domain.kinds import SENT
                from commerce.domain.events import DomainEvent, order_event

                def announce(created):
                    kind = "PurchaseOrderCreated" if created else SENT
                    yield DomainEvent(kind, None)
                    for each in ("Viewed", "Clicked"):
                        yield order_event(event_type=each, order_id="o", occurred_at=None, data={})
            """,
        },
    )
    assert set(published_detail_types(root)) == {
        "PurchaseOrderCreated",
        "PurchaseOrderSent",
        "Viewed",
        "Clicked",
    }


def test_a_call_whose_detail_type_the_scan_cannot_read_is_reported(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            _EVENTS: "class DomainEvent: ...\n",
            "layers/shared/commerce/services/odd.py": """
                from commerce.domain.events import DomainEvent

                def computed(name):
                    return DomainEvent(type=name.title() + "Happened", occurred_at=None)

                def replayed(envelope):
                    return DomainEvent(type=envelope["type"], occurred_at=None)
            """,
        },
    )
    assert unread_publishing_calls(root) == ["layers/shared/commerce/services/odd.py:5"]


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


# the events of fulfillment, returns and after-sales, as their producers build them, pass the check
_AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("status", sorted(SHIPMENT_EVENTS), ids=str)
def test_a_shipment_event_as_tracking_builds_it_passes_the_check(status: ShipmentStatus) -> None:
    shipment = Shipment(
        id="ord_1-1",
        order_id="ord_1",
        location="wh-paris",
        lines=(Pick("RUN-40", "wh-paris", 2),),
        carrier="simulated",
        tracking_number="SIM123",
        tracking_url="",
        status=status,
    )
    envelope = shipment_event(SHIPMENT_EVENTS[status], shipment, _AT).envelope()
    assert problems([_as_delivered(envelope)]) == []
    wrong = {**envelope, "data": {**envelope["data"], "status": "label_created"}}
    assert problems([_as_delivered(wrong)]) != []


def test_the_events_of_a_return_as_it_is_requested_then_received_pass_the_check() -> None:
    requested = Return("ret-1", "ord_1", (ReturnLine("RUN-40", 1, 1200),), "too small", _AT)
    received = requested.received("wh-paris", _AT, 1200).refunded_as("return-ret-1")
    envelopes = [
        returns_event("ReturnRequested", requested, _AT).envelope(),
        returns_event("ReturnReceived", received, _AT).envelope(),
    ]
    assert problems([_as_delivered(e) for e in envelopes]) == []
    not_yet_received = returns_event("ReturnReceived", requested, _AT).envelope()
    assert any("location" in p for p in problems([_as_delivered(not_yet_received)]))


def test_a_refund_the_shop_made_and_one_stripe_reported_both_pass_the_check() -> None:
    order = an_order(OrderStatus.PAID)
    cancelled = refund_issued(order, f"cancel-{order.id}", 5000, 5000, _AT, with_cancellation=True)
    goodwill = refund_issued(order, "goodwill-k1", 700, 700, _AT)
    reported = {
        "event_id": "e1",
        "type": "RefundIssued",
        "version": 1,
        "occurred_at": _AT.isoformat(),
        "correlation_id": order.id,
        "data": {
            "order_id": order.id,
            "payment_intent_id": "pi_1",
            "amount_refunded": 700,
            "currency": "EUR",
        },
    }
    assert problems([_as_delivered(e) for e in (cancelled.envelope(), goodwill.envelope(), reported)]) == []
    neither = {**reported, "data": {"order_id": order.id, "amount_refunded": 700, "currency": "EUR"}}
    assert problems([_as_delivered(neither)]) != []
