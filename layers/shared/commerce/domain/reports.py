"""Sales and funnel reports computed from the analytics aggregates (pure; docs/analytics.md, "Reports").

Amounts are in the report's currency. A figure kept in another currency is converted once, with the FX
snapshot stored for its day: `amount * rate[report] / rate[from]` (both against the snapshot's base), exact,
then rounded half even to the report currency's minor unit. The rates used are part of the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from commerce.domain import analytics
from commerce.domain.analytics_ports import Counters, DayRates
from commerce.domain.currency import currency as lookup_currency
from commerce.domain.errors import ValidationFailed
from commerce.domain.money import Money, Rounding

MAX_DAYS = 92  # one Query per day and kind: a quarter is at most 276 small Queries
TOP_PRODUCTS = 10
FX_ROUNDING = Rounding.HALF_EVEN
SALES_AMOUNTS = (analytics.REVENUE, analytics.REFUNDS, analytics.DISCOUNTS)


class MissingRates(ValidationFailed, status=422):
    """The range mixes currencies and a day has no FX snapshot (or it lacks a currency) to convert with."""


def days(first: date, last: date) -> list[date]:
    if last < first:
        raise ValidationFailed("`to` is before `from`")
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise ValidationFailed(f"a report covers at most {MAX_DAYS} days; this asks for {count}")
    return [first + timedelta(days=n) for n in range(count)]


@dataclass(frozen=True, slots=True)
class RateUsed:
    day: date
    base: str
    rates: dict[str, str]  # units of each currency per one unit of `base`, as stored


class Converter:
    """Converts each figure once with its day's stored rates, and remembers which rates it used."""

    def __init__(self, target: str, rates_for: Callable[[date], DayRates | None]) -> None:
        lookup_currency(target)
        self.target = target
        self._rates_for = rates_for
        self._snapshots: dict[date, DayRates | None] = {}
        self.used: dict[date, RateUsed] = {}

    def convert(self, amount: int, currency: str, day: date) -> int:
        if currency == self.target or amount == 0:
            return amount
        snapshot = self._snapshot(day)
        factor = _rate(snapshot, self.target) / _rate(snapshot, currency)
        shift = lookup_currency(self.target).exponent - lookup_currency(currency).exponent
        converted = Money(amount, self.target).multiply(factor * Fraction(10) ** shift, FX_ROUNDING)
        used = self.used.setdefault(day, RateUsed(day, snapshot.base, {}))
        for code in (currency, self.target):
            if code != snapshot.base:
                used.rates[code] = snapshot.rates[code]
        return converted.amount

    def _snapshot(self, day: date) -> DayRates:
        if day not in self._snapshots:
            self._snapshots[day] = self._rates_for(day)
        snapshot = self._snapshots[day]
        if snapshot is None:
            raise MissingRates(f"no FX snapshot is stored for {day.isoformat()} to convert to {self.target}")
        return snapshot


def _rate(snapshot: DayRates, code: str) -> Fraction:
    if code == snapshot.base:
        return Fraction(1)
    text = snapshot.rates.get(code)
    if text is None:
        raise MissingRates(f"the {snapshot.day.isoformat()} FX snapshot has no {snapshot.base}/{code} rate")
    return Fraction(Decimal(text))


@dataclass(slots=True)
class SalesFigures:
    revenue: int = 0
    orders: int = 0
    units: int = 0
    refunds: int = 0
    refunded_orders: int = 0
    discounts: int = 0

    def add(self, other: SalesFigures) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def average_order_value(self, currency: str) -> int:
        """Revenue / orders, rounded half even to the minor unit; 0 without orders."""
        if not self.orders:
            return 0
        return Money(self.revenue, currency).multiply(Fraction(1, self.orders), FX_ROUNDING).amount


@dataclass(frozen=True, slots=True)
class SalesDay:
    day: date
    figures: SalesFigures


@dataclass(frozen=True, slots=True)
class ProductSales:
    product_id: str
    units_sold: int
    revenue: int
    views: int
    cart_adds: int


@dataclass(frozen=True, slots=True)
class SalesReport:
    currency: str
    first: date
    last: date
    channel: str | None
    per_day: tuple[SalesDay, ...]
    total: SalesFigures
    top_products: tuple[ProductSales, ...]
    currencies: tuple[str, ...]  # every currency the range sold in
    rates: tuple[RateUsed, ...] = field(default_factory=tuple)


def sales_report(
    currency: str,
    channel: str | None,
    sales: Mapping[date, Mapping[str, Counters]],
    products: Mapping[date, Mapping[str, Counters]],
    converter: Converter,
    sold_in: str | None = None,
) -> SalesReport:
    """`sales[day]` and `products[day]` are the day's aggregate partitions (sort key -> counters); `sold_in`
    keeps only the sales made in that currency (product revenue too; product units count every currency)."""
    per_day: list[SalesDay] = []
    total = SalesFigures()
    seen: set[str] = set()
    for day in sorted(sales):
        figures = SalesFigures()
        for key, counters in sales[day].items():
            row_channel, _, row_currency = key.partition("#")
            if (channel is not None and row_channel != channel) or (sold_in and row_currency != sold_in):
                continue
            seen.add(row_currency)
            figures.add(_figures(counters, row_currency, day, converter))
        per_day.append(SalesDay(day, figures))
        total.add(figures)
    top = _top_products(products, converter, seen, sold_in)
    return SalesReport(
        currency=currency,
        first=min(sales, default=date.min),
        last=max(sales, default=date.min),
        channel=channel,
        per_day=tuple(per_day),
        total=total,
        top_products=top,
        currencies=tuple(sorted(seen)),
        rates=tuple(converter.used[d] for d in sorted(converter.used)),
    )


