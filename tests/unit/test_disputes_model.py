"""Model-based: random interleavings of refunds made in Stripe's dashboard, the shop's own refunds, Stripe's
`charge.refunded` deliveries (late, repeated, out of order) and disputes opened and closed (won, warning,
lost) on one delivered order. After every step the order and the refund ledger agree and never pass the
capture; once Stripe's latest amount has arrived they agree with Stripe (plus what banks took); every
amount that left is announced by exactly one `RefundIssued`; a closed dispute leaves the order delivered."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from commerce.domain.errors import Conflict
from commerce.domain.order import OrderStatus
from commerce.domain.refunds import RefundExceedsCaptured

from .test_disputes import World, an_order

CAPTURED = 5000


class OneDeliveredOrder(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World(an_order(OrderStatus.DELIVERED, total=CAPTURED))
        self.at_stripe = 0  # what Stripe's charge says was refunded (dashboard and shop refunds)
        self.cumulative_sent: list[int] = []  # every amount_refunded Stripe has reported so far
        self.delivered_latest = True
        self.shop_refunds = 0  # the shop's own, announced by the shop (not by these events)
        self.open_dispute: str | None = None
        self.disputes = 0
        self.lost = False
        self.disputed_amount = 0
        self.taken_by_bank = 0  # Stripe's amount_refunded never counts it; the charge can refund less

    # money leaving
    @rule(amount=st.integers(1, 3000))
    def refund_in_stripes_dashboard(self, amount: int) -> None:
        if self.at_stripe + amount > CAPTURED - self.taken_by_bank:
            return  # Stripe refuses a refund above the charge
        self.at_stripe += amount
        self.cumulative_sent.append(self.at_stripe)
        self.delivered_latest = False

    @rule(amount=st.integers(1, 3000), key=st.integers(0, 3))
    def the_shop_refunds(self, amount: int, key: int) -> None:
        ledger, order_id = self.world.ledger, "ord_1"
        if ledger.reserved(order_id, f"goodwill-{key}") is not None:
            return  # a retried key refunds nothing more
        try:
            total = ledger.reserve(order_id, f"goodwill-{key}", amount, CAPTURED)
        except RefundExceedsCaptured:
            return
        if self.at_stripe + amount > CAPTURED - self.taken_by_bank:  # Stripe refuses: given back
            ledger.cancel(order_id, f"goodwill-{key}", amount)
            return
        self.at_stripe += amount
        self.shop_refunds += amount
        self.cumulative_sent.append(self.at_stripe)
        self.delivered_latest = False
        order = self.world.order
        self.world.orders.save(
            replace(order, refunded=max(order.refunded, total), version=order.version + 1), order.version
        )

    # Stripe's deliveries
    @precondition(lambda self: bool(self.cumulative_sent))
    @rule(pick=st.integers(0, 100), replay=st.booleans())
    def stripe_reports_a_refund(self, pick: int, replay: bool) -> None:
        """Any amount reported so far: the latest, or an older one arriving late."""
        cumulative = self.cumulative_sent[pick % len(self.cumulative_sent)]
        event_id = f"evt_ref_{cumulative}" if replay else None
        try:
            self.world.refunded_at_stripe(cumulative, event_id)
        except Conflict:
            return
        self.delivered_latest = self.delivered_latest or cumulative == self.at_stripe

    @rule()
    def stripe_reports_the_latest_refund(self) -> None:
        self.world.refunded_at_stripe(self.at_stripe)
        self.delivered_latest = True

    # disputes
    @precondition(lambda self: self.open_dispute is None and not self.lost and self.at_stripe < CAPTURED)
    @rule(part=st.integers(1, 100))
    def the_bank_opens_a_dispute(self, part: int) -> None:
        """For all or part of what the charge has left."""
        self.disputed_amount = max(1, (CAPTURED - self.at_stripe) * part // 100)
        self.disputes += 1
        self.open_dispute = f"dp_{self.disputes}"
        self._dispute("created", "needs_response")
        assert self.world.order.status is OrderStatus.DISPUTED

    @precondition(lambda self: self.open_dispute is not None)
    @rule(outcome=st.sampled_from(["won", "warning_closed", "lost"]), twice=st.booleans())
    def the_dispute_closes(self, outcome: str, twice: bool) -> None:
        for _ in range(2 if twice else 1):
            self._dispute("closed", outcome)
        self.open_dispute = None
        if outcome == "lost":
            self.lost = True
            self.taken_by_bank += self.disputed_amount

    def _dispute(self, kind: str, status: str) -> None:
        assert self.open_dispute is not None
        obj = {
            "id": self.open_dispute,
            "object": "dispute",
            "charge": "ch_1",
            "payment_intent": "pi_1",
            "amount": self.disputed_amount,
            "currency": "eur",
            "reason": "fraudulent",
            "status": status,
        }
        self.world.stripe(f"charge.dispute.{kind}", obj)

    # what must always hold
    @invariant()
    def the_order_and_the_ledger_agree_within_the_capture(self) -> None:
        assert self.world.order.refunded == self.world.ledger.refunded("ord_1") <= CAPTURED

    @invariant()
    def once_stripes_latest_amount_arrived_the_ledger_agrees_with_stripe(self) -> None:
        if not self.delivered_latest:
            return
        ledger = self.world.ledger
        by_bank = ledger.refunded_by_bank("ord_1")
        assert ledger.refunded("ord_1") - by_bank == min(self.at_stripe, CAPTURED - by_bank)

    @invariant()
    def every_amount_that_left_is_announced_once(self) -> None:
        issued = {e.event_id: e for e in self.world.events.published if e.type == "RefundIssued"}
        announced = sum(int(e.data["amount"]) for e in issued.values())
        assert announced + self.shop_refunds == self.world.ledger.refunded("ord_1")

    @invariant()
    def a_closed_dispute_leaves_the_order_delivered(self) -> None:
        expected = OrderStatus.DISPUTED if self.open_dispute else OrderStatus.DELIVERED
        assert self.world.order.status is expected
        if self.lost:
            assert "dispute_lost" in self.world.order.flags
        assert self.world.payments.refunds == {}  # the webhook never refunds anything itself


OneDeliveredOrder.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, derandomize=True, deadline=None
)
test_refunds_and_disputes_in_any_order_keep_the_order_the_ledger_and_stripe_in_agreement = (
    OneDeliveredOrder.TestCase
)
