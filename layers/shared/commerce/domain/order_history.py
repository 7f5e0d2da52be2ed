"""Placed orders as a customer sees them afterwards, and how they are pseudonymised on erasure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from commerce.domain.order_lines import OrderLine, OrderTotals

ERASED = "[erased]"

# Address fields an erased order keeps: what tax and accounting need (where the sale was taxed), and
# nothing that leads back to a person.
KEPT_ADDRESS_FIELDS = frozenset({"country", "region"})


@dataclass(frozen=True, slots=True)
class OrderRecord:
    id: str
    status: str
    currency: str
    totals: OrderTotals
    lines: tuple[OrderLine, ...]
    created_at: datetime
    customer_id: str | None = None
    email: str | None = None
    shipping_address: Mapping[str, str] | None = None
    billing_address: Mapping[str, str] | None = None
    erased_at: datetime | None = None
    disputed: bool = False  # a dispute on its timeline (opened, won or lost), whatever its status now

    def pseudonymised(self, now: datetime) -> OrderRecord:
        """The financial record without the person: amounts, lines, status, dates and country stay (tax
        law keeps them for years); email, names, phone, street and postal code become a placeholder, and
        the order no longer belongs to a customer. Pseudonymising twice keeps the first time."""
        return replace(
            self,
            customer_id=None,
            email=ERASED if self.email else None,
            shipping_address=pseudonymised_address(self.shipping_address),
            billing_address=pseudonymised_address(self.billing_address),
            erased_at=self.erased_at or now,
        )


def pseudonymised_address(address: Mapping[str, str] | None) -> dict[str, str] | None:
    """Every field but country and region replaced, so a field added later is erased by default."""
    if address is None:
        return None
    return {
        name: value if name in KEPT_ADDRESS_FIELDS else ERASED
        for name, value in address.items()
        if value not in (None, "")
    }
