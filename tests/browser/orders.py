"""Orders made over HTTP for the console's tests to act on: one held for review, one paid."""

from __future__ import annotations

from typing import Any

from local.stack import LocalStack
from tests.e2e.conftest import Api
from tests.e2e.test_purchase import VISA, Shop

# Above the template's FraudReviewAmount (50,000 minor units): a first order this big is held for review.
HELD_QUANTITY = 21  # x 2,500 EUR cents


def shop(stack: LocalStack) -> Shop:
    return Shop(stack, Api(stack.api_url))


def held_order(stack: LocalStack) -> dict[str, Any]:
    """A guest's order, paid by card and held for review."""
    buyer = shop(stack)
    placed = buyer.buy(buyer.new_sku(30), quantity=HELD_QUANTITY)
    buyer.pay(str(placed["payment"]["payment_intent_id"]), VISA)
    buyer.settles_as(placed, "on_hold")
    return placed


def paid_order(stack: LocalStack, quantity: int = 1) -> dict[str, Any]:
    """A guest's order of `quantity` shoes at EUR 25.00, paid by card and handed to fulfillment, where it
    stays: nothing ships it."""
    buyer = shop(stack)
    placed = buyer.buy(buyer.new_sku(5), quantity=quantity)
    buyer.pay(str(placed["payment"]["payment_intent_id"]), VISA)
    buyer.settles_as(placed, "fulfilling")
    return placed
