"""The signed-in customer's orders."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import customers

from commerce.api.access import CUSTOMER
from commerce.api.customer_models import (
    CustomerOrderListOut,
)
from commerce.api.identity import current_principal
from commerce.api.routing import CommerceRouter

router = CommerceRouter()


@router.get("/me/orders", access=CUSTOMER, summary="List my orders, newest first", traced_response=False)
def list_orders(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> CustomerOrderListOut:
    return CustomerOrderListOut.of(customers.orders(current_principal(router), limit, cursor))
