"""Cancellation before shipment, goodwill and return refunds, with in-memory fakes: money leaves only from a
committed state, and a crash anywhere is finished by the sweeper with no refund lost or made twice."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from unittest.mock import patch

import pytest

from commerce.adapters.carriers import SimulatedCarrier
from commerce.domain.errors import Conflict, DependencyFailed, Forbidden, InvalidState
from commerce.domain.fulfillment import Shipment, ShipmentStatus
from commerce.domain.lifecycle import Actor
from commerce.domain.order import Order, OrderStatus, StockState
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.domain.refunds import AlreadyShipped, RefundExceedsCaptured
from commerce.domain.returns import Return, ReturnLine, ReturnStatus
from commerce.services.after_sales import AfterSales
from commerce.services.fulfillment import CarrierEvents, Fulfillment, TrackingUpdate
from commerce.services.outbox import OutboxRelay
from commerce.services.returns import Returns
from tests.concurrency import at_once
from tests.fakes.outbox import InMemoryOutbox
from tests.fakes.refunds import InMemoryPendingRefunds, InMemoryRefundLedger
from tests.fakes.returns import InMemoryReturns
from tests.fakes.shipping import InMemoryParcels, InMemoryShipments

from .checkout_world import Shop
from .test_order_workflow import paid_by_provider, place

ROLES = roles_from(DEFAULT_ROLES)
ADMIN = ROLES.authority({"admin"})


class World:
    def __init__(self) -> None:
        self.shop = Shop()
        self.shop.stock.receive("RUN-40", "paris", 10, "initial")
        self.ledger = InMemoryRefundLedger()
        self.outbox = InMemoryOutbox()
        self.refunds = InMemoryPendingRefunds(self.shop.orders, self.shop.stock, self.ledger, self.outbox)
        self.shipments = InMemoryShipments(self.shop.orders, self.shop.stock)
        self.parcels = InMemoryParcels()
        carrier = SimulatedCarrier(parcels=self.parcels)
        self.after_sales = AfterSales(
            orders=self.shop.orders,
            ledger=self.ledger,
            refunds=self.refunds,
            payments=self.shop.payments,
            relay=OutboxRelay(self.outbox, self.shop.events, self.shop.clock),
            clock=self.shop.clock,
            shipments=self.shipments,
            carrier=carrier,
        )
        self.fulfillment = Fulfillment(
            self.shop.orders,
            self.shipments,
            carrier,
            self.shop.events,
            self.shop.workflow_engine,
            self.shop.clock,
            {"paris": "FR"},
        )
        self.tracking = CarrierEvents(
            self.shop.orders, self.shipments, self.shop.relay, self.shop.workflow_engine, self.shop.clock
        )

    def paid(self, quantity: int = 2) -> Order:
        order = place(self.shop, {"RUN-40": quantity})
        paid_by_provider(self.shop, order)
        assert self.shop.order_workflow.confirm(order.id)["status"] == "paid"
        return self.after_sales.get(order.id)

    def fulfilling(self) -> tuple[Order, str]:
        order = self.paid()
        (shipment,) = self.fulfillment.fulfill(order.id)
        return self.after_sales.get(order.id), shipment.tracking_number

    def scanned_by_carrier(self, tracking_number: str) -> str:
        """The carrier scans the parcel (refused once voided) and tells us so."""
        if not self.parcels.scan(tracking_number):
            return "voided"
        update = TrackingUpdate(
            f"evt-{tracking_number}", tracking_number, ShipmentStatus.IN_TRANSIT, self.shop.clock()
        )
        return self.tracking.handle("simulated", update)

    def moved(self, order: Order, status: OrderStatus) -> Order:
        moved = replace(order, status=status, version=order.version + 1)
        self.shop.orders.save(moved, order.version)
        return moved

    def sweep_later(self) -> None:
        self.shop.clock.advance(timedelta(minutes=5))
        self.after_sales.finish_pending(self.shop.clock())


@pytest.fixture
def world() -> World:
    return World()


def test_cancelling_a_paid_order_refunds_it_in_full_puts_the_units_back_and_announces_it(
    world: World,
) -> None:
    order = world.paid(quantity=2)
    assert world.shop.available("RUN-40") == 8

    cancelled = world.after_sales.cancel(order)

    assert cancelled.status is OrderStatus.CANCELLED and cancelled.stock is StockState.RELEASED
    assert cancelled.refunded == order.totals.total.amount
    assert list(world.shop.payments.refunds.values()) == [
        (order.payment_intent_id, order.totals.total.amount)
    ]
    assert world.shop.available("RUN-40") == 10
    assert world.shop.events.types()[-2:] == ["OrderCancelled", "RefundIssued"]
    assert world.outbox.entries == {}  # delivered, so nothing left for the sweeper
    assert [e.event for e in cancelled.timeline[-2:]] == ["cancel_requested", "order_cancelled"]


def test_cancelling_twice_refunds_once(world: World) -> None:
    order = world.paid()
    world.after_sales.cancel(order)
    again = world.after_sales.cancel(world.after_sales.get(order.id))

    assert again.status is OrderStatus.CANCELLED
    assert len(world.shop.payments.refunds) == 1
    assert world.shop.available("RUN-40") == 10


@pytest.mark.parametrize(
    "status", [OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]
)
def test_an_order_that_shipped_cannot_be_cancelled_and_the_refusal_says_why(
    world: World, status: OrderStatus
) -> None:
    order = world.moved(world.paid(), status)

    with pytest.raises(AlreadyShipped) as refused:
        world.after_sales.cancel(order)

    assert refused.value.status == 409 and refused.value.extensions["reason"] == status.value
    assert world.shop.payments.refunds == {}


def test_a_cancel_voids_the_carriers_booking_so_the_parcel_can_no_longer_be_scanned(world: World) -> None:
    order, tracking = world.fulfilling()

    cancelled = world.after_sales.cancel(order)

    assert cancelled.status is OrderStatus.CANCELLED
    assert world.parcels.states[tracking] == "voided"
    assert world.scanned_by_carrier(tracking) == "voided"
    assert world.after_sales.get(order.id).status is OrderStatus.CANCELLED


def test_a_cancel_after_the_carrier_scanned_the_parcel_is_refused_and_refunds_nothing(world: World) -> None:
    order, tracking = world.fulfilling()
    assert world.parcels.scan(tracking)  # the carrier has the parcel; its webhook is still on its way

    with pytest.raises(AlreadyShipped) as refused:
        world.after_sales.cancel(order)

    assert refused.value.status == 409 and refused.value.extensions["reason"] == "carrier_has_parcel"
    assert world.shop.payments.refunds == {} and world.ledger.refunded(order.id) == 0
    after = world.after_sales.get(order.id)
    assert after.status is OrderStatus.FULFILLING and after.refunded == 0
    assert after.timeline[-1].event == "cancel_withdrawn"
    assert world.refunds.waiting == {}
    assert world.scanned_by_carrier(tracking) == "applied"
    assert world.after_sales.get(order.id).status is OrderStatus.SHIPPED


def test_a_scan_recorded_while_cancelling_sends_the_order_back_to_shipped_with_nothing_refunded(
    world: World,
) -> None:
    order, _ = world.fulfilling()
    real_void = world.parcels.void

    def scanned_just_before_the_void(number: str) -> bool:
        world.scanned_by_carrier(number)  # recorded on the shipment while the order is cancelling
        return real_void(number)

    world.parcels.void = scanned_just_before_the_void  # type: ignore[method-assign]

    with pytest.raises(AlreadyShipped):
        world.after_sales.cancel(order)

    after = world.after_sales.get(order.id)
    assert after.status is OrderStatus.SHIPPED and after.refunded == 0
    assert world.shop.payments.refunds == {} and world.ledger.refunded(order.id) == 0


def test_a_cancel_stopped_before_the_refund_is_finished_by_the_sweeper_with_one_refund(world: World) -> None:
    order = world.paid()
    world.shop.payments.fail_next = DependencyFailed("Stripe is down")

    with pytest.raises(DependencyFailed):
        world.after_sales.cancel(order)
    stuck = world.after_sales.get(order.id)
    assert stuck.status is OrderStatus.CANCELLING and world.shop.payments.refunds == {}

    world.sweep_later()

    done = world.after_sales.get(order.id)
    assert done.status is OrderStatus.CANCELLED and done.refunded == order.totals.total.amount
    assert list(world.shop.payments.refunds.values()) == [
        (order.payment_intent_id, order.totals.total.amount)
    ]
    assert world.shop.available("RUN-40") == 10


def test_a_crash_between_the_stripe_refund_and_the_save_is_finished_by_the_sweeper_without_a_second_refund(
    world: World,
) -> None:
    order = world.paid()
    killed = RuntimeError("the function was killed")
    with patch.object(world.refunds, "finish", side_effect=killed), pytest.raises(RuntimeError):
        world.after_sales.cancel(order)
    assert len(world.shop.payments.refunds) == 1
    assert world.after_sales.get(order.id).status is OrderStatus.CANCELLING

    world.sweep_later()

    done = world.after_sales.get(order.id)
    assert done.status is OrderStatus.CANCELLED and done.refunded == order.totals.total.amount
    assert len(world.shop.payments.refunds) == 1
    assert world.ledger.refunded(order.id) == order.totals.total.amount
    assert world.shop.events.types().count("RefundIssued") == 1
    assert world.shop.available("RUN-40") == 10


def test_a_goodwill_refund_is_partial_and_a_second_with_the_same_key_refunds_nothing_more(
    world: World,
) -> None:
    order = world.paid()
    first = world.after_sales.goodwill_refund(order.id, 500, "key-1", "late parcel", "admin", authority=ADMIN)
    again = world.after_sales.goodwill_refund(order.id, 500, "key-1", "late parcel", "admin", authority=ADMIN)

    assert first.refunded == again.refunded == 500
    assert len(world.shop.payments.refunds) == 1
    assert world.after_sales.get(order.id).refunded == 500
    assert world.shop.events.types().count("RefundIssued") == 1


def test_a_goodwill_refund_that_crashed_after_stripe_is_recorded_once_by_the_sweeper(world: World) -> None:
    order = world.paid()
    killed = RuntimeError("the function was killed")
    with patch.object(world.refunds, "finish", side_effect=killed), pytest.raises(RuntimeError):
        world.after_sales.goodwill_refund(order.id, 700, "k", "sorry", "admin", authority=ADMIN)
    assert world.after_sales.get(order.id).refunded == 0 and len(world.shop.payments.refunds) == 1

    world.sweep_later()

    assert world.after_sales.get(order.id).refunded == 700
    assert len(world.shop.payments.refunds) == 1 and world.ledger.refunded(order.id) == 700
    assert world.shop.events.types().count("RefundIssued") == 1


def test_a_refund_the_provider_refuses_for_good_gives_its_reservation_back(world: World) -> None:
    order = world.paid()
    world.shop.payments.fail_next = InvalidState("the charge was disputed")

    with pytest.raises(InvalidState):
        world.after_sales.goodwill_refund(order.id, 100, "k", "goodwill", "admin", authority=ADMIN)

    assert world.ledger.refunded(order.id) == 0 and world.refunds.waiting == {}


def test_refunds_never_add_up_to_more_than_was_captured(world: World) -> None:
    order = world.paid()
    total = order.totals.total.amount
    world.after_sales.goodwill_refund(order.id, total - 100, "a", "goodwill", "admin", authority=ADMIN)

    with pytest.raises(RefundExceedsCaptured):
        world.after_sales.goodwill_refund(order.id, 101, "b", "goodwill", "admin", authority=ADMIN)
    world.after_sales.goodwill_refund(order.id, None, "c", "the rest", "admin", authority=ADMIN)

    assert world.ledger.refunded(order.id) == total


def test_concurrent_refunds_of_sixty_percent_each_let_exactly_one_through(world: World) -> None:
    order = world.paid()
    share = order.totals.total.amount * 6 // 10
    outcomes: list[str] = []

    def refund(key: str) -> None:
        try:
            world.after_sales.goodwill_refund(order.id, share, key, "race", "admin", authority=ADMIN)
            outcomes.append("refunded")
        except RefundExceedsCaptured:
            outcomes.append("refused")
        except Conflict:
            outcomes.append("busy")

    threads = [threading.Thread(target=refund, args=(f"k{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("refunded") == 1
    assert world.ledger.refunded(order.id) == share == world.after_sales.get(order.id).refunded


def test_a_full_goodwill_refund_retried_with_its_key_answers_the_same(world: World) -> None:
    order = world.paid()
    first = world.after_sales.goodwill_refund(order.id, None, "all", "sorry", "admin", authority=ADMIN)
    again = world.after_sales.goodwill_refund(order.id, None, "all", "sorry", "admin", authority=ADMIN)

    assert first.amount == again.amount == order.totals.total.amount
    assert len(world.shop.payments.refunds) == 1


def _support_limit(order: Order) -> int:
    return ROLES.authority({"support"}).refund_limits[order.currency]


def test_support_refunds_up_to_its_limit_and_is_refused_above_it_before_any_money_moves(world: World) -> None:
    order = world.paid(quantity=2)
    support = ROLES.authority({"support"})
    limit = _support_limit(order)
    assert order.totals.total.amount > limit + 1, "the order must be worth more than support may refund"

    world.after_sales.goodwill_refund(order.id, limit, "small", "sorry", "support-1", authority=support)
    with pytest.raises(Forbidden) as refused:
        world.after_sales.goodwill_refund(order.id, 1, "one-more", "sorry", "support-1", authority=support)

    assert refused.value.status == 403 and "refunds:any" in refused.value.detail
    assert world.ledger.refunded(order.id) == limit
    assert len(world.shop.payments.refunds) == 1


def test_a_refund_above_the_support_limit_goes_through_for_an_admin(world: World) -> None:
    order = world.paid(quantity=2)
    above = _support_limit(order) + 1

    with pytest.raises(Forbidden):
        world.after_sales.goodwill_refund(
            order.id, above, "k", "x", "s", authority=ROLES.authority({"support"})
        )
    refunded = world.after_sales.goodwill_refund(order.id, above, "k", "x", "a", authority=ADMIN)

    assert refunded.amount == above


def test_whoever_lacks_the_refunds_permission_refunds_nothing(world: World) -> None:
    order = world.paid()
    for groups in ({"customer"}, set(), {"support,admin"}):
        with pytest.raises(Forbidden):
            world.after_sales.goodwill_refund(order.id, 1, "k", "x", "s", authority=ROLES.authority(groups))
    assert world.shop.payments.refunds == {}


def test_receiving_a_return_whose_refund_passes_the_receivers_limit_is_refused_before_it_is_received(
    world: World,
) -> None:
    order = world.paid(quantity=2)
    store = InMemoryReturns()
    returns = Returns(
        store,
        world.after_sales,
        OutboxRelay(store.outbox, world.shop.events, world.shop.clock),
        world.shop.clock,
    )
    line = ReturnLine("RUN-40", 2, order.totals.total.amount)
    store.add(Return("ret-1", order.id, (line,), "too small", world.shop.clock()), {}, [])
    warehouse = roles_from(
        {"warehouse": {"permissions": ["orders:manage", "refunds"], "refund_limits": {order.currency: 1000}}}
    ).authority({"warehouse"})

    with pytest.raises(Forbidden):
        returns.receive("ret-1", "paris", None, "clerk-1", authority=warehouse)
    assert store.returns["ret-1"].status is ReturnStatus.REQUESTED
    assert world.shop.payments.refunds == {}

    received = returns.receive("ret-1", "paris", 1000, "clerk-1", authority=warehouse)

    assert (received.status, received.refunded) == (ReturnStatus.REFUNDED, 1000)


def test_a_return_refund_is_recorded_once_whatever_the_retries(world: World) -> None:
    order = world.moved(world.paid(), OrderStatus.DELIVERED)

    first = world.after_sales.refund_return(order.id, "r1", 1000)
    again = world.after_sales.refund_return(order.id, "r1", 1000)

    assert first.refunded == again.refunded == 1000
    assert len(world.shop.payments.refunds) == 1
    assert world.after_sales.get(order.id).refunded == 1000


def test_a_cancelled_order_cannot_be_refunded_again_by_a_cancel_after_a_goodwill_refund(
    world: World, authority=ADMIN
) -> None:
    order = world.paid()
    world.after_sales.goodwill_refund(order.id, 1000, "g", "sorry", "admin", authority=ADMIN)

    cancelled = world.after_sales.cancel(world.after_sales.get(order.id))

    assert cancelled.refunded == order.totals.total.amount
    assert sorted(amount for _, amount in world.shop.payments.refunds.values()) == sorted(
        [1000, order.totals.total.amount - 1000]
    )


def test_an_order_the_shop_cancelled_cannot_be_cancelled_again_by_its_buyer(world: World) -> None:
    order = place(world.shop, {"RUN-40": 1})
    world.shop.order_workflow.compensate(order.id, "payment_timeout")

    with pytest.raises(InvalidState) as refused:
        world.after_sales.cancel(world.after_sales.get(order.id))

    assert refused.value.extensions["reason"] == "cancelled"
    assert world.shop.payments.refunds == {}


def test_two_cancels_at_once_refund_once_and_both_answer_cancelled(world: World) -> None:
    order, _ = world.fulfilling()
    answers: list[str] = []

    def cancel() -> None:
        answers.append(world.after_sales.cancel(order).status.value)

    threads = [threading.Thread(target=cancel) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == ["cancelled"] * 4
    assert len(world.shop.payments.refunds) == 1
    assert world.shop.available("RUN-40") == 10


def test_a_scan_landing_while_the_cancel_is_being_withdrawn_still_leaves_the_order_shipped(
    world: World,
) -> None:
    order, tracking = world.fulfilling()
    assert world.parcels.scan(tracking)  # the carrier has the parcel: the void will be refused
    real_for_order = world.shipments.for_order
    reads: list[str] = []

    def webhook_lands_after_the_withdraw_read(order_id: str) -> list[Shipment]:
        found = real_for_order(order_id)
        reads.append(order_id)
        if len(reads) == 2:  # the withdraw read the shipments; the webhook commits before its write
            update = TrackingUpdate("evt-late", tracking, ShipmentStatus.IN_TRANSIT, world.shop.clock())
            assert world.tracking.handle("simulated", update) == "applied"
        return found

    world.shipments.for_order = webhook_lands_after_the_withdraw_read  # type: ignore[method-assign]
    with pytest.raises(AlreadyShipped):
        world.after_sales.cancel(order)
    world.shipments.for_order = real_for_order  # type: ignore[method-assign]

    after = world.after_sales.get(order.id)
    assert after.status is OrderStatus.SHIPPED and after.refunded == 0
    assert world.shop.payments.refunds == {} and world.ledger.refunded(order.id) == 0


def test_staff_cancel_a_paid_order_with_their_reason_on_its_timeline_refunded_and_restocked(
    world: World,
) -> None:
    order = world.paid(quantity=2)

    cancelled = world.after_sales.cancel(order, Actor.STAFF, "staff-7: the buyer phoned")

    assert cancelled.status is OrderStatus.CANCELLED and cancelled.cancel_reason == "cancelled_by_staff"
    assert cancelled.refunded == order.totals.total.amount
    assert world.shop.available("RUN-40") == 10
    assert world.shop.events.types()[-2:] == ["OrderCancelled", "RefundIssued"]
    requested = next(e for e in cancelled.timeline if e.event == "cancel_requested")
    assert requested.detail == "cancelled_by_staff: staff-7: the buyer phoned"
    (refund,) = world.ledger.for_order(order.id)
    assert (refund.status, refund.reason) == ("refunded", "cancelled: staff-7: the buyer phoned")


def test_a_staff_cancel_asked_again_answers_the_same_and_refunds_once(world: World) -> None:
    order = world.paid()

    first = world.after_sales.cancel(order, Actor.STAFF, "staff-7: duplicate order")
    again = world.after_sales.cancel(order, Actor.STAFF, "staff-7: duplicate order")

    assert again == first
    assert len(world.shop.payments.refunds) == 1


def test_a_staff_cancel_stopped_before_the_refund_is_finished_by_the_sweeper_as_staffs(world: World) -> None:
    order = world.paid()
    world.shop.payments.fail_next = DependencyFailed("Stripe is down")
    with pytest.raises(DependencyFailed):
        world.after_sales.cancel(order, Actor.STAFF, "staff-7: fraud suspected")

    world.sweep_later()

    done = world.after_sales.get(order.id)
    assert done.status is OrderStatus.CANCELLED and done.cancel_reason == "cancelled_by_staff"
    assert len(world.shop.payments.refunds) == 1


def test_staff_cannot_cancel_a_held_order_they_reject_it(world: World) -> None:
    order = world.moved(world.paid(), OrderStatus.ON_HOLD)

    with pytest.raises(InvalidState) as refused:
        world.after_sales.cancel(order, Actor.STAFF, "staff-7: no")

    assert refused.value.extensions["reason"] == "on_hold"
    assert world.shop.payments.refunds == {}


def test_a_staff_cancel_and_the_buyers_at_once_refund_once_and_both_answer_cancelled(world: World) -> None:
    order, _ = world.fulfilling()
    actors, lock = iter([Actor.STAFF, Actor.BUYER] * 2), threading.Lock()

    def cancel() -> str:
        with lock:
            by = next(actors)
        detail = "staff-7: asked by phone" if by is Actor.STAFF else ""
        return world.after_sales.cancel(order, by, detail).status.value

    answers = at_once(cancel, callers=4, seconds=10)

    assert answers == ["cancelled"] * 4
    assert len(world.shop.payments.refunds) == 1
    assert world.ledger.refunded(order.id) == order.totals.total.amount
    assert world.shop.available("RUN-40") == 10
