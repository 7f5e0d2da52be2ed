"""The PromotionRepository and the FX rates: a promotion id is taken once, an unknown one is not found, and
a limited code is spent by the placement that uses it, given back when its unpaid order is released."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.promotions import DynamoFxRates
from commerce.domain.errors import Conflict, NotFound
from commerce.domain.fx import FxSnapshot
from commerce.domain.money import Money
from commerce.domain.pricing import OrderPricing
from commerce.domain.promotions import (
    AppliedDiscount,
    DiscountCodeExhausted,
    Promotion,
    PromotionKind,
    PromotionStatus,
)
from tests.fakes.promotions import InMemoryFxRates

from .conftest import NOW, Shop, a_cart, a_sku, an_order


@pytest.fixture
def fx_rates(shop: Shop) -> Any:
    return shop.build(InMemoryFxRates, DynamoFxRates)


def a_promotion(code: str | None = None, usage_limit: int | None = None) -> Promotion:
    return Promotion(
        id=f"promo-{uuid.uuid4().hex[:12]}",
        kind=PromotionKind.PERCENTAGE,
        description="ten percent",
        starts_at=NOW,
        code=code,
        percent_bp=1000,
        usage_limit=usage_limit,
    )


def discounted(shop: Shop, promotion: Promotion, shopper: str) -> tuple[Any, Any]:
    """An order using `promotion` (as checkout prices it) and the cart it is placed from."""
    sku = a_sku(shop, paris=5)
    applied = AppliedDiscount(
        promotion.id,
        promotion.code,
        promotion.kind,
        promotion.description,
        Money(100, "EUR"),
        usage_limit=promotion.usage_limit,
    )
    pricing = OrderPricing({"name": "Shop"}, "FR", True, (applied,), shopper_key=shopper)
    return replace(an_order({sku: 1}), pricing=pricing), a_cart(shop, {sku: 1})


def test_an_added_promotion_is_read_back_listed_and_its_id_taken(shop: Shop) -> None:
    promotion = a_promotion()

    shop.promotions.add(promotion)
    with pytest.raises(Conflict):
        shop.promotions.add(replace(promotion, description="another"))

    assert shop.promotions.get(promotion.id) == promotion
    assert promotion in shop.promotions.list_all()
    assert promotion in shop.promotions.automatic()


def test_a_code_is_not_automatic(shop: Shop) -> None:
    coded = a_promotion(code=f"SAVE{uuid.uuid4().hex[:6].upper()}")
    shop.promotions.add(coded)

    assert coded not in shop.promotions.automatic()


def test_an_unknown_promotion_is_none_and_cannot_change_status(shop: Shop) -> None:
    assert shop.promotions.get("promo-nobody") is None
    with pytest.raises(NotFound):
        shop.promotions.set_status("promo-nobody", PromotionStatus.PAUSED)


def test_a_status_change_is_kept(shop: Shop) -> None:
    promotion = a_promotion()
    shop.promotions.add(promotion)

    paused = shop.promotions.set_status(promotion.id, PromotionStatus.PAUSED)

    assert paused == replace(promotion, status=PromotionStatus.PAUSED)
    assert shop.promotions.get(promotion.id) == paused


def test_a_code_used_up_refuses_the_next_placement_and_a_release_gives_its_use_back(shop: Shop) -> None:
    promotion = a_promotion(code=f"ONCE{uuid.uuid4().hex[:6].upper()}", usage_limit=1)
    shop.promotions.add(promotion)
    assert shop.promotions.usage(promotion.id).uses == 0

    first = shop.orders.place(*discounted(shop, promotion, "ada"))
    with pytest.raises(DiscountCodeExhausted):
        shop.orders.place(*discounted(shop, promotion, "bob"))
    assert shop.promotions.usage(promotion.id).uses == 1
    assert shop.promotions.usage(promotion.id).discount_given == {"EUR": 100}

    shop.orders.release(first.cancelled(NOW, "payment_timeout"), first.version, "payment_timeout")

    assert shop.promotions.usage(promotion.id).uses == 0
    shop.orders.place(*discounted(shop, promotion, "bob"))


def test_the_latest_rates_are_those_of_the_day_or_the_last_day_before(fx_rates: Any) -> None:
    day = date(2400, 1, 1) + timedelta(days=uuid.uuid4().int % 100_000)  # a day no other test writes
    older = FxSnapshot("EUR", day, {"USD": "1.08"}, "ecb")
    newer = FxSnapshot("EUR", day + timedelta(days=2), {"USD": "1.10"}, "ecb")
    fx_rates.put(older)
    fx_rates.put(newer)

    assert fx_rates.get("EUR", day) == older
    assert fx_rates.get("EUR", day + timedelta(days=1)) is None
    assert fx_rates.latest("EUR", day + timedelta(days=1)) == older
    assert fx_rates.latest("EUR", day + timedelta(days=5)) == newer
