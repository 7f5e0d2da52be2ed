"""A successful payment that does not pay its order (another intent, amount or currency) never marks it
paid: the order is held for staff with the reason and flagged, and its workflow goes to review."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from commerce.domain.errors import InvalidState
from commerce.domain.flags import PAYMENT_MISMATCH
from commerce.domain.identity import Principal
from commerce.domain.order import OrderStatus, PaymentOutcome, StockState
from commerce.services.orders import Orders
from commerce.services.payment_events import Applied
from tests.fakes.orders import InMemoryWorkflow

from .checkout_world import Shop
from .order_builders import an_order
from .test_order_workflow import paid_by_provider, place
from .test_payment_events import World, intent, stripe_event

STAFF = Principal("staff-1", groups=frozenset({"staff"}))
MISMATCHES: dict[str, dict[str, Any]] = {
    "an amount of one cent": {"amount": 1, "amount_received": 1},
    "another currency": {"currency": "usd"},
}


@pytest.mark.parametrize("change", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_a_mismatched_success_holds_the_order_with_the_reason_and_never_pays_it(
    change: dict[str, Any],
) -> None:
    world = World(an_order(task_token="token-1"))

    result = world.service.handle(stripe_event("payment_intent.succeeded", intent(**change)))

    assert result is Applied.PAYMENT_MISMATCH
    order = world.order
    assert order.status is OrderStatus.ON_HOLD and order.stock is StockState.RESERVED
    assert order.payment_outcome is PaymentOutcome.MISMATCHED
    assert len(order.hold_reasons) == 1 and order.hold_reasons[0].startswith("payment_mismatch: received ")
    assert order.flags == (PAYMENT_MISMATCH,)
    kind, output = world.workflow.answers["token-1"]
    assert (kind, output["payment_outcome"]) == ("success", "mismatched")
    assert [e.type for e in world.events.published] == ["OrderFlagged"]
    assert world.events.published[0].data["flag"] == PAYMENT_MISMATCH


def test_a_replayed_mismatch_changes_nothing_twice() -> None:
    world = World(an_order())
    event = stripe_event("payment_intent.succeeded", intent(amount_received=1))
    world.service.handle(event)
    version = world.order.version

    assert world.service.handle(event) is Applied.DUPLICATE
    assert world.order.version == version and len(world.events.published) == 1


def test_another_intents_success_flags_the_order_and_leaves_its_status_for_its_own_payment() -> None:
    world = World(an_order(task_token="token-1"))
    other = intent(id="pi_other")

    result = world.service.handle(stripe_event("payment_intent.succeeded", other, "evt_other"))

    assert result is Applied.PAYMENT_MISMATCH
    assert world.order.status is OrderStatus.PENDING_PAYMENT and world.order.payment_outcome is None
    assert world.order.flags == (PAYMENT_MISMATCH,) and world.workflow.answers == {}
    assert "pi_other" in world.order.timeline[-1].detail
    own = world.service.handle(stripe_event("payment_intent.succeeded", intent(), "evt_own"))
    assert own is Applied.APPLIED and world.order.payment_outcome is PaymentOutcome.SUCCEEDED


def test_another_intents_failure_is_recorded_and_does_not_fail_the_order() -> None:
    world = World(an_order(task_token="token-1"))

    result = world.service.handle(stripe_event("payment_intent.payment_failed", intent(id="pi_other")))

    assert result is Applied.NO_CHANGE
    assert world.order.payment_outcome is None and world.workflow.answers == {}


def test_the_workflow_that_starts_waiting_after_the_mismatch_goes_to_review_not_to_the_sale() -> None:
    shop = Shop()
    shop.stock.receive("RUN-40", "paris", 2, "initial")
    order = place(shop, {"RUN-40": 1})
    assert order.payment_intent_id
    held = shop.orders.get(order.id)
    assert held is not None
    mismatched = replace(
        held.held(shop.clock(), ("payment_mismatch: received 1 EUR",)),
        payment_outcome=PaymentOutcome.MISMATCHED,
    )
    shop.orders.save(mismatched, held.version)

    shop.order_workflow.await_payment(order.id, "token-late")

    kind, output = shop.workflow_engine.answers["token-late"]
    assert (kind, output["payment_outcome"]) == ("success", "mismatched")
    assert shop.order_workflow.confirm(order.id)["status"] == "on_hold"  # never the sale
    assert shop.available("RUN-40") == 1


def test_rejecting_a_mismatched_payment_refunds_what_the_intent_took_and_releases_the_units() -> None:
    shop = Shop()
    shop.stock.receive("RUN-40", "paris", 2, "initial")
    order = place(shop, {"RUN-40": 1})
    assert order.payment_intent_id
    paid_by_provider(shop, order)  # the intent succeeded at the provider

    current = shop.orders.get(order.id)
    assert current is not None
    shop.payments.intents[order.payment_intent_id] = replace(
        shop.payments.intents[order.payment_intent_id], amount=1
    )
    held = replace(
        current.held(shop.clock(), ("payment_mismatch: received 1 EUR",)),
        payment_outcome=PaymentOutcome.MISMATCHED,
    )
    shop.orders.save(held, current.version)

    result = shop.order_workflow.reject(order.id)

    assert result["status"] == "cancelled"
    assert list(shop.payments.refunds.values()) == [(order.payment_intent_id, 1)]
    assert shop.available("RUN-40") == 2


def test_staff_cannot_approve_a_payment_that_does_not_match() -> None:
    world = World(
        an_order(OrderStatus.ON_HOLD, payment_outcome=PaymentOutcome.MISMATCHED, task_token="review-1")
    )
    workflow = InMemoryWorkflow()
    orders = Orders(world.orders, workflow, cursors=None)  # type: ignore[arg-type]

    with pytest.raises(InvalidState) as refused:
        orders.approve(world.order.id, STAFF)

    assert refused.value.extensions.get("reason") == "payment_mismatch" and workflow.answers == {}
