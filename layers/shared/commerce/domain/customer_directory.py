"""Staff finding customers: by email, by name prefix, by segment; each found customer's profile and stats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from commerce.domain.customer import Profile
from commerce.domain.ports import Page
from commerce.domain.segments import CustomerStats, Segment


@dataclass(frozen=True, slots=True)
class CustomerEntry:
    """One customer as a staff list shows them: the profile, and the stats once they ordered."""

    customer_id: str
    profile: Profile | None
    stats: CustomerStats | None

    @property
    def segment(self) -> Segment | None:
        return self.stats.segment if self.stats else None


class CustomerDirectory(Protocol):
    """Customer ids through the indexes kept with each profile (email, folded name) and segment; a page's
    position is `{"after": <last sort key>}`."""

    def with_email(self, email: str) -> list[str]:
        """Ids of the profiles whose email is this one, compared without case."""
        ...

    def by_name(self, prefix: str, limit: int, position: dict[str, str] | None) -> Page[str]:
        """Ids of profiles whose folded name starts with the folded `prefix` (all of them for ""), by name."""
        ...

    def in_segment(self, segment: Segment, limit: int, position: dict[str, str] | None) -> Page[str]: ...

    def entries(self, customer_ids: Sequence[str]) -> list[CustomerEntry]:
        """The customers in the order given; one with neither a profile nor stats is left out."""
        ...
