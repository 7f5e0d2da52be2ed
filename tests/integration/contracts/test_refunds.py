"""The RefundLedger and PendingRefunds: money refunded never adds up to more than was captured, a refund id
counts once, and a pending refund moves with its order in one step or not at all."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.refunds import DynamoPendingRefunds, DynamoRefundLedger
from commerce.domain.errors import Conflict
from commerce.domain.order import OrderStatus
from commerce.domain.refunds import PendingRefund, RefundCompletion, RefundExceedsCaptured
from commerce.services.order_workflow import order_cancelled
from tests.fakes.refunds import InMemoryPendingRefunds, InMemoryRefundLedger

from .conftest import NOW, Shop, paid, take_pending


@pytest.fixture
def ledger(shop: Shop) -> Any:
    return shop.build(InMemoryRefundLedger, DynamoRefundLedger, clock=lambda: NOW)


@pytest.fixture
def pending(shop: Shop, ledger: Any) -> Any:
    return shop.build(
        lambda: InMemoryPendingRefunds(shop.orders, shop.stock, ledger, shop.outbox),
        DynamoPendingRefunds,
        orders=shop.orders,
        clock=lambda: NOW,
    )


def an_order_id() -> str:
    return f"o-{uuid.uuid4().hex}"


def a_refund(order_id: str, amount: int, refund_id: str = "cancel") -> PendingRefund:
    return PendingRefund(order_id, refund_id, amount, f"pi_{order_id}", NOW)


def test_reserving_refunds_adds_them_up_and_a_refund_id_counts_once(ledger: Any) -> None:
    order_id = an_order_id()

    assert ledger.reserve(order_id, "r1", 300, 1000) == 300
    assert ledger.reserve(order_id, "r2", 200, 1000) == 500
    assert ledger.reserve(order_id, "r1", 300, 1000) == 500

    assert ledger.refunded(order_id) == 500
    assert ledger.reserved(order_id, "r1") == 300


def test_a_refund_beyond_what_was_captured_is_refused_and_counts_nothing(ledger: Any) -> None:
    order_id = an_order_id()
    ledger.reserve(order_id, "r1", 800, 1000)

    with pytest.raises(RefundExceedsCaptured):
        ledger.reserve(order_id, "r2", 201, 1000)
    with pytest.raises(RefundExceedsCaptured):
        ledger.reserve(an_order_id(), "r1", 1001, 1000)

    assert ledger.refunded(order_id) == 800
    assert ledger.reserved(order_id, "r2") is None


def test_an_order_never_refunded_has_refunded_nothing(ledger: Any) -> None:
    order_id = an_order_id()

    assert ledger.refunded(order_id) == 0
    assert ledger.refunded_by_bank(order_id) == 0
    assert ledger.reserved(order_id, "r1") is None


def test_money_refunded_outside_the_shop_is_recorded_once_against_the_sum_read(ledger: Any) -> None:
    order_id = an_order_id()
    ledger.reserve(order_id, "r1", 100, 1000)

    with pytest.raises(Conflict):
        ledger.record_outside(order_id, "re_bank", 250, 0, by_bank=True)
    assert ledger.record_outside(order_id, "re_bank", 250, 100, by_bank=True) is True
    assert ledger.record_outside(order_id, "re_bank", 250, 350, by_bank=True) is False

    assert ledger.refunded(order_id) == 350
    assert ledger.refunded_by_bank(order_id) == 250


def test_a_refund_begun_with_its_order_waits_pending_and_finishes_once(
    shop: Shop, ledger: Any, pending: Any
) -> None:
    order, _ = paid(shop)
    refund = a_refund(order.id, 600)
    asked = order.noted(NOW, "refund_requested")

    pending.begin(refund, 1000, asked, order.version)

    assert pending.get(order.id, "cancel") == refund
    assert refund in pending.pending(NOW + timedelta(seconds=1), 1000)
    assert ledger.refunded(order.id) == 600 and shop.orders.get(order.id) == asked

    done = asked.noted(NOW, "refund_sent")
    event = order_cancelled(done, NOW)
    pending.finish(RefundCompletion(refund, done, asked.version, [event]))
    with pytest.raises(Conflict):
        pending.finish(RefundCompletion(refund, done.noted(NOW, "again"), done.version, []))

    assert pending.get(order.id, "cancel") is None
    assert refund not in pending.pending(NOW + timedelta(seconds=1), 1000)
    assert shop.orders.get(order.id) == done
    assert take_pending(shop, [event]) == [event]


def test_a_refund_begun_on_a_stale_order_reserves_nothing(shop: Shop, ledger: Any, pending: Any) -> None:
    order, _ = paid(shop)
    shop.orders.save(order.noted(NOW, "elsewhere"), order.version)

    with pytest.raises(Conflict):
        pending.begin(a_refund(order.id, 600), 1000, order.noted(NOW, "refund_requested"), order.version)

    assert ledger.refunded(order.id) == 0
    assert pending.get(order.id, "cancel") is None


def test_a_refund_beyond_the_capture_is_refused_before_anything_is_written(
    shop: Shop, ledger: Any, pending: Any
) -> None:
    order, _ = paid(shop)
    pending.begin(a_refund(order.id, 700, "goodwill-1"), 1000, None, 0)

    with pytest.raises(RefundExceedsCaptured):
        pending.begin(a_refund(order.id, 400), 1000, order.noted(NOW, "refund_requested"), order.version)

    assert ledger.refunded(order.id) == 700
    assert shop.orders.get(order.id) == order


def test_an_abandoned_refund_gives_its_amount_back_once(shop: Shop, ledger: Any, pending: Any) -> None:
    order, _ = paid(shop)
    refund = a_refund(order.id, 600)
    pending.begin(refund, 1000, None, 0)

    pending.abandon(refund, None, 0)
    with pytest.raises(Conflict):
        pending.abandon(refund, None, 0)

    assert ledger.refunded(order.id) == 0
    assert pending.get(order.id, "cancel") is None


def test_a_cancelled_order_finished_with_restock_puts_its_units_back_on_hand(
    shop: Shop, pending: Any
) -> None:
    order, sku = paid(shop, units=2)
    refund = a_refund(order.id, 2000)
    pending.begin(refund, 2000, None, 0)
    cancelled = replace(order.noted(NOW, "order_cancelled"), status=OrderStatus.CANCELLED)

    pending.finish(RefundCompletion(refund, cancelled, order.version, [], restock=True))

    assert shop.stock.available([sku]) == {sku: 6}
    assert shop.orders.get(order.id) == cancelled


def test_an_order_s_refunds_are_listed_with_what_became_of_each(
    shop: Shop, ledger: Any, pending: Any
) -> None:
    order, _ = paid(shop)
    sent = replace(a_refund(order.id, 300, "goodwill-a"), detail="goodwill by staff-7: late")
    waiting = replace(a_refund(order.id, 200, "goodwill-b"), requested_at=NOW + timedelta(minutes=1))
    pending.begin(sent, 1000, None, 0)
    pending.finish(RefundCompletion(sent, order.noted(NOW, "refund_issued"), order.version, []))
    pending.begin(waiting, 1000, None, 0)
    ledger.record_outside(order.id, "re_dashboard", 100, 500)

    listed = {r.id: (r.amount, r.status, r.reason) for r in ledger.for_order(order.id)}

    assert listed == {
        "goodwill-a": (300, "refunded", "goodwill by staff-7: late"),
        "goodwill-b": (200, "pending", ""),
        "re_dashboard": (100, "refunded_outside_shop", "outside_shop"),
    }
    assert ledger.for_order(an_order_id()) == []