def _figures(counters: Counters, currency: str, day: date, converter: Converter) -> SalesFigures:
    def amount(name: str) -> int:
        return converter.convert(int(counters.get(name, 0)), currency, day)

    return SalesFigures(
        revenue=amount(analytics.REVENUE),
        orders=int(counters.get(analytics.ORDERS, 0)),
        units=int(counters.get(analytics.UNITS, 0)),
        refunds=amount(analytics.REFUNDS),
        refunded_orders=int(counters.get(analytics.REFUNDED_ORDERS, 0)),
        discounts=amount(analytics.DISCOUNTS),
    )


def _top_products(
    products: Mapping[date, Mapping[str, Counters]], converter: Converter, seen: set[str], sold_in: str | None
) -> tuple[ProductSales, ...]:
    totals: dict[str, list[int]] = {}  # product -> [units, revenue, views, cart adds]
    prefix = analytics.product_revenue("")
    for day in sorted(products):
        for product_id, counters in products[day].items():
            row = totals.setdefault(product_id, [0, 0, 0, 0])
            row[0] += int(counters.get(analytics.UNITS_SOLD, 0))
            row[2] += int(counters.get(analytics.VIEWS, 0))
            row[3] += int(counters.get(analytics.CART_ADDS, 0))
            for name, value in counters.items():
                if name.startswith(prefix) and (not sold_in or name == prefix + sold_in):
                    code = name[len(prefix) :]
                    seen.add(code)
                    row[1] += converter.convert(int(value), code, day)
    ranked = sorted(totals.items(), key=lambda item: (-item[1][1], -item[1][0], item[0]))
    return tuple(
        ProductSales(product_id, units, revenue, views, adds)
        for product_id, (units, revenue, views, adds) in ranked
        if units
    )[:TOP_PRODUCTS]


@dataclass(frozen=True, slots=True)
class FunnelDay:
    day: date
    views: int
    cart_adds: int
    checkouts: int
    paid: int
    searches: int


@dataclass(frozen=True, slots=True)
class FunnelReport:
    first: date
    last: date
    channel: str | None
    per_day: tuple[FunnelDay, ...]
    total: FunnelDay

    def conversion(self) -> dict[str, Decimal | None]:
        """Each step's rate from the one before, and views to paid, as fractions with 4 decimals; None when
        the step before it counted nothing."""
        t = self.total
        return {
            "view_to_cart": _ratio(t.cart_adds, t.views),
            "cart_to_checkout": _ratio(t.checkouts, t.cart_adds),
            "checkout_to_paid": _ratio(t.paid, t.checkouts),
            "view_to_paid": _ratio(t.paid, t.views),
        }


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def funnel_report(channel: str | None, funnel: Mapping[date, Mapping[str, Counters]]) -> FunnelReport:
    per_day = [_funnel_day(day, funnel[day], channel) for day in sorted(funnel)]
    total = FunnelDay(
        date.min,
        *(
            sum(getattr(d, name) for d in per_day)
            for name in ("views", "cart_adds", "checkouts", "paid", "searches")
        ),
    )
    return FunnelReport(
        first=min(funnel, default=date.min),
        last=max(funnel, default=date.min),
        channel=channel,
        per_day=tuple(per_day),
        total=total,
    )


def _funnel_day(day: date, rows: Mapping[str, Counters], channel: str | None) -> FunnelDay:
    chosen: Iterable[Counters] = [c for sk, c in rows.items() if channel is None or sk == channel]
    chosen = list(chosen)

    def count(name: str) -> int:
        return sum(int(c.get(name, 0)) for c in chosen)

    return FunnelDay(
        day,
        count(analytics.VIEWS),
        count(analytics.CART_ADDS),
        count(analytics.CHECKOUTS),
        count(analytics.PAID),
        count(analytics.SEARCHES),
    )


@dataclass(frozen=True, slots=True)
class CampaignFigures:
    campaign: str
    carts: int  # carts created with this utm_campaign
    orders: int  # of them, orders paid
    revenue: int  # those orders' totals, in the report's currency

    @property
    def conversion(self) -> Decimal | None:
        """Paid orders per cart created, 4 decimals; None without carts."""
        return _ratio(self.orders, self.carts)


def campaign_report(
    campaigns: Mapping[date, Mapping[str, Counters]], converter: Converter
) -> tuple[CampaignFigures, ...]:
    """Per campaign over the days, by revenue then name; each day's amount per currency converted once."""
    totals: dict[str, list[int]] = {}
    prefix = analytics.product_revenue("")
    for day in sorted(campaigns):
        for campaign, counters in campaigns[day].items():
            row = totals.setdefault(campaign, [0, 0, 0])
            row[0] += int(counters.get(analytics.CARTS, 0))
            row[1] += int(counters.get(analytics.ORDERS, 0))
            for name, value in counters.items():
                if name.startswith(prefix):
                    row[2] += converter.convert(int(value), name[len(prefix) :], day)
    ranked = sorted(totals.items(), key=lambda item: (-item[1][2], item[0]))
    return tuple(CampaignFigures(name, carts, orders, revenue) for name, (carts, orders, revenue) in ranked)
