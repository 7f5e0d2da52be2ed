"""Request and response bodies of cancellations, refunds and returns."""

from __future__ import annotations

from pydantic import BaseModel, Field

from commerce.api.models import Mirror, MoneyOut, Strict
from commerce.domain.returns import Return
from commerce.services.after_sales import RefundResult


class GoodwillRefundIn(Strict):
    amount: int | None = Field(
        default=None, gt=0, description="Minor units of the order's currency; all that is left when absent."
    )
    reason: str = Field(min_length=1, max_length=500)


class RefundOut(BaseModel):
    order_id: str
    refund_id: str
    amount: MoneyOut
    refunded: MoneyOut = Field(description="The order's refunds so far, this one included.")

    @classmethod
    def of(cls, result: RefundResult) -> RefundOut:
        currency = result.order.currency
        return cls(
            order_id=result.order.id,
            refund_id=result.refund_id,
            amount=MoneyOut(amount=result.amount, currency=currency),
            refunded=MoneyOut(amount=result.refunded, currency=currency),
        )


class ReturnLineIn(Strict):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=999)


class ReturnIn(Strict):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=500)


class ReceiveReturnIn(Strict):
    location: str = Field(min_length=1, max_length=64, description="Where the parcel came back to.")
    refund_amount: int | None = Field(
        default=None, ge=0, description="Minor units to refund; what the lines are worth when absent."
    )


class ReturnLineOut(BaseModel):
    sku: str
    quantity: int
    refund: MoneyOut


class ReturnOut(Mirror):
    id: str
    order_id: str
    status: str = Field(description="requested, received or refunded")
    lines: list[ReturnLineOut]
    refund_due: MoneyOut
    refunded: MoneyOut
    location: str | None = None

    @classmethod
    def of(cls, item: Return, currency: str) -> ReturnOut:
        return cls.copying(
            item,
            status=item.status.value,
            lines=[
                ReturnLineOut(
                    sku=line.sku,
                    quantity=line.quantity,
                    refund=MoneyOut(amount=line.refund, currency=currency),
                )
                for line in item.lines
            ],
            refund_due=MoneyOut(amount=item.refund_due, currency=currency),
            refunded=MoneyOut(amount=item.refunded, currency=currency),
        )
