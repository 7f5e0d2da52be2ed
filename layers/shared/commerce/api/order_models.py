"""Request and response bodies of the order status and staff order routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from commerce.api.models import InvoiceDetailsOut, Mirror, MoneyOut, OrderLineOut, OrderTotalsOut, Strict
from commerce.domain.order import Order
from commerce.services.order_view import OrderDossier
from commerce.services.orders import payment_status
from commerce.services.pagination import CursorPage


class OrderPaymentOut(BaseModel):
    status: str = Field(description="pending, succeeded, failed, canceled, partially_refunded or refunded")
    refunded: MoneyOut


class TimelineEntryOut(BaseModel):
    at: datetime
    event: str
    detail: str = ""


class OrderOut(Mirror):
    id: str
    status: str = Field(description="the order's status: docs/order-lifecycle.md lists them and their moves")
    currency: str
    created_at: datetime
    lines: list[OrderLineOut]
    totals: OrderTotalsOut
    payment: OrderPaymentOut
    timeline: list[TimelineEntryOut]
    cancel_reason: str | None = None
    invoice: InvoiceDetailsOut | None = Field(
        default=None, description="Pricing: seller, tax rule, discounts."
    )
    channel: str | None = Field(
        default=None, description="The sales channel it was taken on (web, app, marketplace:..., pos:...)."
    )

    @classmethod
    def of(cls, order: Order) -> OrderOut:
        return cls.copying(
            order,
            status=order.status.value,
            lines=[OrderLineOut.of(line) for line in order.lines],
            totals=OrderTotalsOut.of(order.totals),
            payment=OrderPaymentOut(
                status=payment_status(order),
                refunded=MoneyOut(amount=order.refunded, currency=order.currency),
            ),
            timeline=[TimelineEntryOut(at=e.at, event=e.event, detail=e.detail) for e in order.timeline],
            invoice=InvoiceDetailsOut.of(order.pricing) if order.pricing else None,
            channel=order.channel,  # inventory
        )


class DisputeOut(BaseModel):
    dispute_id: str
    reason: str
    amount: MoneyOut
    due_by: datetime | None = Field(
        default=None, description="When the evidence must reach the bank (Stripe's evidence_details.due_by)."
    )
    status_before_dispute: str | None = Field(
        default=None, description="The status the order goes back to when the dispute closes (while open)."
    )


class StaffOrderOut(OrderOut):
    """What staff see besides the buyer's view: who bought, why the order is held, its dispute and flags."""

    email: str
    customer_id: str | None = None
    payment_intent_id: str | None = None
    risk_level: str | None = None
    hold_reasons: list[str] = Field(default_factory=list)
    dispute: DisputeOut | None = Field(default=None, description="The open dispute, or the last one closed.")
    flags: list[str] = Field(
        default_factory=list,
        description="What staff must look at: fulfillment_conflict, refund_outside_shop, payment_mismatch, "
        "dispute_lost (docs/fulfillment.md, Flags).",
    )

    @classmethod
    def of(cls, order: Order) -> StaffOrderOut:
        return cls(
            **OrderOut.of(order).model_dump(),
            email=order.email,
            customer_id=order.customer_id,
            payment_intent_id=order.payment_intent_id,
            risk_level=order.risk_level,
            hold_reasons=list(order.hold_reasons),
            dispute=_dispute_out(order),
            flags=list(order.flags),
        )


def _dispute_out(order: Order) -> DisputeOut | None:
    case = order.dispute
    if case is None:
        return None
    before = order.status_before_dispute
    return DisputeOut(
        dispute_id=case.dispute_id,
        reason=case.reason,
        amount=MoneyOut(amount=case.amount, currency=order.currency),
        due_by=case.due_by,
        status_before_dispute=before.value if before else None,
    )


class StaffOrderListOut(BaseModel):
    items: list[StaffOrderOut]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page.")

    @classmethod
    def of(cls, page: CursorPage[Order]) -> StaffOrderListOut:
        return cls(items=[StaffOrderOut.of(order) for order in page.items], next_cursor=page.next_cursor)


class RejectOrderIn(Strict):
    reason: str = Field(
        default="rejected in review", min_length=1, max_length=500, description="Why the order is refused."
    )


class ResolveFlagIn(Strict):
    note: str = Field(
        min_length=1, max_length=500, description="What staff did about it (kept on the order's timeline)."
    )


class StaffCancelIn(Strict):
    reason: str = Field(
        min_length=1, max_length=500, description="Why staff cancel the order (kept on its timeline)."
    )


class OrderRefundOut(BaseModel):
    id: str
    amount: int = Field(description="Minor units of `currency`.")
    currency: str
    status: str = Field(description="pending, refunded, refunded_outside_shop or taken_by_bank")
    reason: str
    created_at: datetime


class ShipmentLineOut(BaseModel):
    sku: str
    quantity: int


class OrderShipmentOut(BaseModel):
    id: str
    status: str = Field(description="label_created, in_transit, delivered, ... (docs/fulfillment.md)")
    carrier: str
    tracking_number: str
    tracking_url: str
    label_available: bool = Field(
        description="The carrier's label is kept (GET /admin/shipments/{id}/label serves it; without one, "
        "that route asks the carrier)."
    )
    lines: list[ShipmentLineOut]


class OrderReturnOut(BaseModel):
    id: str
    status: str = Field(description="requested, received or refunded")
    lines: list[ShipmentLineOut]
    created_at: datetime


class StaffOrderDetailOut(StaffOrderOut):
    """One order whole, for staff: the order, its refunds, shipments and returns."""

    refunds: list[OrderRefundOut]
    shipments: list[OrderShipmentOut]
    returns: list[OrderReturnOut]

    @classmethod
    def of_dossier(cls, dossier: OrderDossier) -> StaffOrderDetailOut:
        order = dossier.order
        return cls(
            **StaffOrderOut.of(order).model_dump(),
            refunds=[
                OrderRefundOut(
                    id=r.id,
                    amount=r.amount,
                    currency=order.currency,
                    status=r.status,
                    reason=r.reason,
                    created_at=r.created_at,
                )
                for r in dossier.refunds
            ],
            shipments=[
                OrderShipmentOut(
                    id=s.id,
                    status=s.status.value,
                    carrier=s.carrier,
                    tracking_number=s.tracking_number,
                    tracking_url=s.tracking_url,
                    label_available=s.id in dossier.labelled,
                    lines=[ShipmentLineOut(sku=p.sku, quantity=p.quantity) for p in s.lines],
                )
                for s in dossier.shipments
            ],
            returns=[
                OrderReturnOut(
                    id=r.id,
                    status=r.status.value,
                    lines=[ShipmentLineOut(sku=line.sku, quantity=line.quantity) for line in r.lines],
                    created_at=r.requested_at,
                )
                for r in dossier.returns
            ],
        )
