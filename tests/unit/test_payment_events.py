"""Stripe events applied to orders: at most once, in any order, and only when signed."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
import stripe

from commerce.adapters.stripe_webhooks import StripeWebhookVerifier
from commerce.domain.order import Order, OrderStatus, PaymentOutcome
from commerce.domain.payment_events import InvalidSignature
from commerce.domain.payment_events import StripeEvent as Event
from commerce.domain.ports import PaymentIntent
from commerce.services.outbox import OutboxRelay
from commerce.services.payment_events import Applied, PaymentEvents
from tests.fakes.carts import InMemoryCarts
from tests.fakes.events import InMemoryEvents
from tests.fakes.orders import InMemoryOrders, InMemoryStock, InMemoryWorkflow
from tests.fakes.payments import InMemoryPaymentEventLog, InMemoryPayments

from .order_builders import NOW, an_order

SECRET = "whsec_unit"


def stripe_event(kind: str, obj: dict[str, Any], event_id: str = "evt_1") -> Event:
    return Event.parse({"id": event_id, "type": kind, "created": 1, "data": {"object": obj}})


def intent(**extra: Any) -> dict[str, Any]:
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 5000,
        "currency": "eur",
        "metadata": {"order_id": "ord_1"},
        **extra,
    }


class World:
    def __init__(self, order: Order) -> None:
        self.orders = InMemoryOrders(InMemoryStock(), InMemoryCarts())
        self.orders.orders[order.id] = order
        self.orders.by_payment_intent["pi_1"] = order.id
        self.log = InMemoryPaymentEventLog(self.orders)
        self.workflow = InMemoryWorkflow()
        self.events = InMemoryEvents()
        self.relay = OutboxRelay(self.orders.outbox, self.events, lambda: NOW)
        self.service = PaymentEvents(
            self.orders, self.log, self.workflow, self.relay, InMemoryPayments(), clock=lambda: NOW
        )

    @property
    def order(self) -> Order:
        return self.orders.orders["ord_1"]


def test_a_success_before_the_workflow_waits_is_kept_on_the_order_for_it() -> None:
    world = World(an_order())

    result = world.service.handle(stripe_event("payment_intent.succeeded", intent()))

    assert result is Applied.APPLIED
    assert world.order.payment_outcome is PaymentOutcome.SUCCEEDED
    assert world.workflow.answers == {}


def test_a_success_resumes_the_waiting_task_with_radars_risk_level() -> None:
    world = World(an_order(task_token="token-1"))
    charge = {"id": "ch_1", "outcome": {"risk_level": "elevated"}}

    world.service.handle(stripe_event("payment_intent.succeeded", intent(latest_charge=charge)))

    kind, output = world.workflow.answers["token-1"]
    assert kind == "success"
    assert output["payment_outcome"] == "succeeded"
    assert output["risk_level"] == "elevated"


def test_a_declined_payment_fails_the_waiting_task() -> None:
    world = World(an_order(task_token="token-1"))

    world.service.handle(stripe_event("payment_intent.payment_failed", intent()))

    assert world.workflow.answers["token-1"] == ("failure", "PaymentFailed")


def test_a_declined_card_leaves_the_order_waiting_for_another_card_which_pays_it() -> None:
    world = World(an_order(task_token="token-1"))
    declined = intent(status="requires_payment_method", last_payment_error={"code": "card_declined"})

    world.service.handle(stripe_event("payment_intent.payment_failed", declined, "evt_declined"))

    assert world.workflow.answers == {}
    assert world.order.is_pending and world.order.declined
    world.service.handle(stripe_event("payment_intent.succeeded", intent(), "evt_paid"))
    assert world.workflow.answers["token-1"][0] == "success"
    assert not world.order.declined


def test_one_event_delivered_five_times_changes_the_order_once() -> None:
    world = World(an_order())
    event = stripe_event("payment_intent.succeeded", intent())

    results = [world.service.handle(event) for _ in range(5)]

    assert results == [Applied.APPLIED] + [Applied.DUPLICATE] * 4
    assert world.order.version == 1
    assert [e.event for e in world.order.timeline] == ["payment_succeeded"]


def test_a_failure_arriving_after_the_success_changes_nothing() -> None:
    world = World(an_order())
    world.service.handle(stripe_event("payment_intent.succeeded", intent(), "evt_ok"))

    result = world.service.handle(stripe_event("payment_intent.payment_failed", intent(), "evt_late"))

    assert result is Applied.NO_CHANGE
    assert world.order.payment_outcome is PaymentOutcome.SUCCEEDED


def test_a_refund_is_recorded_up_to_what_was_paid_and_never_lowered() -> None:
    world = World(an_order(status=OrderStatus.PAID, total=5000))
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "currency": "eur"}

    world.service.handle(stripe_event("charge.refunded", {**charge, "amount_refunded": 3000}, "evt_a"))
    late = world.service.handle(stripe_event("charge.refunded", {**charge, "amount_refunded": 1000}, "evt_b"))
    above = world.service.handle(
        stripe_event("charge.refunded", {**charge, "amount_refunded": 9000}, "evt_c")
    )

    assert (late, above) == (Applied.NO_CHANGE, Applied.APPLIED)
    assert world.order.refunded == 5000
    assert world.order.flags == ("refund_outside_shop",)
    assert world.events.types() == ["RefundIssued", "RefundIssued", "OrderFlagged"]  # flagged: above it


def test_a_dispute_moves_a_paid_order_and_back_when_won_announcing_each_once() -> None:
    world = World(an_order(status=OrderStatus.PAID))
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "charge": "ch_1",
        "payment_intent": "pi_1",
        "reason": "fraudulent",
    }

    opened = stripe_event("charge.dispute.created", {**dispute, "status": "needs_response"}, "evt_open")
    world.service.handle(opened)
    world.service.handle(opened)
    assert world.order.status is OrderStatus.DISPUTED
    world.service.handle(stripe_event("charge.dispute.closed", {**dispute, "status": "won"}, "evt_won"))

    assert world.order.status is OrderStatus.PAID
    assert world.events.types() == ["OrderDisputed", "OrderDisputeClosed"]


def test_events_a_failed_publish_kept_from_the_bus_are_published_by_the_sweeper_with_their_ids() -> None:
    world = World(an_order(status=OrderStatus.PAID))
    opened = stripe_event(
        "charge.dispute.created", {"id": "dp_1", "charge": "ch_1", "payment_intent": "pi_1", "status": "x"}
    )
    world.events.fail_next = RuntimeError("bus down")

    assert world.service.handle(opened) is Applied.APPLIED  # the change is committed all the same
    (waiting,) = world.orders.outbox.entries.values()
    assert world.service.handle(opened) is Applied.DUPLICATE  # a replay publishes nothing
    assert world.events.published == []
    swept = OutboxRelay(world.orders.outbox, world.events, lambda: NOW + timedelta(minutes=5)).sweep()

    assert swept == 1
    assert [(e.type, e.event_id) for e in world.events.published] == [("OrderDisputed", waiting.event_id)]
    assert world.orders.outbox.entries == {}


def test_an_unknown_event_type_is_ignored() -> None:
    world = World(an_order())

    assert world.service.handle(stripe_event("customer.created", {"id": "cus_1"})) is Applied.IGNORED


# signatures
def signed(payload: str, secret: str = SECRET, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return f"t={timestamp},v1={signature}"


def verifier() -> StripeWebhookVerifier:
    return StripeWebhookVerifier(lambda: {"api_key": "sk_test_x", "webhook_secret": SECRET})


PAYLOAD = json.dumps(
    {"id": "evt_9", "type": "payment_intent.succeeded", "created": 1, "data": {"object": intent()}}
)


def test_a_correctly_signed_body_gives_its_event() -> None:
    assert verifier().verify(PAYLOAD, signed(PAYLOAD)).id == "evt_9"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "t=1,v1=deadbeef",
        signed(PAYLOAD, secret="whsec_other"),
        signed(PAYLOAD, at=int(time.time()) - 3600),
    ],
    ids=["missing", "empty", "garbage", "other-secret", "stale"],
)
def test_a_missing_wrong_or_stale_signature_is_refused(header: str | None) -> None:
    with pytest.raises(InvalidSignature):
        verifier().verify(PAYLOAD, header)


def test_a_body_changed_after_signing_is_refused() -> None:
    with pytest.raises(InvalidSignature):
        verifier().verify(PAYLOAD.replace("5000", "1"), signed(PAYLOAD))


def test_the_raw_bytes_are_verified_and_bytes_that_are_not_utf8_are_refused() -> None:
    assert verifier().verify(PAYLOAD.encode(), signed(PAYLOAD)).id == "evt_9"
    with pytest.raises(InvalidSignature):
        verifier().verify(PAYLOAD.encode()[:-1] + b"\xff", signed(PAYLOAD))


def test_a_payment_that_succeeds_after_its_order_was_cancelled_is_refunded_once() -> None:
    world = World(an_order(status=OrderStatus.CANCELLED))
    payments = InMemoryPayments()
    payments.intents["pi_1"] = PaymentIntent("pi_1", "succeeded", 5000, "EUR", order_id="ord_1")
    world.service = PaymentEvents(world.orders, world.log, world.workflow, world.relay, payments, lambda: NOW)
    event = stripe_event("payment_intent.succeeded", intent())

    world.service.handle(event)
    world.service.handle(event)

    assert list(payments.refunds.values()) == [("pi_1", 5000)]
    assert world.order.status is OrderStatus.CANCELLED
