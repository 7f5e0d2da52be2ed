"""One customer whole, for staff: profile, segment, lifetime value, orders, returns, disputes and staff
notes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from commerce.domain.errors import NotFound, ValidationFailed
from commerce.domain.order_history import OrderRecord
from commerce.domain.ports import CustomerRepository, OrderHistory
from commerce.domain.returns import Return
from commerce.domain.segments import CustomerStats
from commerce.domain.staff_notes import StaffNote

MAX_ORDERS = 100  # the newest; the full history pages through GET /admin/orders
MAX_NOTE = 2_000
COUNTED_STATUSES = ("paid", "disputed", "on_hold")
# Only a delivered order can be returned (domain/returns.py); it may be disputed after (a closed dispute
# gives it its status back): so these, and any order with a dispute on its timeline, are asked for returns.
MAY_HAVE_RETURNS = ("delivered", "disputed")


class StaffNotes(Protocol):
    def add(self, customer_id: str, note: StaffNote) -> None: ...

    def list(self, customer_id: str) -> list[StaffNote]:
        """Newest first."""
        ...


class ReturnsReader(Protocol):
    def for_order(self, order_id: str) -> list[Return]: ...


class StatsReader(Protocol):
    def get(self, customer_id: str) -> CustomerStats | None: ...


@dataclass(frozen=True, slots=True)
class CustomerOverview:
    customer_id: str
    email: str | None
    name: str | None
    locale: str | None
    created_at: datetime
    segment: str | None
    lifetime_value: dict[str, int]  # currency -> minor units: totals of paid, held and disputed orders
    orders: tuple[OrderRecord, ...]
    disputes: tuple[OrderRecord, ...]  # disputed now, or with a dispute on their timeline
    notes: tuple[StaffNote, ...]
    returns: tuple[Return, ...] = ()  # newest first


class CustomerView:
    def __init__(
        self,
        customers: CustomerRepository,
        orders: OrderHistory,
        stats: StatsReader,
        notes: StaffNotes,
        clock: Callable[[], datetime],
        returns: ReturnsReader | None = None,
    ) -> None:
        self._customers, self._orders, self._stats, self._notes, self._clock = (
            customers,
            orders,
            stats,
            notes,
            clock,
        )
        self._returns = returns

    def overview(self, customer_id: str) -> CustomerOverview:
        profile = self._customers.get_profile(customer_id)
        if profile is None:
            raise NotFound(f"no customer {customer_id}")
        orders = self._orders.list_orders(customer_id, MAX_ORDERS, None).items
        value: dict[str, int] = {}
        for order in orders:
            if order.status in COUNTED_STATUSES:
                value[order.currency] = value.get(order.currency, 0) + order.totals.total.amount
        stats = self._stats.get(customer_id)
        return CustomerOverview(
            customer_id=customer_id,
            email=profile.email,
            name=profile.name,
            locale=profile.locale,
            created_at=profile.created_at,
            segment=stats.segment.value if stats and stats.segment else None,
            lifetime_value=value,
            orders=orders,
            disputes=tuple(o for o in orders if o.status == "disputed" or o.disputed),
            notes=tuple(self._notes.list(customer_id)),
            returns=self._returns_of(orders),
        )

    def _returns_of(self, orders: tuple[OrderRecord, ...]) -> tuple[Return, ...]:
        """The returns of the orders that can have any: one Query per such order, no Scan."""
        if self._returns is None:
            return ()
        found = [
            item
            for order in orders
            if order.status in MAY_HAVE_RETURNS or order.disputed
            for item in self._returns.for_order(order.id)
        ]
        return tuple(sorted(found, key=lambda r: (r.requested_at, r.id), reverse=True))

    def add_note(self, customer_id: str, author: str, text: str) -> StaffNote:
        text = text.strip()
        if not text or len(text) > MAX_NOTE:
            raise ValidationFailed(f"a note is 1 to {MAX_NOTE} characters")
        if self._customers.get_profile(customer_id) is None:
            raise NotFound(f"no customer {customer_id}")
        note = StaffNote(str(uuid.uuid4()), self._clock(), author, text)
        self._notes.add(customer_id, note)
        return note
