"""Flags on an order: added once, noted every time, announced once per flag."""

from __future__ import annotations

from commerce.domain.flags import flag_events, flagged_once
from commerce.domain.order import OrderStatus

from .test_disputes import NOW, an_order


def test_a_flag_is_kept_once_but_each_occurrence_is_on_the_timeline() -> None:
    order = an_order(OrderStatus.CANCELLED)

    twice = order.flagged(NOW, "fulfillment_conflict", "scanned").flagged(
        NOW, "fulfillment_conflict", "delivered"
    )

    assert twice.flags == ("fulfillment_conflict",)
    assert twice.version == order.version + 2
    assert [e.detail for e in twice.timeline] == [
        "fulfillment_conflict: scanned",
        "fulfillment_conflict: delivered",
    ]


def test_the_same_fact_twice_flags_once() -> None:
    order = flagged_once(an_order(OrderStatus.SHIPPED), NOW, "refund_outside_shop", "5000 EUR")

    assert flagged_once(order, NOW, "refund_outside_shop", "5000 EUR") is order


def test_only_a_new_flag_is_announced_with_an_id_of_the_order_and_the_flag() -> None:
    order = an_order(OrderStatus.DELIVERED)
    lost = order.flagged(NOW, "dispute_lost", "5000 EUR")
    both = lost.flagged(NOW, "refund_outside_shop", "more").flagged(NOW, "dispute_lost", "again")

    (first,) = flag_events(order, lost, NOW)
    (second,) = flag_events(lost, both, NOW)

    assert first.data == {"order_id": "ord_1", "flag": "dispute_lost", "detail": "5000 EUR"}
    assert second.data["flag"] == "refund_outside_shop"
    assert flag_events(order, both, NOW)[0].event_id == first.event_id
