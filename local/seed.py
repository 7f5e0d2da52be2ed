"""Loads the demo catalog into a fresh stack through the service layer: `python -m local.seed`.

Meant for a stack just deployed: running it twice rewrites the same categories and products but
receives the stock a second time.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

# The shared layer is not installed in the venv; `python -m local.seed` needs it on the path like the stack.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers" / "shared"))

from commerce import bootstrap
from commerce.config import Settings
from commerce.domain.channels import Channel
from commerce.domain.errors import Conflict
from commerce.domain.inventory import ReorderPolicy
from commerce.services.catalog_admin import CatalogAdmin
from commerce.services.promotions_admin import PromotionsAdmin
from local import demo_catalog, demo_pricing

logger = logging.getLogger(__name__)

RECEIPT_NOTE = "demo seed"


def seed_demo_data(
    settings: Settings | None = None, client: Any = None, channel_keys_file: Path | None = None
) -> dict[str, int]:
    """Seeds the DynamoDB table named by the settings (from the environment when none are given)."""
    counts = load_demo_catalog(bootstrap.catalog_admin(settings, client))
    counts |= seed_demo_webhook(settings, client)
    counts.update(seed_inventory(settings, client, channel_keys_file))  # inventory block below
    counts.update(load_demo_pricing(bootstrap.promotions_admin(settings, client)))  # pricing
    return counts


# outbound webhooks: one subscription to `make dev`'s receiver, for every event
def seed_demo_webhook(settings: Settings | None = None, client: Any = None) -> dict[str, int]:
    """Only when a receiver runs (`python -m local` sets LOCAL_WEBHOOK_RECEIVER_URL); the receiver finds the
    secret beside the deliveries it records, to check their signatures."""
    receiver = os.environ.get("LOCAL_WEBHOOK_RECEIVER_URL")
    folder = os.environ.get("LOCAL_WEBHOOK_DIR")
    if not receiver or not folder:
        return {}
    created = bootstrap.webhook_admin(settings, client).create(
        f"{receiver}/{DEMO_WEBHOOK}", ["*"], "Demo: every event, recorded under .local/webhooks/demo/"
    )
    demo = Path(folder) / DEMO_WEBHOOK
    demo.mkdir(parents=True, exist_ok=True)
    (demo / ".secret").write_text(created.secret + "\n", encoding="utf-8")
    logger.info("demo webhook subscribed", extra={"subscription_id": created.subscription.id})
    return {"webhook_subscriptions": 1, **seed_demo_connectors(settings, client, receiver, Path(folder))}


DEMO_WEBHOOK = "demo"
# Each connector to the receiver, under .local/webhooks/connectors_<name>/ (docs/integrations.md).
DEMO_CONNECTORS: dict[str, dict[str, str]] = {
    "accounting": {"format": "json"},
    "accounting-csv": {"format": "csv"},
    "erp": {},
    "marketing": {"list_id": "demo-newsletter"},
    "support": {"refund_threshold": "EUR:5000,*:10000"},
}


def seed_demo_connectors(
    settings: Settings | None, client: Any, receiver: str, folder: Path
) -> dict[str, int]:
    admin = bootstrap.webhook_admin(settings, client)
    for path, connector_settings in DEMO_CONNECTORS.items():
        name = path.split("-")[0]
        created = admin.create(
            f"{receiver}/connectors/{path}",
            [],
            f"Demo: the {name} connector, recorded under .local/webhooks/connectors_{path}/",
            connector_name=name,
            settings=connector_settings,
        )
        recorded = folder / f"connectors_{path}"
        recorded.mkdir(parents=True, exist_ok=True)
        (recorded / ".secret").write_text(created.secret + "\n", encoding="utf-8")
    return {"connector_subscriptions": len(DEMO_CONNECTORS)}


# pricing: demo discount codes, automatic promotions and an FX snapshot (tax rules and shipping zones
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


# inventory (docs/inventory.md): locations, sales channels, suppliers and reorder points
DEMO_MARKETPLACE = "marketplace:demo-market"
DEMO_LOCATIONS = (
    (demo_catalog.PARIS, "Paris warehouse", "warehouse", {"city": "Paris", "country": "FR"}),
    (demo_catalog.BERLIN, "Berlin warehouse", "warehouse", {"city": "Berlin", "country": "DE"}),
    ("store-berlin", "Berlin Mitte store", "store", {"city": "Berlin", "country": "DE"}),
)
DEMO_CHANNELS = (
    Channel("web", "EUR"),
    Channel("app", "EUR"),
    Channel(DEMO_MARKETPLACE, "EUR", (demo_catalog.PARIS, demo_catalog.BERLIN)),
    Channel("pos:store-berlin", "EUR", ("store-berlin",)),
)
# (supplier, lead time in days): every demo SKU gets a reorder point of 3 and a reorder quantity of 24
# from the supplier of its category's first letter, so a few sales make the restock job draft something.
DEMO_SUPPLIERS = {"a-m": ("nordic-textiles", 7), "n-z": ("alpine-supply", 14)}


def seed_inventory(
    settings: Settings | None = None, client: Any = None, channel_keys_file: Path | None = None
) -> dict[str, int]:
    """Locations with their kind and address, the four channels (the marketplace with an API key, written
    to `channel_keys_file` when given), and a reorder policy per demo SKU."""
    inventory, _, channels = bootstrap.inventory_admin(settings, client)
    for location_id, name, kind, address in DEMO_LOCATIONS:
        inventory.save_location(location_id, name, kind, address)
    for channel in DEMO_CHANNELS:
        channels.save(channel)
    key = channels.issue_key(DEMO_MARKETPLACE)
    if channel_keys_file is not None:
        channel_keys_file.parent.mkdir(parents=True, exist_ok=True)
        channel_keys_file.write_text(json.dumps({DEMO_MARKETPLACE: key}, indent=2) + "\n", encoding="utf-8")
    policies = 0
    for product in demo_catalog.products():
        supplier, lead_time = DEMO_SUPPLIERS["a-m" if product.category[0] <= "m" else "n-z"]
        for v in product.variants:
            inventory.set_reorder_policy(ReorderPolicy(v.sku, 3, 24, supplier, lead_time, demo_catalog.PARIS))
            policies += 1
    return {"locations": len(DEMO_LOCATIONS), "channels": len(DEMO_CHANNELS), "reorder_policies": policies}


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(seed_demo_data(Settings.from_env()))
