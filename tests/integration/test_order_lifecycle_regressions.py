"""The step sequences the lifecycle model found, one plain test each: the real services on moto tables built
from template.yaml, Stripe and the carrier played by the doubles in order_world.py."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import CommerceError
from commerce.domain.flags import REFUND_OUTSIDE_SHOP
from commerce.domain.fulfillment import ShipmentStatus
from commerce.domain.order import Order, OrderStatus, StockState
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.services.fulfillment import TrackingUpdate

from .conftest import Stack
from .order_world import LOCATION, Crash, World, signed

ADMIN = roles_from(DEFAULT_ROLES).authority({"admin"})


@dataclass
class Shop:
    world: World
    sku: str
    order_id: str
    intent_id: str
    token: str

    def order(self) -> Order:
        order = self.world.orders.get(self.order_id)
        assert order is not None
        return order

    def stripe_delivers_everything(self) -> None:
        while self.world.stripe.pending:
            body = self.world.stripe.pending.pop(0)
            self.world.payment_events.handle(self.world.verifier.verify(body, signed(body)))
            self.world.stripe.delivered.append(body)

    def workflow_runs(self) -> None:
        """The state machine's next step, once the webhook answered the payment task."""
        answer = self.world.workflow.answers.get(self.token)
        if answer is not None and answer[0] == "success":
            self.world.order_workflow.confirm(self.order_id)

    def paid(self) -> Shop:
        self.world.stripe.capture(self.intent_id)
        self.stripe_delivers_everything()
        self.world.order_workflow.confirm(self.order_id)
        assert self.order().status is OrderStatus.PAID
        return self

    def tracking(self, status: ShipmentStatus) -> None:
        (shipment,) = self.world.shipments_repo.for_order(self.order_id)
        update = TrackingUpdate(
            f"trk_{uuid.uuid4().hex[:8]}", shipment.tracking_number, status, datetime.now(UTC)
        )
        self.world.carrier_events.handle(self.world.carrier_name, update)

    def delivered(self) -> Shop:
        self.world.fulfillment.fulfill(self.order_id)
        self.tracking(ShipmentStatus.IN_TRANSIT)
        self.tracking(ShipmentStatus.DELIVERED)
        assert self.order().status is OrderStatus.DELIVERED
        return self

    def on_hand(self) -> int:
        return sum(level.on_hand for level in self.world.inventory.levels(self.sku))

    def refunded_everywhere(self) -> tuple[int, int, int]:
        """(at Stripe, in the ledger, on the order)."""
        charge = self.world.stripe.of_order(self.intent_id)
        assert charge is not None
        return (
            charge.amount_refunded + charge.lost_to_dispute,
            self.world.refund_ledger.refunded(self.order_id),
            self.order().refunded,
        )

    def sweepers_run(self) -> None:
        """Every sweeper, late enough for its grace period: reservations, pending cancels and refunds,
        received returns, the outbox."""
        later = datetime.now(UTC) + timedelta(hours=2)
        self.world.order_workflow.sweep(later)
        self.world.after_sales.finish_pending(later)
        self.world.returns.finish_received(timedelta(0))
        self.world.relay.sweep(timedelta(0))

    def refund_events(self) -> list[dict[str, object]]:
        return [dict(e.data) for e in self.world.bus.distinct("RefundIssued", self.order_id)]


@pytest.fixture
def shop(stack: Stack) -> Iterator[Shop]:
    yield new_shop()


def test_a_won_dispute_does_not_make_a_delivered_order_cancellable(shop: Shop) -> None:
    shop.paid().delivered()
    on_hand = shop.on_hand()
    shop.world.stripe.open_dispute(shop.intent_id)
    shop.world.stripe.close_dispute(shop.intent_id, "won")
    shop.stripe_delivers_everything()

    with pytest.raises(CommerceError):
        shop.world.after_sales.cancel(shop.order())

    assert shop.order().status is OrderStatus.DELIVERED
    assert shop.refunded_everywhere() == (0, 0, 0)
    assert shop.on_hand() == on_hand  # the unit the buyer holds is not put back on a shelf


