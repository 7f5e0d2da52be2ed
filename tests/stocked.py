"""A product of a test's own, put in stock through the catalog admin use case as staff would."""

from __future__ import annotations

import uuid

from tests.unit.catalog_builders import product, variant


def stocked_sku(prefix: str, note: str, **units_at: int) -> str:
    """The SKU of a new one-size shoe (EUR 25.00) with units received at each location named."""
    # Imported only now: Powertools reads its settings from the environment the stack put in place.
    from commerce import bootstrap  # noqa: PLC0415

    product_id = f"{prefix}{uuid.uuid4().hex[:8].upper()}"
    sku = f"{product_id}-M"
    admin = bootstrap.catalog_admin()
    admin.save_product(product(product_id, category="shoes", variants=(variant(sku, eur=2500),)))
    for location, units in units_at.items():
        admin.receive_stock(sku, location, units, note=note)
    return sku
