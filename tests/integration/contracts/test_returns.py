"""The ReturnRepository: a return is added against the count of units asked back so far, each step is
conditioned on the status read, and the events of a step are written with it or not at all."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.returns import DynamoReturns
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.returns import Return, ReturnLine, ReturnStatus
from tests.fakes.returns import InMemoryReturns

from .conftest import NOW, Shop, take_pending


@pytest.fixture
def returns(shop: Shop) -> Any:
    return shop.build(lambda: InMemoryReturns(shop.outbox), DynamoReturns, clock=lambda: NOW)


def a_return(order_id: str, sku: str = "TEE", quantity: int = 1) -> Return:
    return Return(
        f"ret-{uuid.uuid4().hex[:12]}", order_id, (ReturnLine(sku, quantity, 500),), "too small", NOW
    )


def an_event(item: Return, type_: str = "ReturnRequested") -> DomainEvent:
    return DomainEvent(type=type_, occurred_at=NOW, data={"return_id": item.id, "order_id": item.order_id})


def test_an_added_return_is_found_by_id_and_by_order_with_its_event(shop: Shop, returns: Any) -> None:
    item = a_return(f"o-{uuid.uuid4().hex}")
    event = an_event(item)

    returns.add(item, {}, [event])

    assert returns.get(item.id) == item
    assert returns.for_order(item.order_id) == [item]
    assert take_pending(shop, [event]) == [event]


def test_an_unknown_return_is_none_and_an_order_without_returns_has_none(returns: Any) -> None:
    assert returns.get("ret-nobody") is None
    assert returns.for_order(f"o-{uuid.uuid4().hex}") == []


def test_a_return_added_on_a_stale_count_of_returned_units_is_refused_with_its_event(
    shop: Shop, returns: Any
) -> None:
    order_id = f"o-{uuid.uuid4().hex}"
    first, second = a_return(order_id), a_return(order_id)
    returns.add(first, {"TEE": 0}, [])
    refused = an_event(second)

    with pytest.raises(Conflict):
        returns.add(second, {"TEE": 0}, [refused])
    assert returns.for_order(order_id) == [first]
    assert take_pending(shop, [refused]) == []

    returns.add(second, {"TEE": 1}, [])
    assert {r.id for r in returns.for_order(order_id)} == {first.id, second.id}


def test_a_return_is_received_once(returns: Any) -> None:
    item = a_return(f"o-{uuid.uuid4().hex}")
    returns.add(item, {}, [])
    received = item.received("paris", NOW, item.refund_due)

    returns.receive(received)
    with pytest.raises(Conflict):
        returns.receive(received)

    assert returns.get(item.id) == received


def test_a_received_return_waits_for_the_sweeper_until_restocked_once(shop: Shop, returns: Any) -> None:
    item = a_return(f"o-{uuid.uuid4().hex}")
    returns.add(item, {}, [])
    received = item.received("paris", NOW, item.refund_due)
    returns.receive(received)

    assert received in returns.received_before(NOW + timedelta(minutes=1), 1000)
    assert received not in returns.received_before(NOW - timedelta(minutes=1), 1000)

    refunded = received.refunded_as("re_1")
    event, refused = an_event(item, "ReturnRefunded"), an_event(item, "ReturnRefunded")
    returns.restock(refunded, [event])
    with pytest.raises(Conflict):
        returns.restock(refunded, [refused])

    assert returns.get(item.id) == refunded
    assert refunded not in returns.received_before(NOW + timedelta(minutes=1), 1000)
    assert take_pending(shop, [event, refused]) == [event]


def test_a_reopened_return_is_requested_again_and_cannot_be_reopened_twice(returns: Any) -> None:
    item = a_return(f"o-{uuid.uuid4().hex}")
    returns.add(item, {}, [])
    received = item.received("paris", NOW, item.refund_due)
    returns.receive(received)
    reopened = received.reopened()

    returns.reopen(reopened)
    with pytest.raises(Conflict):
        returns.reopen(reopened)

    assert returns.get(item.id) == reopened
    assert returns.get(item.id).status is ReturnStatus.REQUESTED
