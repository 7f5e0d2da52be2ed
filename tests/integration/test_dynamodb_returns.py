"""Returns against moto built from template.yaml: the count of units asked back per SKU is raised in the
transaction that records a return, and a receipt restocks in the transaction that marks it refunded."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest

from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.returns import DynamoReturns
from commerce.domain.errors import Conflict, DependencyFailed, ValidationFailed
from commerce.domain.order import Order, OrderStatus
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.domain.returns import Return, ReturnLine, ReturnStatus
from commerce.services.outbox import OutboxRelay
from commerce.services.returns import Returns
from tests.concurrency import at_once

from .test_dynamodb_orders import _movements
from .test_dynamodb_refunds import NOW, _after_sales, _on_hand, _paid_order, world  # noqa: F401

ADMIN = roles_from(DEFAULT_ROLES).authority({"admin"})


def _delivered(world: dict[str, Any], quantity: int = 1) -> tuple[Order, str]:  # noqa: F811
    order, sku = _paid_order(world, quantity=quantity)
    delivered = replace(order.noted(NOW, "order_delivered"), status=OrderStatus.DELIVERED)
    world["orders"].save(delivered, order.version)
    return delivered, sku


def _returns(world: dict[str, Any], order: Order) -> tuple[Returns, DynamoReturns, Any]:  # noqa: F811
    after_sales, payments, events = _after_sales(world, order)
    repo = DynamoReturns(world["client"], world["table"], clock=lambda: NOW)
    relay = OutboxRelay(DynamoOutbox(world["client"], world["table"]), events, lambda: NOW)
    return Returns(repo, after_sales, relay, lambda: NOW), repo, payments


def _received_not_restocked(service: Returns, repo: DynamoReturns, order: Order, sku: str) -> Return:
    """A return of the unit, refunded at receipt by a function that stopped before the restock."""
    item = service.request(order, {sku: 1}, "too small")
    crash = DependencyFailed("the function stopped")
    with patch.object(repo, "restock", side_effect=crash), pytest.raises(DependencyFailed):
        service.receive(item.id, "paris", None, "staff", authority=ADMIN)
    return item


def test_a_return_added_on_a_stale_count_of_returned_units_is_refused(world: dict[str, Any]) -> None:  # noqa: F811
    order, sku = _delivered(world, quantity=2)
    _, repo, _ = _returns(world, order)
    first = Return("ret-a" + order.id[:8], order.id, (ReturnLine(sku, 1, 5000),), "r", NOW)
    second = Return("ret-b" + order.id[:8], order.id, (ReturnLine(sku, 1, 5000),), "r", NOW)
    repo.add(first, {sku: 0}, [])

    with pytest.raises(Conflict):
        repo.add(second, {sku: 0}, [])
    repo.add(second, {sku: 1}, [])

    assert {r.id for r in repo.for_order(order.id)} == {first.id, second.id}


def test_ten_concurrent_requests_for_the_only_unit_make_one_return(world: dict[str, Any]) -> None:  # noqa: F811
    order, sku = _delivered(world, quantity=1)
    service, repo, _ = _returns(world, order)

    def ask() -> str:
        try:
            service.request(order, {sku: 1}, "too small")
        except ValidationFailed:
            return "refused"
        return "returned"

    outcomes = at_once(ask, callers=10, seconds=60)

    assert sorted(outcomes) == ["refused"] * 9 + ["returned"]
    assert len(repo.for_order(order.id)) == 1


def test_a_receipt_refunds_then_restocks_with_a_return_movement_once(world: dict[str, Any]) -> None:  # noqa: F811
    order, sku = _delivered(world, quantity=1)
    service, repo, payments = _returns(world, order)
    item = service.request(order, {sku: 1}, "too small")
    assert _on_hand(world, sku) == (4, 0)

    done = service.receive(item.id, "paris", None, "staff", authority=ADMIN)
    service.receive(item.id, "paris", None, "staff", authority=ADMIN)

    assert done.status is ReturnStatus.REFUNDED and repo.get(item.id) == done
    assert _on_hand(world, sku) == (5, 0)
    assert _movements(world, sku).count("return") == 1
    assert list(payments.refunds.values()) == [(order.payment_intent_id, item.refund_due)]
    assert world["ledger"].refunded(order.id) == item.refund_due


def test_a_crash_after_the_refund_leaves_nothing_on_hand_and_the_next_receipt_restocks_once(
    world: dict[str, Any],  # noqa: F811
) -> None:
    order, sku = _delivered(world, quantity=1)
    service, repo, payments = _returns(world, order)
    item = _received_not_restocked(service, repo, order, sku)
    assert repo.get(item.id).status is ReturnStatus.RECEIVED  # type: ignore[union-attr]
    assert _on_hand(world, sku) == (4, 0)

    service.receive(item.id, "paris", None, "staff", authority=ADMIN)

    assert _on_hand(world, sku) == (5, 0) and _movements(world, sku).count("return") == 1
    assert len(payments.refunds) == 1 and world["ledger"].refunded(order.id) == item.refund_due


def test_a_return_requested_while_the_bus_is_down_leaves_its_event_in_the_outbox(
    world: dict[str, Any],  # noqa: F811
) -> None:
    order, sku = _delivered(world, quantity=1)
    after_sales, _, events = _after_sales(world, order)
    outbox = DynamoOutbox(world["client"], world["table"])
    repo = DynamoReturns(world["client"], world["table"], clock=lambda: NOW)
    service = Returns(repo, after_sales, OutboxRelay(outbox, events, lambda: NOW), lambda: NOW)
    events.fail_next = DependencyFailed("the bus is down")

    item = service.request(order, {sku: 1}, "too small")

    left = [e for e in outbox.pending(NOW + timedelta(minutes=1), 200) if e.data.get("return_id") == item.id]
    assert [e.type for e in left] == ["ReturnRequested"]
    outbox.done(left)


def test_a_return_left_received_is_listed_for_the_sweeper_until_it_is_restocked(
    world: dict[str, Any],  # noqa: F811
) -> None:
    order, sku = _delivered(world, quantity=1)
    service, repo, _ = _returns(world, order)
    item = _received_not_restocked(service, repo, order, sku)
    assert item.id in {r.id for r in repo.received_before(NOW + timedelta(minutes=1), 100)}
    assert item.id not in {r.id for r in repo.received_before(NOW - timedelta(minutes=1), 100)}

    service.finish_received(grace=timedelta(minutes=-1))

    assert item.id not in {r.id for r in repo.received_before(NOW + timedelta(minutes=1), 100)}
    assert repo.get(item.id).status is ReturnStatus.REFUNDED  # type: ignore[union-attr]
    assert _on_hand(world, sku) == (5, 0)
