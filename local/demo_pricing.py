"""Demo pricing for `make dev`, read from local/demo_data/pricing.json: product weights and country
restrictions, discount codes, automatic promotions and an FX rate snapshot. Tax rules and shipping zones
are the code's seeded ones (`commerce.domain.tax.SEEDED_RULES`, `commerce.domain.regions.SEEDED_ZONES`)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from commerce.domain.catalog import Product
from commerce.domain.fx import FxSnapshot
from commerce.domain.product_terms import ProductTerms
from commerce.domain.promotions import Promotion, PromotionKind
from commerce.domain.regions import Restrictions
from local.demo_catalog import DEMO_DATA

# Promotion fields that hold a set; dates are given in days from the seeding day.
_SETS = ("skus", "categories")
_DAYS = {"starts_in_days": "starts_at", "ends_in_days": "ends_at"}


@cache
def _data() -> dict[str, Any]:
    return dict(json.loads((DEMO_DATA / "pricing.json").read_text(encoding="utf-8")))


def with_terms(product: Product) -> Product:
    data = _data()
    restricted = data["restrictions"].get(product.id, {})
    terms = ProductTerms(
        weight_grams=data["weight_grams_by_category"].get(product.category, data["weight_grams_otherwise"]),
        restrictions=Restrictions(
            not_sold_in=frozenset(restricted.get("not_sold_in", ())),
            not_shipped_to=frozenset(restricted.get("not_shipped_to", ())),
        ),
    )
    return replace(product, terms=terms)


def promotions(now: datetime | None = None) -> list[Promotion]:
    now = now or datetime.now(UTC)
    return [_promotion(row, now) for row in _data()["promotions"]]


def _promotion(row: dict[str, Any], now: datetime) -> Promotion:
    fields = {key: value for key, value in row.items() if key not in _DAYS}
    fields |= {_DAYS[key]: now + timedelta(days=days) for key, days in row.items() if key in _DAYS}
    fields |= {key: frozenset(row[key]) for key in _SETS if key in row}
    return Promotion(**fields | {"kind": PromotionKind(row["kind"])})


def fx_snapshot(today: date | None = None) -> FxSnapshot:
    """Illustrative rates against EUR (not any bank's fixing): enough for reports to convert in the demo."""
    rates = _data()["fx_rates"]
    return FxSnapshot(
        base=rates["base"],
        day=today or datetime.now(UTC).date(),
        rates=dict(rates["rates"]),
        source=rates["source"],
    )
