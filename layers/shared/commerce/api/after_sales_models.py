"""Request and response bodies of cancellations, refunds and returns (issue 5)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from commerce.api.models import MoneyOut, Strict
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
