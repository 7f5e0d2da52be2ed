"""A function killed between Stripe's refund and the save that records it, over HTTP: the fault is injected at
the pending-refund adapter of the running after-sales function. The money already left, so the order must
end up saying so, once: the staff's retry (same Idempotency-Key) or the sweeper's next run records it, and
Stripe holds exactly one refund."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commerce.domain.refunds import RefundCompletion
from local.stack import LocalStack

from .conftest import Api, Tokens
from .test_fulfillment import Fulfilled

pytestmark = pytest.mark.e2e

AFTER_SALES = "AfterSalesFunction"
SWEEPER = "ReservationSweeperFunction"


class Killed(Exception):
    """The function stopped here (a timeout, an out-of-memory kill)."""


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


@pytest.fixture
def killed_before_the_save(stack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The next refund's record is never saved: the function dies after Stripe took the refund."""
    assert stack.runtime is not None
    refunds = stack.runtime.module(AFTER_SALES).refunds.after_sales._refunds
    real_finish = refunds.finish
    killed: list[str] = []

    def finish(done: RefundCompletion) -> None:
        if not killed and done.refund is not None:
            killed.append(done.refund.refund_id)
            raise Killed(done.refund.refund_id)
        real_finish(done)

    monkeypatch.setattr(refunds, "finish", finish)
    yield killed


def _refunded_at_stripe(shop: Fulfilled, placed: dict[str, Any]) -> list[int]:
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    return sorted(r.amount for r in refunds.data)


def _refunded_on_order(shop: Fulfilled, placed: dict[str, Any]) -> int:
    return int(shop.order(placed)["payment"]["refunded"]["amount"])


def _goodwill(shop: Fulfilled, tokens: Tokens, placed: dict[str, Any], amount: int, key: str) -> Any:
    return shop.api.post(
        f"/admin/orders/{placed['order_id']}/refunds",
        json={"amount": amount, "reason": "late parcel"},
        headers={**tokens.headers("admin"), "Idempotency-Key": key},
    )


def test_a_refund_killed_after_stripe_is_recorded_once_when_staff_retry(
    shop: Fulfilled, tokens: Tokens, killed_before_the_save: list[str]
) -> None:
    placed = shop.paid_order({shop.sku_at(wh_paris=2): 1})
    key = f"late-{uuid.uuid4().hex[:8]}"

    crashed = _goodwill(shop, tokens, placed, 700, key)

    assert crashed.status_code >= 500 and killed_before_the_save
    assert _refunded_at_stripe(shop, placed) == [700]  # the money left
    assert _refunded_on_order(shop, placed) == 0  # and the order does not know yet

    retried = _goodwill(shop, tokens, placed, 700, key)

    assert retried.status_code == 200, retried.text
    assert _refunded_at_stripe(shop, placed) == [700]  # the same refund: Stripe's idempotency key
    assert _refunded_on_order(shop, placed) == 700
    assert _goodwill(shop, tokens, placed, 700, key).status_code == 200  # and again: nothing more
    assert _refunded_at_stripe(shop, placed) == [700] and _refunded_on_order(shop, placed) == 700


def test_a_refund_killed_after_stripe_is_recorded_once_by_the_sweeper(
    shop: Fulfilled,
    stack: LocalStack,
    tokens: Tokens,
    killed_before_the_save: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    placed = shop.paid_order({shop.sku_at(wh_paris=2): 1})

    assert _goodwill(shop, tokens, placed, 500, f"k-{uuid.uuid4().hex[:8]}").status_code >= 500
    assert _refunded_at_stripe(shop, placed) == [500] and _refunded_on_order(shop, placed) == 0

    # The sweeper's next run, once the pending refund is older than its grace period.
    from commerce.composition import adapters  # noqa: PLC0415 - the running stack's own module

    later = datetime.now(UTC) + timedelta(minutes=10)
    monkeypatch.setattr(adapters, "now", lambda: later)  # the sweeper's clock
    assert stack.runtime is not None
    report = stack.runtime.invoke(SWEEPER, {})

    assert report["refunds_finished"] >= 1, report
    assert _refunded_at_stripe(shop, placed) == [500]
    assert _refunded_on_order(shop, placed) == 500
