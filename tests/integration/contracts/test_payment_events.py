"""The PaymentEventLog: a provider event is applied to its order once, in one step with the order's change
and its events; an event refused for a stale order is not recorded, so its retry applies it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.payment_events import DynamoPaymentEventLog
from commerce.domain.errors import Conflict
from commerce.domain.payment_events import DuplicateEvent
from commerce.services.order_workflow import order_cancelled
from tests.fakes.payments import InMemoryPaymentEventLog

from .conftest import NOW, Shop, placed, take_pending


@pytest.fixture
def log(shop: Shop) -> Any:
    return shop.build(
        lambda: InMemoryPaymentEventLog(shop.orders),
        DynamoPaymentEventLog,
        orders=shop.orders,
        clock=lambda: NOW,
    )


def an_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def test_an_event_is_applied_once_with_the_order_and_its_events(shop: Shop, log: Any) -> None:
    order, _ = placed(shop)
    event_id, noted = an_event_id(), order.noted(NOW, "payment_succeeded")
    event = order_cancelled(noted, NOW)

    log.apply(event_id, noted, order.version, [event])
    with pytest.raises(DuplicateEvent):
        log.apply(event_id, noted.noted(NOW, "again"), noted.version, [])

    assert shop.orders.get(order.id) == noted
    assert take_pending(shop, [event]) == [event]


def test_an_event_refused_for_a_stale_order_is_not_recorded_and_its_retry_applies(
    shop: Shop, log: Any
) -> None:
    order, _ = placed(shop)
    shop.orders.save(order.noted(NOW, "elsewhere"), order.version)
    event_id = an_event_id()
    refused = order_cancelled(order, NOW + timedelta(seconds=1))

    with pytest.raises(Conflict):
        log.apply(event_id, order.noted(NOW, "payment_succeeded"), order.version, [refused])
    assert take_pending(shop, [refused]) == []

    current = shop.orders.get(order.id)
    log.apply(event_id, current.noted(NOW, "payment_succeeded"), current.version)
    assert shop.orders.get(order.id).version == current.version + 1


def test_an_event_that_changes_no_order_is_remembered_once(log: Any) -> None:
    event_id = an_event_id()

    assert log.remember(event_id) is True
    assert log.remember(event_id) is False


def test_an_applied_event_is_not_remembered_again(shop: Shop, log: Any) -> None:
    order, _ = placed(shop)
    event_id = an_event_id()
    log.apply(event_id, order.noted(NOW, "payment_succeeded"), order.version)

    assert log.remember(event_id) is False
