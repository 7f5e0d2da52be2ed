"""Staff see one customer whole: profile, segment, lifetime value, orders, disputes and notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from commerce.adapters.memory import InMemoryCustomers, InMemoryOrderHistory
from commerce.adapters.memory_analytics import MemorySegments, MemoryStaffNotes
from commerce.domain.customer import Profile
from commerce.domain.errors import NotFound, ValidationFailed
from commerce.domain.segments import CustomerStats, Segment
from commerce.services.customer_view import CustomerView
from tests.unit.customer_builders import order

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def view() -> tuple[CustomerView, InMemoryCustomers, InMemoryOrderHistory]:
    customers, history = InMemoryCustomers(), InMemoryOrderHistory()
    customers.save_profile(Profile.new("sub-ada", "ada@example.com", NOW - timedelta(days=40)), None)
    segments = MemorySegments([CustomerStats("sub-ada", 2, {"EUR": 5_800}, NOW, Segment.REPEAT)])
    clock = iter(NOW + timedelta(minutes=n) for n in range(100))
    return (
        CustomerView(customers, history, segments, MemoryStaffNotes(), lambda: next(clock)),
        customers,
        history,
    )


def test_a_customer_whole_has_their_orders_disputes_lifetime_value_segment_and_notes_newest_first() -> None:
    staff_view, _, history = view()
    history.add(order("o1", "sub-ada", NOW - timedelta(days=3)))
    history.add(replace(order("o2", "sub-ada", NOW - timedelta(days=2)), status="disputed"))
    history.add(replace(order("o3", "sub-ada", NOW - timedelta(days=1)), status="cancelled"))
    history.add(order("o4", "sub-bob", NOW))
    staff_view.add_note("sub-ada", "sub-staff", "called about a late parcel")
    staff_view.add_note("sub-ada", "sub-staff", "  refunded shipping  ")

    whole = staff_view.whole("sub-ada")

    assert [o.id for o in whole.orders] == ["o3", "o2", "o1"]
    assert [o.id for o in whole.disputes] == ["o2"]
    assert whole.lifetime_value == {"EUR": 2 * 2_900}  # paid and disputed; not the cancelled one
    assert whole.segment == "repeat"
    assert [n.text for n in whole.notes] == ["refunded shipping", "called about a late parcel"]
    assert whole.email == "ada@example.com"


def test_an_unknown_customer_is_not_found_and_gets_no_note() -> None:
    staff_view = view()[0]

    with pytest.raises(NotFound):
        staff_view.whole("sub-nobody")
    with pytest.raises(NotFound):
        staff_view.add_note("sub-nobody", "sub-staff", "hello")


@pytest.mark.parametrize("text", ["", "   ", "x" * 2_001])
def test_an_empty_or_overlong_note_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        view()[0].add_note("sub-ada", "sub-staff", text)
