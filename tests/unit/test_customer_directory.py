"""Staff find customers by email in any case or by the start of their name in any case or accent, list a
segment's or everyone by name, a page at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from commerce.domain.customer import Profile
from commerce.domain.errors import InvalidCursor, ValidationFailed
from commerce.domain.segments import CustomerStats, Segment
from commerce.services.customer_directory import CustomerFinder, CustomerQuery
from commerce.services.pagination import CursorCodec
from tests.fakes.analytics import InMemorySegmentStore
from tests.fakes.customer_directory import InMemoryCustomerDirectory
from tests.fakes.customers import InMemoryCustomers

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
PEOPLE = {
    "sub-1": ("Élodie Martin", "elodie@example.com"),
    "sub-2": ("eloise durand", "Eloise.Durand@Example.com"),
    "sub-3": ("Bruno Keller", "bruno@example.com"),
    "sub-4": (None, "noname@example.com"),
}


@pytest.fixture
def finder() -> CustomerFinder:
    customers = InMemoryCustomers()
    for customer_id, (name, email) in PEOPLE.items():
        customers.profiles[customer_id] = replace(Profile.new(customer_id, email, NOW), name=name)
    repeat = [CustomerStats(c, 2, {"EUR": 5000}, NOW, Segment.REPEAT) for c in ("sub-3", "sub-1", "sub-9")]
    directory = InMemoryCustomerDirectory(customers, InMemorySegmentStore(repeat))
    return CustomerFinder(directory, CursorCodec(lambda: b"k" * 32))


def ids(finder: CustomerFinder, **query: object) -> list[str]:
    return [e.customer_id for e in finder.find(CustomerQuery(**query)).items]  # type: ignore[arg-type]


def test_an_email_finds_its_customer_whatever_its_case(finder: CustomerFinder) -> None:
    assert ids(finder, q="eloise.durand@example.COM") == ["sub-2"]
    assert ids(finder, q=" ELODIE@example.com ") == ["sub-1"]
    assert ids(finder, q="elodie@example.org") == []


def test_a_name_prefix_finds_customers_whatever_the_case_and_accents(finder: CustomerFinder) -> None:
    assert ids(finder, q="elo") == ["sub-1", "sub-2"]
    assert ids(finder, q="ÉLODIE   mar") == ["sub-1"]
    assert ids(finder, q="martin") == [], "a prefix of the whole name, not of any word"


def test_without_a_query_staff_page_through_everyone_by_name(finder: CustomerFinder) -> None:
    first = finder.find(CustomerQuery(limit=3))
    second = finder.find(CustomerQuery(limit=3, cursor=first.next_cursor))

    assert [e.customer_id for e in first.items + second.items] == ["sub-4", "sub-3", "sub-1", "sub-2"]
    assert second.next_cursor is None


def test_a_segment_lists_its_members_with_their_stats_and_pages(finder: CustomerFinder) -> None:
    first = finder.find(CustomerQuery(segment=Segment.REPEAT, limit=2))
    second = finder.find(CustomerQuery(segment=Segment.REPEAT, limit=2, cursor=first.next_cursor))

    assert [e.customer_id for e in first.items] == ["sub-1", "sub-3"]
    assert [e.customer_id for e in second.items] == ["sub-9"], "stats without a profile still list"
    assert first.items[0].profile is not None and first.items[0].profile.name == "Élodie Martin"
    assert first.items[0].stats is not None and first.items[0].stats.orders == 2


def test_a_search_within_a_segment_keeps_the_segments_customers(finder: CustomerFinder) -> None:
    assert ids(finder, q="elo", segment=Segment.REPEAT) == ["sub-1"]
    assert ids(finder, q="eloise.durand@example.com", segment=Segment.REPEAT) == []


def test_a_bad_limit_or_a_cursor_of_another_query_is_refused(finder: CustomerFinder) -> None:
    cursor = finder.find(CustomerQuery(limit=1)).next_cursor
    with pytest.raises(InvalidCursor):
        finder.find(CustomerQuery(q="elo", limit=1, cursor=cursor))
    with pytest.raises(ValidationFailed):
        finder.find(CustomerQuery(limit=0))
