"""Returns: the window per country, which lines may come back, and what their refund is. Pure."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from commerce.domain.errors import InvalidState, ValidationFailed
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus

EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EU_WINDOW = timedelta(days=14)  # the EU's statutory withdrawal period
DEFAULT_WINDOW = timedelta(days=30)
# Countries whose window differs from the default of their group: set here, one line each.
WINDOW_OVERRIDES: Mapping[str, timedelta] = {}


def return_window(country: str) -> timedelta:
    """How long after delivery a buyer in `country` may ask to return: 14 days in the EU, else 30."""
    code = country.upper()
    if code in WINDOW_OVERRIDES:
        return WINDOW_OVERRIDES[code]
    return EU_WINDOW if code in EU_COUNTRIES else DEFAULT_WINDOW


class ReturnStatus(enum.StrEnum):
    """A return's way back: asked for, arrived at a location (its refund under way, nothing restocked yet),
    then refunded and back on hand in one write. A refund that is refused takes it back to requested."""

    REQUESTED = "requested"
    RECEIVED = "received"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class ReturnLine:
    sku: str
    quantity: int
    refund: int  # minor units: the line's price and tax for these units, shipping not included


@dataclass(frozen=True, slots=True)
class Return:
    id: str
    order_id: str
    lines: tuple[ReturnLine, ...]
    reason: str
    requested_at: datetime
    status: ReturnStatus = ReturnStatus.REQUESTED
    location: str | None = None
    received_at: datetime | None = None
    refund_id: str | None = None
    refunded: int = 0
    to_refund: int | None = None  # what staff agreed to refund when it arrived (the refund due, or less)

    @property
    def refund_due(self) -> int:
        return sum(line.refund for line in self.lines)

    def received(self, location: str, at: datetime, amount: int) -> Return:
        """Arrived at `location`; `amount` (0 to what is due) is to be refunded before it goes on hand."""
        if self.status is not ReturnStatus.REQUESTED:
            raise InvalidState(f"return {self.id} is {self.status.value}")
        if not 0 <= amount <= self.refund_due:
            raise ValidationFailed(
                f"the refund of return {self.id} is 0 to {self.refund_due} minor units", field="refund_amount"
            )
        return replace(
            self, status=ReturnStatus.RECEIVED, location=location, received_at=at, to_refund=amount
        )

    def refunded_as(self, refund_id: str | None) -> Return:
        """Refunded what was agreed (`refund_id` None for a refund of nothing): its units go back on hand."""
        if self.status is not ReturnStatus.RECEIVED or self.to_refund is None:
            raise InvalidState(f"return {self.id} is {self.status.value}")
        return replace(self, status=ReturnStatus.REFUNDED, refund_id=refund_id, refunded=self.to_refund)

    def reopened(self) -> Return:
        """Back to requested: its refund was refused, so nothing of it was restocked."""
        if self.status is not ReturnStatus.RECEIVED:
            raise InvalidState(f"return {self.id} is {self.status.value}")
        return replace(self, status=ReturnStatus.REQUESTED, location=None, received_at=None, to_refund=None)


def returned_units(returns: Sequence[Return]) -> dict[str, int]:
    """Units asked back so far per SKU, whatever became of their returns."""
    units: dict[str, int] = {}
    for item in returns:
        for line in item.lines:
            units[line.sku] = units.get(line.sku, 0) + line.quantity
    return units


def delivered_at(order: Order) -> datetime | None:
    """When the order's last parcel was delivered (its `order_delivered` timeline entry)."""
    times = [entry.at for entry in order.timeline if entry.event == "order_delivered"]
    return max(times) if times else None


def unit_refunds(order: Order, sku: str) -> list[int]:
    """Each unit's share of what the line was charged (its price less its discount, plus its tax where tax
    came on top of the price), in minor units, adding up exactly to the line's."""
    line = next((line for line in order.lines if line.sku == sku), None)
    if line is None:
        raise ValidationFailed(f"{sku} is not in order {order.id}", field="lines")
    zero = Money(0, order.currency)
    charged = line.line_total - (line.discount or zero)
    if not order.totals.tax_included:  # a tax-inclusive price already holds its tax
        charged = charged + (line.tax or zero)
    return [share.amount for share in charged.allocate([1] * line.quantity)]


def request_lines(
    order: Order, wanted: Mapping[str, int], earlier: Sequence[Return], now: datetime
) -> tuple[ReturnLine, ...]:
    """The lines of a new return: InvalidState outside the window or before delivery, ValidationFailed for
    more units than were bought and not already returned."""
    if order.status is not OrderStatus.DELIVERED:
        raise InvalidState(
            f"order {order.id} is {order.status.value}: only a delivered order can be returned"
        )
    delivered = delivered_at(order)
    window = return_window(order.shipping_address.get("country", ""))
    if delivered is None or now > delivered + window:
        raise InvalidState(
            f"the return window of order {order.id} ({window.days} days after delivery) has closed",
            window_days=window.days,
        )
    if not wanted or any(q <= 0 for q in wanted.values()):
        raise ValidationFailed("name at least one line, each with a quantity of 1 or more", field="lines")
    lines = []
    returned = returned_units(earlier)
    for sku, quantity in wanted.items():
        shares = unit_refunds(order, sku)
        already = returned.get(sku, 0)
        if already + quantity > len(shares):
            raise ValidationFailed(
                f"{sku}: {quantity} asked, {len(shares) - already} of {len(shares)} may still be returned",
                field="lines",
            )
        lines.append(ReturnLine(sku, quantity, sum(shares[already : already + quantity])))
    return tuple(lines)
