"""The lifecycle table: the one place that says which move an order may make, who may make it, and the
document generated from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commerce.domain.errors import InvalidState
from commerce.domain.lifecycle import (
    FINAL,
    TRANSITIONS,
    Actor,
    OrderStatus,
    allowed,
    generated_section,
    next_statuses,
)
from commerce.domain.order import Order
from commerce.domain.refunds import SHIPPED_STATUSES, AlreadyShipped, check_cancellable
from local.tools.lifecycle_doc import documented

from .test_after_sales import World

DOC = Path(__file__).resolve().parents[2] / "docs" / "order-lifecycle.md"
NOW = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.fixture
def order() -> Order:
    return World().paid()


def test_the_documented_table_and_diagram_are_the_ones_the_code_enforces() -> None:
    assert documented(DOC.read_text(encoding="utf-8")) == generated_section(), (
        "docs/order-lifecycle.md is stale: run python -m local.tools.lifecycle_doc --write"
    )


def test_every_status_is_reachable_from_checkout_and_only_cancelled_is_final() -> None:
    reached, frontier = {OrderStatus.PENDING_PAYMENT}, [OrderStatus.PENDING_PAYMENT]
    while frontier:
        for status in next_statuses(frontier.pop()):
            if status not in reached:
                reached.add(status)
                frontier.append(status)
    assert reached == set(OrderStatus)
    assert {OrderStatus.CANCELLED} == FINAL


def test_each_move_appears_once_and_names_who_may_make_it() -> None:
    moves = [(t.source, t.target) for t in TRANSITIONS]
    assert len(moves) == len(set(moves))
    assert all(t.by for t in TRANSITIONS)


def test_a_move_the_table_does_not_hold_is_a_409_naming_the_current_status(order: Order) -> None:
    with pytest.raises(InvalidState) as refused:
        order.moved_to(OrderStatus.DELIVERED, NOW, "order_delivered")

    assert refused.value.status == 409
    assert refused.value.extensions["current_status"] == "paid"
    assert "order" in refused.value.detail and "is paid" in refused.value.detail


def test_a_move_made_by_someone_the_table_does_not_name_is_refused(order: Order) -> None:
    with pytest.raises(InvalidState) as refused:
        order.cancelling(NOW, "cancelled_by_customer", by=Actor.CARRIER)

    assert "by carrier" in refused.value.detail
    assert order.cancelling(NOW, "cancelled_by_customer", by=Actor.BUYER).status is OrderStatus.CANCELLING


def test_a_paid_order_is_cancelled_only_through_cancelling(order: Order) -> None:
    assert not allowed(OrderStatus.PAID, OrderStatus.CANCELLED)
    assert not allowed(OrderStatus.FULFILLING, OrderStatus.CANCELLED)
    cancelling = order.cancelling(NOW, "cancelled_by_customer", by=Actor.BUYER)
    assert cancelling.cancelled(NOW, "cancelled_by_customer", Actor.SWEEPER).status is OrderStatus.CANCELLED


def test_a_carrier_event_never_moves_a_cancelling_order() -> None:
    assert not any(allowed(OrderStatus.CANCELLING, target, Actor.CARRIER) for target in OrderStatus)
    assert not any(allowed(OrderStatus.CANCELLED, target) for target in OrderStatus)


@pytest.mark.parametrize("before", sorted(SHIPPED_STATUSES))
def test_a_won_dispute_returns_a_shipped_order_to_its_status_and_never_makes_it_cancellable(
    order: Order, before: OrderStatus
) -> None:
    assert allowed(before, OrderStatus.DISPUTED, Actor.STRIPE)
    assert allowed(OrderStatus.DISPUTED, before, Actor.STRIPE)
    assert not allowed(OrderStatus.DISPUTED, OrderStatus.CANCELLING)
    assert not allowed(OrderStatus.DISPUTED, OrderStatus.CANCELLED)

    with pytest.raises(AlreadyShipped):
        check_cancellable(replace(order, status=before))
    with pytest.raises(InvalidState):
        check_cancellable(replace(order, status=OrderStatus.DISPUTED))
