"""Loads the demo catalog into a fresh stack through the service layer: `python -m local.seed`.

Meant for a stack just deployed: running it twice rewrites the same categories and products but
receives the stock a second time.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

# The shared layer is not installed in the venv; `python -m local.seed` needs it on the path like the stack.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers" / "shared"))

from commerce import bootstrap
from commerce.config import Settings
from commerce.domain.errors import Conflict
from commerce.services.catalog_admin import CatalogAdmin
from commerce.services.promotions_admin import PromotionsAdmin
from local import demo_catalog, demo_pricing

logger = logging.getLogger(__name__)

RECEIPT_NOTE = "demo seed"


def seed_demo_data(settings: Settings | None = None, client: Any = None) -> dict[str, int]:
    """Seeds the DynamoDB table named by the settings (from the environment when none are given)."""
    counts = load_demo_catalog(bootstrap.catalog_admin(settings, client))
    counts.update(load_demo_pricing(bootstrap.promotions_admin(settings, client)))  # pricing
    return counts


# ---- pricing: demo discount codes, automatic promotions and an FX snapshot (tax rules and shipping zones
# are the code's own seeded tables: docs/tax.md, docs/pricing.md)
def load_demo_pricing(admin: PromotionsAdmin) -> dict[str, int]:
    counts = {"promotions": 0, "fx_snapshots": 0}
    for promotion in demo_pricing.promotions():
        try:
            admin.create(promotion)
            counts["promotions"] += 1
        except Conflict:
            continue  # seeded before: keep it and its usage
    admin.load_rates(demo_pricing.fx_snapshot())
    counts["fx_snapshots"] += 1
    return counts


# ---- end pricing


def load_demo_catalog(admin: CatalogAdmin) -> dict[str, int]:
    """Categories first, since a product must name a known one; stock last, since a receipt needs its SKU."""
    started = time.monotonic()
    counts = {"categories": 0, "products": 0, "receipts": 0}
    for category in demo_catalog.categories():
        admin.save_category(category)
        counts["categories"] += 1
    for product in demo_catalog.products():
        admin.save_product(demo_pricing.with_terms(product))  # pricing: weights, country restrictions
        counts["products"] += 1
    for sku, location, quantity in demo_catalog.stock():
        admin.receive_stock(sku, location, quantity, note=RECEIPT_NOTE)
        counts["receipts"] += 1
    logger.info("demo catalog seeded", extra={**counts, "seconds": round(time.monotonic() - started, 1)})
    return counts


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(seed_demo_data(Settings.from_env()))
