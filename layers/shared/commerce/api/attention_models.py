"""The response of GET /admin/attention: each section null when the caller lacks its permission."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from commerce.services.attention import AttentionSummary, CurrencySales, SalesGlance


class CurrencySalesOut(BaseModel):
    currency: str
    orders: int
    gross: int = Field(description="Minor units of `currency`: the orders' totals, every channel.")

    @classmethod
    def of(cls, sales: CurrencySales) -> CurrencySalesOut:
        return cls(currency=sales.currency, orders=sales.orders, gross=sales.gross)


class SalesGlanceOut(BaseModel):
    today: list[CurrencySalesOut]
    week: list[CurrencySalesOut] = Field(description="Monday (UTC) to today.")

    @classmethod
    def of(cls, glance: SalesGlance) -> SalesGlanceOut:
        return cls(
            today=[CurrencySalesOut.of(s) for s in glance.today],
            week=[CurrencySalesOut.of(s) for s in glance.week],
        )


class HeldOrderOut(BaseModel):
    id: str
    email: str
    created_at: datetime
    total: int = Field(description="Minor units of `currency`.")
    currency: str
    hold_reasons: list[str]


class HeldOrdersOut(BaseModel):
    count: int = Field(description="Every order on hold.")
    items: list[HeldOrderOut] = Field(description="The newest 20 (GET /admin/orders lists them all).")


class DisputeGlanceOut(BaseModel):
    order_id: str
    amount: int = Field(description="Minor units disputed, of `currency`.")
    currency: str
    reason: str
    status: str = Field(description="open: the order is disputed now")
    due_by: datetime | None = Field(description="When the evidence must reach the bank.")


class FlaggedOrderOut(BaseModel):
    order_id: str
    flags: list[str] = Field(description="fulfillment_conflict, refund_outside_shop, payment_mismatch, ...")
    created_at: datetime


class FlaggedSubscriptionOut(BaseModel):
    id: str
    url: str
    status: str = Field(description="active or paused")


class WebhookTroubleOut(BaseModel):
    flagged_subscriptions: list[FlaggedSubscriptionOut] = Field(
        description="Subscriptions a delivery of which ended in the dead-letter queue (until resumed)."
    )
    dead_lettered_deliveries: int = Field(description="Deliveries in the dead-letter queue (approximate).")


class LowStockOut(BaseModel):
    sku: str
    available: int
    reorder_point: int | None


class OutOfStockOut(BaseModel):
    sku: str


class StockGlanceOut(BaseModel):
    low: list[LowStockOut] = Field(description="At or below the reorder point (the first 20 by SKU).")
    out: list[OutOfStockOut] = Field(description="Nothing available (the first 20 by SKU).")


class AttentionOut(BaseModel):
    sales: SalesGlanceOut | None = Field(description="Permission reports.")
    held_orders: HeldOrdersOut | None = Field(description="Permission orders:read.")
    disputes: list[DisputeGlanceOut] | None = Field(
        description="Open disputes, earliest deadline first (orders:read)."
    )
    fulfillment_conflicts: list[FlaggedOrderOut] | None = Field(
        description="The newest 20 flagged orders (orders:read)."
    )
    webhooks: WebhookTroubleOut | None = Field(description="Permission integrations.")
    stock: StockGlanceOut | None = Field(description="Permission inventory; from the inventory report.")

    @classmethod
    def of(cls, summary: AttentionSummary) -> AttentionOut:
        held, webhooks, stock = summary.held_orders, summary.webhooks, summary.stock
        return cls(
            sales=SalesGlanceOut.of(summary.sales) if summary.sales else None,
            held_orders=HeldOrdersOut(
                count=held.count,
                items=[
                    HeldOrderOut(
                        id=o.id,
                        email=o.email,
                        created_at=o.created_at,
                        total=o.totals.total.amount,
                        currency=o.currency,
                        hold_reasons=list(o.hold_reasons),
                    )
                    for o in held.items
                ],
            )
            if held
            else None,
            disputes=None
            if summary.disputes is None
            else [
                DisputeGlanceOut(
                    order_id=o.id,
                    amount=o.dispute.amount if o.dispute else 0,
                    currency=o.currency,
                    reason=o.dispute.reason if o.dispute else "",
                    status="open",
                    due_by=o.dispute.due_by if o.dispute else None,
                )
                for o in summary.disputes
            ],
            fulfillment_conflicts=None
            if summary.fulfillment_conflicts is None
            else [
                FlaggedOrderOut(order_id=f.order_id, flags=list(f.flags), created_at=f.created_at)
                for f in summary.fulfillment_conflicts
            ],
            webhooks=WebhookTroubleOut(
                flagged_subscriptions=[
                    FlaggedSubscriptionOut(id=s.id, url=s.url, status=s.status.value)
                    for s in webhooks.flagged_subscriptions
                ],
                dead_lettered_deliveries=webhooks.dead_lettered_deliveries,
            )
            if webhooks
            else None,
            stock=StockGlanceOut(
                low=[
                    LowStockOut(sku=f.sku, available=f.available, reorder_point=f.reorder_point)
                    for f in stock.low
                ],
                out=[OutOfStockOut(sku=sku) for sku in stock.out],
            )
            if stock
            else None,
        )