def test_a_warning_closed_dispute_restores_the_status_the_order_had(shop: Shop) -> None:
    shop.paid().delivered()
    shop.world.stripe.open_dispute(shop.intent_id)
    shop.world.stripe.close_dispute(shop.intent_id, "warning_closed")
    shop.stripe_delivers_everything()

    assert shop.order().status is OrderStatus.DELIVERED


def test_a_lost_dispute_is_recorded_as_refunded_by_the_bank_with_no_second_refund(shop: Shop) -> None:
    shop.paid().delivered()
    shop.world.stripe.open_dispute(shop.intent_id)
    shop.world.stripe.close_dispute(shop.intent_id, "lost")
    shop.stripe_delivers_everything()

    total = shop.order().totals.total.amount
    assert shop.refunded_everywhere() == (total, total, total)
    with pytest.raises(CommerceError):
        shop.world.after_sales.goodwill_refund(
            shop.order_id, None, "after-lost", "sorry", "staff", authority=ADMIN
        )


def test_a_carrier_scan_of_a_cancelled_order_flags_it_for_staff(shop: Shop) -> None:
    shop.paid()
    shop.world.fulfillment.fulfill(shop.order_id)
    shop.world.after_sales.cancel(shop.order())  # the carrier has the parcel already, unscanned

    shop.tracking(ShipmentStatus.IN_TRANSIT)

    order = shop.order()
    assert "fulfillment_conflict" in order.flags
    assert any(e.type == "OrderFlagged" for e in shop.world.bus.published)


def test_two_return_requests_racing_for_the_only_unit_create_one_return(shop: Shop) -> None:
    shop.paid().delivered()

    def request() -> None:
        shop.world.returns.request(shop.world.after_sales.get(shop.order_id), {shop.sku: 1}, "too small")

    # The second request runs whole between the first one's read of the earlier returns and its write.
    shop.world.faults.arm(call_number_of_a_return_request("returns.add"), race=request)
    with pytest.raises(CommerceError):
        request()

    assert len(shop.world.returns_repo.for_order(shop.order_id)) == 1


def test_receiving_a_return_twice_restocks_and_refunds_it_once(shop: Shop) -> None:
    shop.paid().delivered()
    item = shop.world.returns.request(shop.world.after_sales.get(shop.order_id), {shop.sku: 1}, "too big")
    on_hand = shop.on_hand()

    shop.world.returns.receive(item.id, LOCATION, None, "staff", authority=ADMIN)
    shop.world.returns.receive(item.id, LOCATION, None, "staff", authority=ADMIN)

    assert shop.on_hand() == on_hand + 1
    stripe, ledger, order = shop.refunded_everywhere()
    assert stripe == ledger == order == item.refund_due


def assert_not_paid(shop: Shop) -> None:
    """The order still waits for its payment (or a person), its units still reserved."""
    assert shop.order().status in (OrderStatus.PENDING_PAYMENT, OrderStatus.ON_HOLD)
    assert shop.order().stock is StockState.RESERVED


def test_a_payment_event_for_another_intent_naming_the_order_does_not_pay_it(shop: Shop) -> None:
    stray = shop.world.stripe.add_intent(shop.order_id, 1, "EUR")
    shop.world.stripe.capture(stray.intent_id)

    shop.stripe_delivers_everything()
    shop.workflow_runs()

    assert_not_paid(shop)


def test_a_payment_event_in_another_currency_does_not_pay_the_order(shop: Shop) -> None:
    charge = shop.world.stripe.of_order(shop.intent_id)
    assert charge is not None
    charge.currency = "usd"  # what Stripe says it took, unlike the order
    shop.world.stripe.capture(shop.intent_id)

    shop.stripe_delivers_everything()
    shop.workflow_runs()

    assert_not_paid(shop)


