"""Demo pricing data for `make dev`: product weights and country restrictions, discount codes, automatic
promotions and an FX rate snapshot. Tax rules and shipping zones are the code's seeded ones
(`commerce.domain.tax.SEEDED_RULES`, `commerce.domain.regions.SEEDED_ZONES`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from commerce.domain.catalog import Product
from commerce.domain.fx import FxSnapshot
from commerce.domain.product_terms import ProductTerms
from commerce.domain.promotions import Promotion, PromotionKind
from commerce.domain.regions import Restrictions

# Grams per unit, by category.
WEIGHTS = {
    "t-shirts": 200,
    "sweaters": 600,
    "shoes": 1200,
    "bags": 900,
    "hats": 150,
    "accessories": 100,
    "jackets": 1500,
}
# Products a country may not buy or receive (the demo's stand-ins for real export and import rules).
RESTRICTED = {
    "prd-0061": Restrictions(not_shipped_to=frozenset({"US"})),  # printed silk scarf
    "prd-0067": Restrictions(not_sold_in=frozenset({"JP"})),  # waxed cotton field jacket
}


def with_terms(product: Product) -> Product:
    terms = ProductTerms(
        weight_grams=WEIGHTS.get(product.category, 500),
        restrictions=RESTRICTED.get(product.id, Restrictions()),
    )
    return replace(product, terms=terms)


def promotions(now: datetime | None = None) -> list[Promotion]:
    now = now or datetime.now(UTC)
    start = now - timedelta(days=1)
    return [
        Promotion(
            id="WELCOME10",
            code="WELCOME10",
            kind=PromotionKind.PERCENTAGE,
            description="10 % off your first order",
            starts_at=start,
            percent_bp=1000,
            signed_in_only=True,
            first_order_only=True,
            per_customer_limit=1,
        ),
        Promotion(
            id="SAVE5",
            code="SAVE5",
            kind=PromotionKind.FIXED_AMOUNT,
            description="5 off an order of 50 or more",
            starts_at=start,
            ends_at=now + timedelta(days=90),
            amounts={"EUR": 500, "USD": 500, "JPY": 700},
            min_subtotal={"EUR": 5000, "USD": 5500, "JPY": 8000},
            usage_limit=100,
            per_customer_limit=2,
        ),
        Promotion(
            id="SHOES15",
            code="SHOES15",
            kind=PromotionKind.PERCENTAGE,
            description="15 % off shoes",
            starts_at=start,
            ends_at=now + timedelta(days=30),
            percent_bp=1500,
            categories=frozenset({"shoes"}),
        ),
        Promotion(
            id="hat-week",
            kind=PromotionKind.PERCENTAGE,
            description="20 % off hats this week",
            starts_at=start,
            ends_at=now + timedelta(days=7),
            percent_bp=2000,
            categories=frozenset({"hats"}),
        ),
        Promotion(
            id="free-shipping-over-100",
            kind=PromotionKind.FREE_SHIPPING,
            description="Free shipping over 100 EUR, 110 USD or 16,000 JPY",
            starts_at=start,
            min_subtotal={"EUR": 10000, "USD": 11000, "JPY": 16000},
        ),
    ]


def fx_snapshot(today: date | None = None) -> FxSnapshot:
    """Illustrative rates against EUR (not any bank's fixing): enough for reports to convert in the demo."""
    return FxSnapshot(
        base="EUR",
        day=today or datetime.now(UTC).date(),
        rates={"USD": "1.0850", "JPY": "162.40", "GBP": "0.8420", "CHF": "0.9350", "KWD": "0.3330"},
        source="demo (illustrative rates)",
    )
