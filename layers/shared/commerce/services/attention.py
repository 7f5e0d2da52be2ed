"""What needs staff's attention now, on one page: sales today and this week, held orders, open disputes,
flagged orders, failing webhooks and stock running out. Each section is read only for a caller holding its
permission (None otherwise), and each is a few Queries or GetItems: never a Scan of the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from commerce.domain import analytics
from commerce.domain.analytics_ports import Counters
from commerce.domain.flags import FlaggedOrder
from commerce.domain.inventory_report import InventoryReport, SkuFigures
from commerce.domain.order import Order, OrderStatus
from commerce.domain.permissions import Authority, Permission
from commerce.domain.ports import OrderRepository, Period
from commerce.domain.webhook_ports import WebhookSubscriptions
from commerce.domain.webhooks import Subscription

SHOWN = 20  # items per section; the section's own route lists the rest
MAX_DISPUTES = 100  # open at once: a shop has a handful
EVERY_SKU = 1_000  # the inventory report's figures for every SKU it covers (its snapshot holds them all)


class SalesCounters(Protocol):
    def partition(self, pk: str) -> dict[str, Counters]: ...


class DeadLetters(Protocol):
    def waiting(self) -> int:
        """Webhook deliveries in the dead-letter queue (approximate, as the queue counts them)."""
        ...


class StockReport(Protocol):
    def report(self, limit: int | None = None, after: str | None = None) -> InventoryReport: ...


@dataclass(frozen=True, slots=True)
class CurrencySales:
    currency: str
    orders: int
    gross: int  # minor units of `currency`


@dataclass(frozen=True, slots=True)
class SalesGlance:
    today: tuple[CurrencySales, ...]
    week: tuple[CurrencySales, ...]  # Monday (UTC) to today


@dataclass(frozen=True, slots=True)
class HeldOrders:
    count: int
    items: tuple[Order, ...]  # the newest


@dataclass(frozen=True, slots=True)
class WebhookTrouble:
    flagged_subscriptions: tuple[Subscription, ...]
    dead_lettered_deliveries: int


@dataclass(frozen=True, slots=True)
class StockGlance:
    low: tuple[SkuFigures, ...]
    out: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AttentionSummary:
    sales: SalesGlance | None
    held_orders: HeldOrders | None
    disputes: tuple[Order, ...] | None  # earliest evidence deadline first
    fulfillment_conflicts: tuple[FlaggedOrder, ...] | None
    webhooks: WebhookTrouble | None
    stock: StockGlance | None


def sales_by_currency(days: dict[date, dict[str, Counters]]) -> tuple[CurrencySales, ...]:
    """Orders and gross revenue per currency over the days' sales aggregates (every channel)."""
    totals: dict[str, tuple[int, int]] = {}
    for rows in days.values():
        for row_key, counters in rows.items():
            currency = row_key.rpartition("#")[2]
            orders, gross = totals.get(currency, (0, 0))
            totals[currency] = (
                orders + counters.get(analytics.ORDERS, 0),
                gross + counters.get(analytics.REVENUE, 0),
            )
    return tuple(CurrencySales(c, orders, gross) for c, (orders, gross) in sorted(totals.items()))


class Attention:
    def __init__(
        self,
        orders: OrderRepository,
        sales: SalesCounters,
        subscriptions: WebhookSubscriptions,
        dead_letters: DeadLetters,
        stock: StockReport,
        clock: Callable[[], datetime],
    ) -> None:
        self._orders, self._sales, self._subscriptions = orders, sales, subscriptions
        self._dead_letters, self._stock, self._clock = dead_letters, stock, clock

    def summary(self, authority: Authority) -> AttentionSummary:
        orders = authority.has(Permission.ORDERS_READ)
        return AttentionSummary(
            sales=self._sales_glance() if authority.has(Permission.REPORTS) else None,
            held_orders=self._held() if orders else None,
            disputes=self._disputes() if orders else None,
            fulfillment_conflicts=tuple(self._orders.flagged(SHOWN)) if orders else None,
            webhooks=self._webhooks() if authority.has(Permission.INTEGRATIONS) else None,
            stock=self._stock_glance() if authority.has(Permission.INVENTORY) else None,
        )

    def _sales_glance(self) -> SalesGlance:
        today = self._clock().date()
        monday = today - timedelta(days=today.weekday())
        week = {
            day: self._sales.partition(analytics.SALES + day.isoformat())
            for day in (monday + timedelta(days=n) for n in range((today - monday).days + 1))
        }
        return SalesGlance(today=sales_by_currency({today: week[today]}), week=sales_by_currency(week))

    def _held(self) -> HeldOrders:
        newest = self._orders.list_by_status(OrderStatus.ON_HOLD, Period(), SHOWN, None).items
        return HeldOrders(count=self._orders.count_by_status(OrderStatus.ON_HOLD), items=newest)

    def _disputes(self) -> tuple[Order, ...]:
        disputed = self._orders.list_by_status(OrderStatus.DISPUTED, Period(), MAX_DISPUTES, None).items
        latest = datetime.max.replace(tzinfo=self._clock().tzinfo)

        def deadline(order: Order) -> datetime:
            due = order.dispute.due_by if order.dispute else None
            return due or latest

        return tuple(sorted(disputed, key=lambda o: (deadline(o), o.id)))

    def _webhooks(self) -> WebhookTrouble:
        flagged = tuple(s for s in self._subscriptions.all() if s.flagged)
        return WebhookTrouble(flagged, self._dead_letters.waiting())

    def _stock_glance(self) -> StockGlance:
        report = self._stock.report(limit=EVERY_SKU)
        low = set(report.low_stock)
        return StockGlance(
            low=tuple(f for f in report.skus if f.sku in low)[:SHOWN], out=report.out_of_stock[:SHOWN]
        )