def test_charge_refunded_above_the_capture_records_no_more_than_the_capture_and_flags_it(shop: Shop) -> None:
    shop.paid()
    total = shop.order().totals.total.amount
    body = json.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex[:12]}",
            "object": "event",
            "type": "charge.refunded",
            "created": 1,
            "data": {
                "object": {
                    "id": f"ch_{shop.intent_id}",
                    "object": "charge",
                    "payment_intent": shop.intent_id,
                    "amount_refunded": total + 1,
                    "currency": "eur",
                    "metadata": {"order_id": shop.order_id},
                }
            },
        }
    )
    shop.world.payment_events.handle(shop.world.verifier.verify(body, signed(body)))

    # Stripe's sum is the truth of what left, capped at the capture; the impossible excess is for staff.
    order = shop.order()
    assert (shop.world.refund_ledger.refunded(shop.order_id), order.refunded) == (total, total)
    assert REFUND_OUTSIDE_SHOP in order.flags
    with pytest.raises(CommerceError):
        shop.world.after_sales.goodwill_refund(
            shop.order_id, 1, "one-cent", "sorry", "staff", authority=ADMIN
        )
    assert shop.world.refund_ledger.refunded(shop.order_id) == total


def new_shop() -> Shop:
    world = World.build()
    sku = world.new_sku(3)
    order = world.check_out(sku, 1)
    token = f"payment-{uuid.uuid4().hex[:8]}"
    world.order_workflow.await_payment(order.id, token)
    return Shop(world, sku, order.id, str(order.payment_intent_id), token)


def call_number_of_a_cancel(label: str) -> int:
    """Which adapter call of a paid order's cancel is `label` (counted on a twin order)."""
    twin = new_shop().paid()
    twin.world.faults.arm(999)  # counts, never fires
    twin.world.after_sales.cancel(twin.order())
    return twin.world.faults.trace.index(label) + 1


def call_number_of_a_return_request(label: str) -> int:
    """Which adapter call of a delivered order's return request is `label` (counted on a twin order)."""
    twin = new_shop().paid().delivered()
    twin.world.faults.arm(999)  # counts, never fires
    twin_order = twin.world.after_sales.get(twin.order_id)
    twin.world.returns.request(twin_order, {twin.sku: 1}, "too small")
    return twin.world.faults.trace.index(label) + 1


def test_a_crash_between_the_stripe_refund_and_the_save_of_a_cancel_ends_with_one_truth(shop: Shop) -> None:
    shop.paid()
    total = shop.order().totals.total.amount
    shop.world.faults.arm(call_number_of_a_cancel("stripe.refund"), "after")

    with pytest.raises(Crash):
        shop.world.after_sales.cancel(shop.order())
    shop.world.faults.disarm()
    shop.stripe_delivers_everything()  # charge.refunded, as Stripe sends it
    shop.sweepers_run()

    assert shop.refunded_everywhere() == (total, total, total)
    assert any(e.get("amount_refunded") == total for e in shop.refund_events())


def test_a_crash_after_a_cancel_is_saved_still_announces_the_cancellation_and_its_refund(shop: Shop) -> None:
    shop.paid()
    shop.world.faults.arm(call_number_of_a_cancel("bus.publish"), "before")

    with pytest.raises(Crash):
        shop.world.after_sales.cancel(shop.order())
    shop.world.faults.disarm()
    shop.stripe_delivers_everything()
    shop.sweepers_run()

    assert shop.order().status is OrderStatus.CANCELLED
    assert shop.world.bus.distinct("OrderCancelled", shop.order_id)
    refund_ids = [e.get("refund_id") for e in shop.refund_events() if e.get("refund_id")]
    assert refund_ids == [f"cancel-{shop.order_id}"]


def test_a_payment_refunded_by_the_workflows_compensation_ends_in_the_ledger_and_announced(
    shop: Shop,
) -> None:
    shop.world.stripe.capture(shop.intent_id)  # paid at Stripe; its webhook not delivered yet
    # The reservation expired first: the state machine's timeout branch undoes the order, refunding it.
    shop.world.order_workflow.compensate(shop.order_id, "payment_timeout")

    shop.stripe_delivers_everything()
    shop.world.relay.sweep(timedelta(0))

    total = shop.order().totals.total.amount
    assert shop.order().status is OrderStatus.CANCELLED
    assert shop.refunded_everywhere() == (total, total, total)
    assert max(int(str(e.get("amount_refunded", 0))) for e in shop.refund_events()) == total
