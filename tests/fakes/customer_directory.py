"""The customer directory in memory, read from the customers and segments fakes as the table's indexes
are from the profile and stats items."""

from __future__ import annotations

from collections.abc import Sequence

from commerce.domain import search
from commerce.domain.customer_directory import CustomerEntry
from commerce.domain.ports import Page
from commerce.domain.segments import Segment
from tests.fakes.analytics import InMemorySegmentStore
from tests.fakes.customers import InMemoryCustomers


def _after(sorted_keys: list[tuple[str, str]], limit: int, position: dict[str, str] | None) -> Page[str]:
    """(sort key, id) pairs past the position, a page of them, and the next position as the table's."""
    after = position["after"] if position else None
    rest = [(k, i) for k, i in sorted_keys if after is None or k > after]
    page = rest[:limit]
    more = len(rest) > limit
    return Page(items=tuple(i for _, i in page), next_position={"after": page[-1][0]} if more else None)


class InMemoryCustomerDirectory:
    def __init__(self, customers: InMemoryCustomers, segments: InMemorySegmentStore) -> None:
        self._customers = customers
        self._segments = segments

    def with_email(self, email: str) -> list[str]:
        wanted = email.strip().lower()
        return sorted(
            p.customer_id
            for p in self._customers.profiles.values()
            if p.email and p.email.strip().lower() == wanted
        )

    def by_name(self, prefix: str, limit: int, position: dict[str, str] | None) -> Page[str]:
        keys = sorted(
            (f"{search.name_key(p.name or '')}#{p.customer_id}", p.customer_id)
            for p in self._customers.profiles.values()
        )
        return _after([(k, i) for k, i in keys if k.startswith(prefix)], limit, position)

    def in_segment(self, segment: Segment, limit: int, position: dict[str, str] | None) -> Page[str]:
        keys = sorted(
            (s.customer_id, s.customer_id) for s in self._segments.customers.values() if s.segment is segment
        )
        return _after(keys, limit, position)

    def entries(self, customer_ids: Sequence[str]) -> list[CustomerEntry]:
        found = [
            CustomerEntry(c, self._customers.profiles.get(c), self._segments.customers.get(c))
            for c in dict.fromkeys(customer_ids)
        ]
        return [e for e in found if e.profile or e.stats]
