"""Fraud screening of a paid order: reasons to hold it for a person to review, or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from commerce.domain.order import Order

RISKY_LEVELS = frozenset({"elevated", "highest"})


@dataclass(frozen=True, slots=True)
class FraudPolicy:
    review_amount: int = 50_000  # minor units of the order's currency (one threshold for every currency)
    burst_orders: int = 3  # more orders than this from one email ...
    burst_window: timedelta = timedelta(minutes=10)  # ... within this window are held


def screen(
    order: Order, orders_of_email: Sequence[tuple[datetime, str]], risk_level: str | None, policy: FraudPolicy
) -> tuple[str, ...]:
    """Why the order should wait for review (empty: it need not). `orders_of_email` are (created_at, id)
    of the newest orders placed with the order's email, this one included or not."""
    reasons: list[str] = []
    earlier = [(at, oid) for at, oid in orders_of_email if oid != order.id and at < order.created_at]
    if not earlier and order.totals.total.amount > policy.review_amount:
        reasons.append("first_order_over_review_amount")
    window_start = order.created_at - policy.burst_window
    burst = 1 + sum(1 for at, _ in earlier if at > window_start)
    if burst > policy.burst_orders:
        reasons.append("many_orders_from_email")
    shipping, billing = order.shipping_address.get("country"), order.billing_address.get("country")
    if billing and shipping and billing != shipping:
        reasons.append("billing_country_differs")
    if risk_level in RISKY_LEVELS:
        reasons.append(f"radar_risk_{risk_level}")
    return tuple(reasons)
