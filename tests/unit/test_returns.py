"""Returns with in-memory fakes: requests never ask back more units than were bought, and a receipt
restocks only what it refunds, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from unittest.mock import patch

import pytest

from commerce.domain.errors import Conflict, DependencyFailed, InvalidState, ValidationFailed
from commerce.domain.order import Order, OrderStatus
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.domain.returns import Return, ReturnStatus
from commerce.services.outbox import OutboxRelay
from commerce.services.returns import Returns
from tests.concurrency import at_once
from tests.fakes.returns import InMemoryReturns

from .test_after_sales import World

ADMIN = roles_from(DEFAULT_ROLES).authority({"admin"})


class ReturnsWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.returns_repo = InMemoryReturns()
        relay = OutboxRelay(self.returns_repo.outbox, self.shop.events, self.shop.clock)
        self.returns = Returns(self.returns_repo, self.after_sales, relay, self.shop.clock)

    def delivered(self, quantity: int = 1) -> Order:
        order = self.paid(quantity)
        delivered = replace(order.noted(self.shop.clock(), "order_delivered"), status=OrderStatus.DELIVERED)
        self.shop.orders.save(delivered, order.version)
        return delivered

    def refunded_at_provider(self) -> int:
        return sum(amount for _, amount in self.shop.payments.refunds.values())

    def received_not_restocked(self) -> Return:
        """A return of a delivered unit, refunded at receipt by a process that stopped before the restock."""
        item = self.returns.request(self.delivered(quantity=1), {"RUN-40": 1}, "too small")
        crash = DependencyFailed("the process stopped")
        with patch.object(self.returns_repo, "restock", side_effect=crash), pytest.raises(DependencyFailed):
            self.returns.receive(item.id, "paris", None, "staff-1", authority=ADMIN)
        return item


@pytest.fixture
def world() -> ReturnsWorld:
    return ReturnsWorld()


def test_ten_concurrent_requests_for_the_only_unit_make_exactly_one_return(world: ReturnsWorld) -> None:
    order = world.delivered(quantity=1)

    def ask() -> object:
        try:
            return world.returns.request(order, {"RUN-40": 1}, "too small")
        except ValidationFailed as refused:
            return refused

    answers = at_once(ask, callers=10, seconds=10)

    assert len(world.returns_repo.for_order(order.id)) == 1
    assert sum(not isinstance(a, ValidationFailed) for a in answers) == 1 and len(answers) == 10
    assert world.returns_repo.returned[(order.id, "RUN-40")] == 1


def test_a_request_that_loses_the_race_counts_again_and_takes_what_is_left(world: ReturnsWorld) -> None:
    order = world.delivered(quantity=2)
    first = world.returns.request(order, {"RUN-40": 1}, "too small")
    real_add = world.returns_repo.add
    calls = []

    def stale_then_real(item, before, events):  # type: ignore[no-untyped-def]
        calls.append(dict(before))
        if len(calls) == 1:
            raise Conflict("a return of this order was asked for meanwhile")
        real_add(item, before, events)

    world.returns_repo.add = stale_then_real  # type: ignore[method-assign]

    second = world.returns.request(order, {"RUN-40": 1}, "too big")

    assert calls == [{"RUN-40": 1}, {"RUN-40": 1}]
    assert first.refund_due + second.refund_due == sum(
        line.line_total.amount + (line.tax.amount if line.tax and not order.totals.tax_included else 0)
        for line in order.lines
    )
    with pytest.raises(ValidationFailed):
        world.returns.request(order, {"RUN-40": 1}, "third")


def test_receiving_a_return_refunds_it_then_restocks_it_and_announces_it_once(world: ReturnsWorld) -> None:
    order = world.delivered(quantity=1)
    item = world.returns.request(order, {"RUN-40": 1}, "too small")

    done = world.returns.receive(item.id, "paris", None, "staff-1", authority=ADMIN)
    again = world.returns.receive(item.id, "paris", None, "staff-1", authority=ADMIN)

    assert done.status is ReturnStatus.REFUNDED and done.refunded == item.refund_due
    assert again == done
    assert world.refunded_at_provider() == item.refund_due
    assert world.returns_repo.restocked == {("RUN-40", "paris"): 1}
    kinds = [e.type for e in world.returns_repo.written]
    assert kinds == ["ReturnRequested", "ReturnReceived"]
    published = [e.type for e in world.shop.events.published if e.type.startswith("Return")]
    assert published == kinds and world.returns_repo.outbox.entries == {}


def test_a_refused_refund_puts_nothing_on_hand_and_leaves_the_return_requested(world: ReturnsWorld) -> None:
    order = world.delivered(quantity=1)
    item = world.returns.request(order, {"RUN-40": 1}, "too small")
    world.moved(world.after_sales.get(order.id), OrderStatus.DISPUTED)  # a chargeback came first

    with pytest.raises(InvalidState):
        world.returns.receive(item.id, "paris", None, "staff-1", authority=ADMIN)

    assert world.returns_repo.get(item.id).status is ReturnStatus.REQUESTED  # type: ignore[union-attr]
    assert world.returns_repo.restocked == {} and world.refunded_at_provider() == 0


def test_a_crash_between_the_refund_and_the_restock_is_finished_by_the_next_receipt_once(
    world: ReturnsWorld,
) -> None:
    item = world.received_not_restocked()
    assert world.returns_repo.get(item.id).status is ReturnStatus.RECEIVED  # type: ignore[union-attr]
    assert world.returns_repo.restocked == {} and world.refunded_at_provider() == item.refund_due

    done = world.returns.receive(item.id, "elsewhere", 1, "staff-2", authority=ADMIN)

    assert done.status is ReturnStatus.REFUNDED and done.refunded == item.refund_due  # the agreed amount
    assert world.refunded_at_provider() == item.refund_due  # refunded once
    assert world.returns_repo.restocked == {("RUN-40", "paris"): 1}  # where it arrived, once


def test_a_provider_outage_leaves_the_return_received_unstocked_for_a_retry(world: ReturnsWorld) -> None:
    order = world.delivered(quantity=1)
    item = world.returns.request(order, {"RUN-40": 1}, "too small")
    world.shop.payments.fail_next = DependencyFailed("stripe is down")

    with pytest.raises(DependencyFailed):
        world.returns.receive(item.id, "paris", 500, "staff-1", authority=ADMIN)

    assert world.returns_repo.get(item.id).status is ReturnStatus.RECEIVED  # type: ignore[union-attr]
    assert world.returns_repo.restocked == {}
    done = world.returns.receive(item.id, "paris", None, "staff-1", authority=ADMIN)
    assert done.refunded == 500 and world.refunded_at_provider() == 500
    assert world.returns_repo.restocked == {("RUN-40", "paris"): 1}


def test_a_refund_above_what_is_due_is_refused_before_anything_moves(world: ReturnsWorld) -> None:
    order = world.delivered(quantity=1)
    item = world.returns.request(order, {"RUN-40": 1}, "too small")

    with pytest.raises(ValidationFailed):
        world.returns.receive(item.id, "paris", item.refund_due + 1, "staff-1", authority=ADMIN)

    assert world.returns_repo.get(item.id).status is ReturnStatus.REQUESTED  # type: ignore[union-attr]


def test_the_sweeper_finishes_a_return_a_crash_left_received_after_the_grace_once(
    world: ReturnsWorld,
) -> None:
    item = world.received_not_restocked()
    assert world.returns.finish_received() == 0  # within the grace: a receipt may still be running

    world.shop.clock.advance(timedelta(minutes=6))
    finished = world.returns.finish_received()

    assert finished == 1 and world.returns.finish_received() == 0
    assert world.returns_repo.get(item.id).status is ReturnStatus.REFUNDED  # type: ignore[union-attr]
    assert world.returns_repo.restocked == {("RUN-40", "paris"): 1}
    assert world.refunded_at_provider() == item.refund_due
