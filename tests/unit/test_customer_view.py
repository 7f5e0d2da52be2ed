"""Staff see one customer whole: profile, segment, lifetime value, orders, returns, disputes and notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.customer import Profile
from commerce.domain.errors import NotFound, ValidationFailed
from commerce.domain.returns import Return, ReturnLine
from commerce.domain.segments import CustomerStats, Segment
from commerce.services.customer_view import CustomerView
from tests.fakes.analytics import InMemorySegmentStore, InMemoryStaffNotes
from tests.fakes.customers import InMemoryCustomers, InMemoryOrderHistory
from tests.fakes.returns import InMemoryReturns
from tests.unit.customer_builders import order

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def view() -> tuple[CustomerView, InMemoryCustomers, InMemoryOrderHistory]:
    customers, history = InMemoryCustomers(), InMemoryOrderHistory()
    customers.save_profile(Profile.new("sub-ada", "ada@example.com", NOW - timedelta(days=40)), None)
    segments = InMemorySegmentStore([CustomerStats("sub-ada", 2, {"EUR": 5_800}, NOW, Segment.REPEAT)])
    clock = iter(NOW + timedelta(minutes=n) for n in range(100))
    return (
        CustomerView(customers, history, segments, InMemoryStaffNotes(), lambda: next(clock)),
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

    whole = staff_view.overview("sub-ada")

    assert [o.id for o in whole.orders] == ["o3", "o2", "o1"]
    assert [o.id for o in whole.disputes] == ["o2"]
    assert whole.lifetime_value == {"EUR": 2 * 2_900}  # paid and disputed; not the cancelled one
    assert whole.segment == "repeat"
    assert [n.text for n in whole.notes] == ["refunded shipping", "called about a late parcel"]
    assert whole.email == "ada@example.com"


def test_an_unknown_customer_is_not_found_and_gets_no_note() -> None:
    staff_view = view()[0]

    with pytest.raises(NotFound):
        staff_view.overview("sub-nobody")
    with pytest.raises(NotFound):
        staff_view.add_note("sub-nobody", "sub-staff", "hello")


@pytest.mark.parametrize("text", ["", "   ", "x" * 2_001])
def test_an_empty_or_overlong_note_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        view()[0].add_note("sub-ada", "sub-staff", text)


def _return(return_id: str, order_id: str, days_ago: int) -> Return:
    return Return(
        return_id, order_id, (ReturnLine("SKU-1", 1, 2_900),), "too small", NOW - timedelta(days=days_ago)
    )


def test_a_customer_whole_lists_the_returns_of_their_orders_newest_first() -> None:
    customers, history, returns = InMemoryCustomers(), InMemoryOrderHistory(), InMemoryReturns()
    customers.save_profile(Profile.new("sub-ada", "ada@example.com", NOW - timedelta(days=40)), None)
    staff_view = CustomerView(
        customers, history, InMemorySegmentStore([]), InMemoryStaffNotes(), lambda: NOW, returns=returns
    )
    history.add(replace(order("o1", "sub-ada", NOW - timedelta(days=9)), status="delivered"))
    history.add(replace(order("o2", "sub-ada", NOW - timedelta(days=8)), status="disputed"))
    history.add(replace(order("o3", "sub-bob", NOW - timedelta(days=8)), status="delivered"))
    returns.add(_return("ret-old", "o1", 3), {}, [])
    returns.add(_return("ret-new", "o2", 1), {}, [])
    returns.add(_return("ret-bob", "o3", 1), {}, [])

    whole = staff_view.overview("sub-ada")

    assert [r.id for r in whole.returns] == ["ret-new", "ret-old"]
    assert whole.returns[0].lines == (ReturnLine("SKU-1", 1, 2_900),)


def test_an_order_with_a_dispute_on_its_timeline_is_a_dispute_even_once_won() -> None:
    staff_view, _, history = view()
    history.add(replace(order("o1", "sub-ada", NOW - timedelta(days=3)), status="paid", disputed=True))
    history.add(order("o2", "sub-ada", NOW - timedelta(days=2)))

    assert [o.id for o in staff_view.overview("sub-ada").disputes] == ["o1"]


def test_without_a_returns_store_the_view_lists_no_returns() -> None:
    staff_view, _, history = view()
    history.add(replace(order("o1", "sub-ada", NOW - timedelta(days=3)), status="delivered"))
    assert staff_view.overview("sub-ada").returns == ()
