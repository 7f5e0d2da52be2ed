"""One correlation id per order: the order's id, in its events and in every log line about it."""

from __future__ import annotations

import inspect
import io
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from commerce import observability
from commerce.api.resolver import http_handler
from commerce.domain.events import DomainEvent, order_event
from commerce.handlers import entry_point

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


def _lines(run: Callable[[], None]) -> list[dict[str, object]]:
    logger = observability.logger
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    try:
        run()
    finally:
        logger.removeHandler(handler)
        logger.remove_keys(["order_id"])
        logger.set_correlation_id(None)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_an_order_followed_in_one_invocation_is_not_on_the_next_invocations_lines() -> None:
    logger = observability.logger

    @logger.inject_lambda_context(clear_state=True)  # as every function's handler is decorated
    def handler(event: dict[str, str], context: object) -> None:
        if "order_id" in event:
            observability.follow_order(event["order_id"])
        logger.info("handled")

    context = SimpleNamespace(
        function_name="f", memory_limit_in_mb=128, invoked_function_arn="arn:f", aws_request_id="r"
    )

    first, second = _lines(lambda: (handler({"order_id": "ord_1"}, context), handler({}, context)))

    assert first["order_id"] == "ord_1"
    assert "order_id" not in second and second.get("correlation_id") is None


def test_every_function_clears_the_last_invocations_log_keys() -> None:
    """A warm Lambda keeps the module's Logger: without clear_state, an order id appended by one request
    would be logged on the next one's lines, and following an order would find strangers' lines. Every
    entry point is made by the helpers that clear them, clears them itself, or hands the event to entry points
    that do."""
    assert "clear_state=True" in inspect.getsource(http_handler)
    assert "clear_state=True" in inspect.getsource(entry_point)
    made = re.compile(
        r"^(@entry_point\ndef lambda_handler|lambda_handler = (http|queue)_handler\()", re.MULTILINE
    )
    entries = [m for m in sorted(Path("functions").glob("*/*.py")) if "lambda_handler" in m.read_text()]
    assert len({m.parent for m in entries}) == len(list(Path("functions").glob("*/app.py")))
    for module in entries:
        source = module.read_text()
        chooses = "return entry(event, context)" in source  # a function's one entry, choosing among its own
        decorators = re.findall(r"@logger\.inject_lambda_context(\([^)]*\))?", source)
        assert made.search(source) or chooses or decorators, f"{module}: no inject_lambda_context"
        assert all("clear_state=True" in d for d in decorators), f"{module} keeps log keys across invocations"
