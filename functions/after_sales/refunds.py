"""Refunds staff make on an order."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header
from wiring import after_sales

from commerce.api.access import staff
from commerce.api.after_sales_models import GoodwillRefundIn, RefundOut
from commerce.api.identity import current_principal
from commerce.api.params import OrderId
from commerce.api.routing import CommerceRouter
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

IdempotencyKey = Annotated[
    str | None,
    Header(alias="idempotency-key", description="Names the refund: the same key again refunds nothing more."),
]


@router.post(
    "/admin/orders/<order_id>/refunds",
    access=staff(Permission.REFUNDS),
    summary="Refund part or all of an order without a return (staff)",
)
def refund_order(
    order_id: OrderId, body: GoodwillRefundIn, idempotency_key: IdempotencyKey = None
) -> RefundOut:
    member = current_principal(router)
    result = after_sales.goodwill_refund(
        order_id,
        body.amount,
        idempotency_key or "",
        body.reason,
        member.subject,
        authority=router.authority(),
    )
    logger.info("goodwill refund", order_id=order_id, amount=result.amount, staff=member.subject)
    return RefundOut.of(result)
