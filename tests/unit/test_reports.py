"""Sales and funnel reports from the aggregates, with in-memory fakes (FX through fake stored rates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from commerce.domain import analytics
from commerce.domain.analytics_ports import DayRates
from commerce.domain.errors import UnsupportedCurrency, ValidationFailed
from commerce.domain.events import DomainEvent, order_event
from commerce.domain.reports import MissingRates
from commerce.services.analytics import AnalyticsRecorder
from commerce.services.reports import Reports
from tests.fakes.analytics import (
    InMemoryAnalyticsStore,
    InMemoryProductDirectory,
    InMemoryRawEventArchive,
    InMemoryReportingRates,
)

D1, D2 = date(2026, 11, 24), date(2026, 11, 25)
RATES = [
    DayRates(D1, "EUR", {"USD": "1.0812", "JPY": "162.35"}),
    DayRates(D2, "EUR", {"USD": "1.0500", "JPY": "160.00"}),
]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def paid(
    order_id: str, day: date, currency: str, total: int, lines: list[tuple[str, int, int]], **extra: object
) -> DomainEvent:
    data = {
        "currency": currency,
        "total": total,
        "discount": extra.get("discount", 0),
        "channel": extra.get("channel", "web"),
        "campaign": extra.get("campaign"),
        "lines": [{"sku": sku, "quantity": q, "line_total": t} for sku, q, t in lines],
    }
    return order_event("OrderPaid", order_id, at(day), data)


def world(*events: DomainEvent, rates: list[DayRates] = RATES) -> tuple[Reports, InMemoryReportingRates]:
    store = InMemoryAnalyticsStore()
    recorder = AnalyticsRecorder(
        store, InMemoryRawEventArchive(), InMemoryProductDirectory({"TEE": "tee", "MUG": "mug"})
    )
    for event in events:
        recorder.record(event.envelope())
    fake_rates = InMemoryReportingRates(rates)
    return Reports(store, fake_rates, ("EUR", "USD", "JPY")), fake_rates


def test_a_single_currency_report_adds_up_the_days_without_converting_anything() -> None:
    reports, rates = world(
        paid("a", D1, "EUR", 2_500, [("TEE", 1, 2_500)], discount=300),
        paid("b", D1, "EUR", 1_000, [("MUG", 2, 1_000)]),
        paid("c", D2, "EUR", 4_001, [("TEE", 2, 4_001)]),
    )

    report = reports.sales(D1, D2, None, "EUR")

    assert [(d.day, d.figures.revenue, d.figures.orders, d.figures.units) for d in report.per_day] == [
        (D1, 3_500, 2, 3),
        (D2, 4_001, 1, 2),
    ]
    assert report.total.revenue == 7_501
    assert report.total.discounts == 300
    assert report.total.average_order_value("EUR") == 2_500  # 7501 / 3 = 2500.33, half even
    assert report.rates == ()
    assert rates.asked == []


def test_a_range_with_several_currencies_converts_each_amount_once_with_its_days_stored_rate() -> None:
    reports, _ = world(
        paid("a", D1, "USD", 10_812, [("TEE", 1, 10_812)]),
        paid("b", D1, "USD", 1, [("MUG", 1, 1)]),
        paid("c", D2, "JPY", 16_000, [("TEE", 2, 16_000)]),
        paid("d", D2, "EUR", 999, [("MUG", 1, 999)]),
    )

    report = reports.sales(D1, D2, None, "EUR")

    # Day 1: the day's USD revenue (10 813 cents) converted once: 10813 / 1.0812 = 10000.92 -> 10 001 cents.
    day1_usd = Fraction(10_813) / Fraction(Decimal("1.0812"))
    assert report.per_day[0].figures.revenue == round(day1_usd) == 10_001
    # Day 2: 16 000 yen / 160 = 100 EUR = 10 000 cents, plus 999 EUR cents unconverted.
    assert report.per_day[1].figures.revenue == 10_000 + 999
    assert report.total.revenue == 10_001 + 10_999
    assert report.currencies == ("EUR", "JPY", "USD")
    assert [(r.day, r.base, r.rates) for r in report.rates] == [
        (D1, "EUR", {"USD": "1.0812"}),
        (D2, "EUR", {"JPY": "160.00"}),
    ]


def test_converting_into_a_currency_other_than_the_snapshots_base_goes_through_both_rates_once() -> None:
    reports, _ = world(paid("a", D1, "JPY", 16_235, [("TEE", 1, 16_235)]))

    report = reports.sales(D1, D1, None, "USD")

    # 16 235 yen = 100 EUR (rate 162.35) = 108.12 USD: one rounding, to the cent.
    assert report.total.revenue == 10_812
    assert report.rates[0].rates == {"JPY": "162.35", "USD": "1.0812"}


def test_a_mixed_currency_range_without_a_stored_snapshot_for_a_day_is_refused_with_422() -> None:
    reports, _ = world(paid("a", D1, "USD", 100, [("TEE", 1, 100)]), rates=[])

    with pytest.raises(MissingRates) as refused:
        reports.sales(D1, D1, None, "EUR")

    assert refused.value.status == 422
    assert D1.isoformat() in str(refused.value)


def test_top_products_rank_by_converted_revenue_over_the_range() -> None:
    reports, _ = world(
        paid("a", D1, "EUR", 500, [("MUG", 5, 500)]),
        paid("b", D2, "JPY", 16_000, [("TEE", 1, 16_000)]),  # 100 EUR
    )

    top = reports.sales(D1, D2, None, "EUR").top_products

    assert [(p.product_id, p.units_sold, p.revenue) for p in top] == [("tee", 1, 10_000), ("mug", 5, 500)]


def test_refunds_are_reported_on_the_day_they_were_issued() -> None:
    refund = DomainEvent("RefundIssued", at(D2), {"order_id": "a", "amount": 700, "currency": "EUR"})
    reports, _ = world(paid("a", D1, "EUR", 2_000, [("TEE", 1, 2_000)]), refund)

    report = reports.sales(D1, D2, None, "EUR")

    assert [(d.figures.refunds, d.figures.refunded_orders) for d in report.per_day] == [(0, 0), (700, 1)]


def test_the_channel_filter_keeps_only_that_channels_sales() -> None:
    reports, _ = world(
        paid("a", D1, "EUR", 2_000, [("TEE", 1, 2_000)], channel="web"),
        paid("b", D1, "EUR", 3_000, [("TEE", 1, 3_000)], channel="pos"),
    )

    assert reports.sales(D1, D1, "pos", "EUR").total.revenue == 3_000
    assert reports.sales(D1, D1, None, "EUR").total.revenue == 5_000


def test_a_report_in_a_currency_the_shop_does_not_sell_in_is_refused() -> None:
    reports, _ = world()

    with pytest.raises(UnsupportedCurrency):
        reports.sales(D1, D1, None, "GBP")


@pytest.mark.parametrize(("first", "last"), [(D2, D1), (D1, D1 + timedelta(days=92))])
def test_a_backwards_or_too_long_range_is_refused(first: date, last: date) -> None:
    reports, _ = world()

    with pytest.raises(ValidationFailed):
        reports.sales(first, last, None, "EUR")


def test_the_funnel_counts_each_step_and_the_conversion_between_them() -> None:
    who = analytics.ShopperContext(channel="web", currency="EUR")
    events = [analytics.product_viewed(who, "tee", at(D1)) for _ in range(8)]
    events += [analytics.cart_line_added(who, "c", "TEE", "tee", 1, at(D1)) for _ in range(4)]
    events += [analytics.checkout_started(who, f"o{n}", at(D2)) for n in range(2)]
    events.append(paid("o1", D2, "EUR", 100, [("TEE", 1, 100)]))
    reports, _ = world(*events)

    funnel = reports.funnel(D1, D2, None)

    assert (funnel.total.views, funnel.total.cart_adds, funnel.total.checkouts, funnel.total.paid) == (
        8,
        4,
        2,
        1,
    )
    assert funnel.conversion() == {
        "view_to_cart": Decimal("0.5000"),
        "cart_to_checkout": Decimal("0.5000"),
        "checkout_to_paid": Decimal("0.5000"),
        "view_to_paid": Decimal("0.1250"),
    }
    assert [d.views for d in funnel.per_day] == [8, 0]


def test_an_empty_funnel_has_no_conversion_rather_than_a_division_by_zero() -> None:
    reports, _ = world()

    assert set(reports.funnel(D1, D1, None).conversion().values()) == {None}


def test_campaigns_count_their_carts_paid_orders_revenue_and_conversion() -> None:
    who = analytics.ShopperContext(channel="web", currency="EUR")
    spring = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring"}
    events: list[DomainEvent] = [analytics.cart_created(who, f"c{n}", spring, at(D1)) for n in range(4)]
    events += [analytics.cart_created(who, "c9", {"utm_campaign": "ads"}, at(D1))]
    events += [analytics.cart_created(who, "c10", {}, at(D1))]  # no campaign: not in the report
    events += [
        paid("o1", D1, "EUR", 2_000, [("TEE", 1, 2_000)], campaign="spring"),
        paid("o2", D2, "USD", 10_500, [("MUG", 1, 10_500)], campaign="spring"),  # 100 EUR at 1.05
    ]
    reports, _ = world(*events)

    currency, campaigns, rates = reports.campaigns(D1, D2, "EUR")

    assert currency == "EUR"
    assert [(c.campaign, c.carts, c.orders, c.revenue, c.conversion) for c in campaigns] == [
        ("spring", 4, 2, 12_000, Decimal("0.5000")),
        ("ads", 1, 0, 0, Decimal("0.0000")),
    ]
    assert [(r.day, r.rates) for r in rates] == [(D2, {"USD": "1.0500"})]
