"""Response bodies of the staff reports (`/admin/reports/...`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from commerce.api.models import Mirror, MoneyOut
from commerce.domain.money import Money
from commerce.domain.reports import (
    CampaignFigures,
    FunnelDay,
    FunnelReport,
    RateUsed,
    SalesFigures,
    SalesReport,
)


class SalesFiguresOut(BaseModel):
    revenue: MoneyOut = Field(description="Paid orders' totals (tax and shipping included).")
    orders: int
    average_order_value: MoneyOut = Field(
        description="revenue / orders, rounded half even to the minor unit."
    )
    units: int
    refunds: MoneyOut
    refunded_orders: int
    discounts: MoneyOut

    @classmethod
    def of(cls, figures: SalesFigures, currency: str) -> SalesFiguresOut:
        def money(amount: int) -> MoneyOut:
            return MoneyOut.of(Money(amount, currency))

        return cls(
            revenue=money(figures.revenue),
            orders=figures.orders,
            average_order_value=money(figures.average_order_value(currency)),
            units=figures.units,
            refunds=money(figures.refunds),
            refunded_orders=figures.refunded_orders,
            discounts=money(figures.discounts),
        )


class SalesDayOut(SalesFiguresOut):
    day: date


class TopProductOut(BaseModel):
    product_id: str
    units_sold: int
    revenue: MoneyOut
    views: int
    cart_adds: int


class RatesUsedOut(BaseModel):
    day: date
    base: str
    rates: dict[str, str] = Field(description="Units of each currency per one unit of `base`, as stored.")


class SalesReportOut(BaseModel):
    currency: str = Field(description="Every amount is in this currency.")
    channel: str | None
    currencies: list[str] = Field(description="The currencies the range sold in, before conversion.")
    rates: list[RatesUsedOut] = Field(
        description="The FX snapshots used, per day: each amount in another currency was converted once."
    )
    total: SalesFiguresOut
    days: list[SalesDayOut]
    top_products: list[TopProductOut] = Field(
        description="By revenue; every channel (products are not per channel)."
    )

    @classmethod
    def of(cls, report: SalesReport) -> SalesReportOut:
        currency = report.currency
        return cls(
            currency=currency,
            channel=report.channel,
            currencies=list(report.currencies),
            rates=[RatesUsedOut(day=r.day, base=r.base, rates=dict(r.rates)) for r in report.rates],
            total=SalesFiguresOut.of(report.total, currency),
            days=[
                SalesDayOut(day=d.day, **SalesFiguresOut.of(d.figures, currency).model_dump())
                for d in report.per_day
            ],
            top_products=[
                TopProductOut(
                    product_id=p.product_id,
                    units_sold=p.units_sold,
                    revenue=MoneyOut.of(Money(p.revenue, currency)),
                    views=p.views,
                    cart_adds=p.cart_adds,
                )
                for p in report.top_products
            ],
        )


class FunnelStepsOut(Mirror):
    views: int
    cart_adds: int
    checkouts: int
    paid: int
    searches: int

    @classmethod
    def of(cls, day: FunnelDay) -> FunnelStepsOut:
        return cls.copying(day)


class FunnelDayOut(FunnelStepsOut):
    day: date


class ConversionOut(BaseModel):
    view_to_cart: Decimal | None = Field(description="cart adds / views; null when there were no views.")
    cart_to_checkout: Decimal | None
    checkout_to_paid: Decimal | None
    view_to_paid: Decimal | None


class FunnelReportOut(BaseModel):
    channel: str | None
    total: FunnelStepsOut
    conversion: ConversionOut
    days: list[FunnelDayOut]

    @classmethod
    def of(cls, report: FunnelReport) -> FunnelReportOut:
        return cls(
            channel=report.channel,
            total=FunnelStepsOut.of(report.total),
            conversion=ConversionOut(**report.conversion()),
            days=[FunnelDayOut(day=d.day, **FunnelStepsOut.of(d).model_dump()) for d in report.per_day],
        )


class CampaignOut(BaseModel):
    campaign: str = Field(description="The utm_campaign given when the carts were created.")
    carts: int = Field(description="Carts created with this campaign.")
    orders: int = Field(description="Orders paid from those carts.")
    revenue: MoneyOut
    conversion: Decimal | None = Field(description="orders / carts, 4 decimals; null without carts.")


class CampaignReportOut(BaseModel):
    currency: str
    rates: list[RatesUsedOut]
    campaigns: list[CampaignOut]

    @classmethod
    def of(
        cls, currency: str, campaigns: tuple[CampaignFigures, ...], rates: tuple[RateUsed, ...]
    ) -> CampaignReportOut:
        return cls(
            currency=currency,
            rates=[RatesUsedOut(day=r.day, base=r.base, rates=dict(r.rates)) for r in rates],
            campaigns=[
                CampaignOut(
                    campaign=c.campaign,
                    carts=c.carts,
                    orders=c.orders,
                    revenue=MoneyOut.of(Money(c.revenue, currency)),
                    conversion=c.conversion,
                )
                for c in campaigns
            ],
        )
