"""Staff's customer list: a search by email (exact, any case) or by name prefix (any case or accent), or
the customers of a segment, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from commerce.domain import search
from commerce.domain.customer_directory import CustomerDirectory, CustomerEntry
from commerce.domain.ports import Page
from commerce.domain.segments import Segment
from commerce.services.pagination import CursorCodec, CursorPage, check_limit


@dataclass(frozen=True, slots=True)
class CustomerQuery:
    q: str | None = None
    segment: Segment | None = None
    limit: int = 50
    cursor: str | None = None


class CustomerFinder:
    def __init__(self, directory: CustomerDirectory, cursors: CursorCodec) -> None:
        self._directory = directory
        self._cursors = cursors

    def find(self, query: CustomerQuery) -> CursorPage[CustomerEntry]:
        """A query with an `@` is an email; other text a name prefix; none lists the segment, else everyone
        by name. A search within a segment keeps only the segment's customers (pages may be short)."""
        check_limit(query.limit)
        text = (query.q or "").strip()
        email = text if "@" in text else None
        name = "" if email else search.name_key(text)
        context = {"email": email, "name": name, "segment": query.segment, "customers": True}
        position = self._cursors.decode(query.cursor, context) if query.cursor else None
        ids = self._ids(email, name, query, position)
        entries = self._directory.entries(ids.items)
        if query.segment and (email or name):
            entries = [e for e in entries if e.segment is query.segment]
        next_cursor = self._cursors.encode(ids.next_position, context) if ids.next_position else None
        return CursorPage(items=tuple(entries), next_cursor=next_cursor)

    def _ids(
        self, email: str | None, name: str, query: CustomerQuery, position: dict[str, str] | None
    ) -> Page[str]:
        if email:
            return Page(items=tuple(self._directory.with_email(email)), next_position=None)
        if query.segment and not name:
            return self._directory.in_segment(query.segment, query.limit, position)
        return self._directory.by_name(name, query.limit, position)
