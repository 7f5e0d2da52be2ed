"""Flags on an order: added once, noted every time, announced once per flag, resolved by staff."""

from __future__ import annotations

import pytest

from commerce.domain.errors import Conflict
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


def test_resolving_a_flag_takes_it_off_and_notes_who_and_why() -> None:
    order = an_order(OrderStatus.CANCELLED).flagged(NOW, "fulfillment_conflict", "scanned")
    order = order.flagged(NOW, "refund_outside_shop", "5000 EUR")

    resolved = order.flag_resolved(NOW, "fulfillment_conflict", "carrier returns it", "staff-1")

    assert resolved.flags == ("refund_outside_shop",)
    assert resolved.version == order.version + 1
    last = resolved.timeline[-1]
    assert (last.event, last.detail) == (
        "flag_resolved",
        "fulfillment_conflict: carrier returns it (by staff-1)",
    )


def test_resolving_a_flag_the_order_never_carried_is_a_conflict() -> None:
    order = an_order(OrderStatus.SHIPPED).flagged(NOW, "dispute_lost", "5000 EUR")

    with pytest.raises(Conflict):
        order.flag_resolved(NOW, "payment_mismatch", "checked", "staff-1")


def test_resolving_the_same_flag_again_changes_nothing() -> None:
    order = an_order(OrderStatus.SHIPPED).flagged(NOW, "dispute_lost", "5000 EUR")
    resolved = order.flag_resolved(NOW, "dispute_lost", "written off", "staff-1")

    assert resolved.flag_resolved(NOW, "dispute_lost", "written off", "staff-2") is resolved


def test_a_flag_raised_again_after_it_was_resolved_can_be_resolved_again() -> None:
    order = an_order(OrderStatus.CANCELLED).flagged(NOW, "fulfillment_conflict", "scanned")
    again = order.flag_resolved(NOW, "fulfillment_conflict", "asked", "staff-1").flagged(
        NOW, "fulfillment_conflict", "delivered"
    )

    assert again.flags == ("fulfillment_conflict",)
    assert again.flag_resolved(NOW, "fulfillment_conflict", "returned", "staff-1").flags == ()
