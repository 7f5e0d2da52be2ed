"""What needs staff's attention, with in-memory fakes: each section for the permission it needs, sales per
currency today and since Monday, held orders counted, disputes by deadline, flagged orders, failing webhooks
and stock running out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from commerce.domain import analytics
from commerce.domain.analytics import Increment
from commerce.domain.inventory_report import InventoryReport, SkuFigures
from commerce.domain.order import DisputeCase, Order, OrderStatus
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.domain.webhooks import Subscription
from commerce.services.attention import Attention
from tests.fakes.analytics import InMemoryAnalyticsStore
from tests.fakes.carts import InMemoryCarts
from tests.fakes.orders import InMemoryOrders, InMemoryStock
from tests.fakes.webhooks import InMemoryWebhookSubscriptions

from .order_builders import NOW, an_order

ROLES = roles_from(DEFAULT_ROLES)


class StockReportStub:
    def __init__(self, report: InventoryReport) -> None:
        self._report = report

    def report(self, limit: int | None = None, after: str | None = None) -> InventoryReport:
        return self._report


class DeadLettersStub:
    def waiting(self) -> int:
        return 3


def _sold(store: InMemoryAnalyticsStore, days_ago: int, channel: str, currency: str, gross: int) -> None:
    day = (NOW - timedelta(days=days_ago)).date().isoformat()
    counters = {analytics.ORDERS: 1, analytics.REVENUE: gross}
    store.apply(
        f"{day}{channel}{currency}{gross}",
        [Increment(analytics.SALES + day, f"{channel}#{currency}", counters)],
    )


def _world(*orders: Order) -> Attention:
    shop_orders = InMemoryOrders(InMemoryStock(), InMemoryCarts())
    shop_orders.orders.update({o.id: o for o in orders})
    sales = InMemoryAnalyticsStore()
    _sold(sales, 0, "web", "EUR", 5000)
    _sold(sales, 0, "app", "EUR", 1500)
    _sold(sales, 1, "web", "USD", 700)
    _sold(sales, 4, "web", "EUR", 9000)  # Monday, NOW being a Friday
    _sold(sales, 5, "web", "EUR", 100_000)  # last week
    subscriptions = InMemoryWebhookSubscriptions()
    for n, flagged in enumerate((True, False)):
        subscriptions.add(
            Subscription(f"whs_{n}", f"https://erp.example/{n}", ("*",), b"x", NOW, flagged=flagged)
        )
    report = InventoryReport(
        generated_at=NOW,
        locations=(),
        skus=(
            SkuFigures("MUG-1", 9, 2, 5, 1.0, 2.0),
            SkuFigures("MUG-2", 50, 40, 5, 1.0, 40.0),
            SkuFigures("MUG-3", 0, 0, 5, 1.0, 0.0),
        ),
        low_stock=("MUG-1",),
        out_of_stock=("MUG-3",),
        without_cost=(),
    )
    return Attention(
        shop_orders, sales, subscriptions, DeadLettersStub(), StockReportStub(report), lambda: NOW
    )


def test_an_admin_sees_every_section_sales_per_currency_today_and_since_monday() -> None:
    summary = _world().summary(ROLES.authority({"admin"}))

    assert summary.sales is not None
    assert [(s.currency, s.orders, s.gross) for s in summary.sales.today] == [("EUR", 2, 6500)]
    assert [(s.currency, s.orders, s.gross) for s in summary.sales.week] == [
        ("EUR", 3, 15_500),
        ("USD", 1, 700),
    ]
    assert summary.webhooks is not None
    assert [s.id for s in summary.webhooks.flagged_subscriptions] == ["whs_0"]
    assert summary.webhooks.dead_lettered_deliveries == 3
    assert summary.stock is not None
    assert [(f.sku, f.available, f.reorder_point) for f in summary.stock.low] == [("MUG-1", 2, 5)]
    assert summary.stock.out == ("MUG-3",)


def test_held_orders_are_counted_disputes_come_by_deadline_and_flagged_orders_newest_first() -> None:
    held = [
        replace(an_order(OrderStatus.ON_HOLD), id=f"held-{n}", created_at=NOW + timedelta(minutes=n))
        for n in range(25)
    ]
    late, soon = (
        replace(
            an_order(OrderStatus.DISPUTED),
            id=name,
            dispute=DisputeCase(f"dp_{name}", "fraudulent", 5000, NOW + timedelta(days=days)),
        )
        for name, days in (("late", 9), ("soon", 2))
    )
    flagged = replace(an_order(OrderStatus.CANCELLED), id="flagged", flags=("fulfillment_conflict",))

    summary = _world(*held, late, soon, flagged).summary(ROLES.authority({"support"}))

    assert summary.held_orders is not None and summary.held_orders.count == 25
    assert [o.id for o in summary.held_orders.items] == [f"held-{n}" for n in range(24, 4, -1)]
    assert [o.id for o in summary.disputes or ()] == ["soon", "late"]
    assert [(f.order_id, f.flags) for f in summary.fulfillment_conflicts or ()] == [
        ("flagged", ("fulfillment_conflict",))
    ]


def test_each_section_is_none_for_a_caller_without_its_permission() -> None:
    support = _world().summary(ROLES.authority({"support"}))
    staff = _world().summary(ROLES.authority({"staff"}))

    assert (support.sales, support.webhooks, support.stock) == (None, None, None)
    assert support.held_orders is not None and support.disputes == ()
    assert staff.webhooks is None and staff.sales is not None and staff.stock is not None
