"""One correlation id per order: the order's id, in its events and in every log line about it."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime

from commerce import observability
from commerce.domain.events import DomainEvent, order_event

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_an_order_event_carries_its_order_id_as_correlation_id() -> None:
    envelope = order_event("OrderPaid", "ord_123", AT, {"total": 1000}).envelope()

    assert envelope["correlation_id"] == "ord_123"
    assert envelope["data"]["order_id"] == "ord_123"


def test_an_event_of_no_order_has_no_correlation_id_in_its_envelope() -> None:
    envelope = DomainEvent(type="ProductChanged", occurred_at=AT, data={"product_id": "p1"}).envelope()

    assert "correlation_id" not in envelope


def test_following_an_order_puts_its_id_on_every_later_log_line() -> None:
    logger = observability.logger
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)  # the JSON lines CloudWatch receives
    logger.addHandler(handler)
    logger.remove_keys(["order_id"])  # another test's invocation may have followed an order
    logger.set_correlation_id(None)
    try:
        logger.info("before")
        observability.follow_order("ord_456")
        logger.info("after")
    finally:
        logger.removeHandler(handler)
        logger.remove_keys(["order_id"])
        logger.set_correlation_id(None)

    before, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert "correlation_id" not in before
    assert (after["correlation_id"], after["order_id"]) == ("ord_456", "ord_456")


def test_any_event_whose_data_names_an_order_carries_it_as_correlation_id() -> None:
    refund = DomainEvent(type="RefundIssued", occurred_at=AT, data={"order_id": "ord_9", "amount": 500})

    assert refund.envelope()["correlation_id"] == "ord_9"


def test_an_event_read_back_from_its_envelope_is_the_same_event() -> None:
    sent = DomainEvent(type="OrderDisputed", occurred_at=AT, data={"order_id": "ord_7", "reason": "fraud"})

    assert DomainEvent.from_envelope(json.loads(json.dumps(sent.envelope()))) == sent
