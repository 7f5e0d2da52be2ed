"""Loads the demo shop of local/demo_data/ into a fresh stack through the services: `python -m local.seed`.

Meant for a stack just deployed: running it twice rewrites the same categories and products but
receives the stock a second time.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

# The shared layer is not installed in the venv; `python -m local.seed` needs it on the path like the stack.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers" / "shared"))

from commerce.composition import carts, catalog, integrations
from commerce.composition.inventory import stockroom
from commerce.config import Settings
from commerce.domain.channels import Channel
from commerce.domain.errors import Conflict
from commerce.domain.inventory import ReorderPolicy
from commerce.services.catalog_admin import CatalogAdmin
from commerce.services.promotions_admin import PromotionsAdmin
from local import demo_catalog, demo_pricing
from local.demo_catalog import DEMO_DATA

logger = logging.getLogger(__name__)

RECEIPT_NOTE = "demo seed"


@cache
def shop() -> dict[str, Any]:
    """Locations, sales channels, reorder policy and connectors of the demo shop."""
    return dict(json.loads((DEMO_DATA / "shop.json").read_text(encoding="utf-8")))


def seed_demo_data(
    settings: Settings | None = None, client: Any = None, channel_keys_file: Path | None = None
) -> dict[str, int]:
    """Seeds the DynamoDB table named by the settings (from the environment when none are given)."""
    counts = load_demo_catalog(catalog.catalog_admin(settings, client))
    counts |= seed_demo_webhook(settings, client)
    counts.update(seed_inventory(settings, client, channel_keys_file))  # inventory block below
    counts.update(load_demo_pricing(carts.promotions_admin(settings, client)))  # pricing
    return counts


# outbound webhooks: one subscription to `make dev`'s receiver, for every event
def seed_demo_webhook(settings: Settings | None = None, client: Any = None) -> dict[str, int]:
    """Only when a receiver runs (`python -m local` sets LOCAL_WEBHOOK_RECEIVER_URL); the receiver finds the
    secret beside the deliveries it records, to check their signatures."""
    receiver = os.environ.get("LOCAL_WEBHOOK_RECEIVER_URL")
    folder = os.environ.get("LOCAL_WEBHOOK_DIR")
    if not receiver or not folder:
        return {}
    created = integrations.webhook_admin(settings, client).create(
        f"{receiver}/{DEMO_WEBHOOK}", ["*"], "Demo: every event, recorded under .local/webhooks/demo/"
    )
    demo = Path(folder) / DEMO_WEBHOOK
    demo.mkdir(parents=True, exist_ok=True)
    (demo / ".secret").write_text(created.secret + "\n", encoding="utf-8")
    logger.info("demo webhook subscribed", extra={"subscription_id": created.subscription.id})
    return {"webhook_subscriptions": 1, **seed_demo_connectors(settings, client, receiver, Path(folder))}


DEMO_WEBHOOK = "demo"


def seed_demo_connectors(
    settings: Settings | None, client: Any, receiver: str, folder: Path
) -> dict[str, int]:
    # Each connector to the receiver, under .local/webhooks/connectors_<name>/ (docs/integrations.md).
    admin = integrations.webhook_admin(settings, client)
    connectors: dict[str, dict[str, str]] = shop()["connectors"]
    for path, connector_settings in connectors.items():
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
    return {"connector_subscriptions": len(connectors)}


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
def seed_inventory(
    settings: Settings | None = None, client: Any = None, channel_keys_file: Path | None = None
) -> dict[str, int]:
    """Locations with their kind and address, the channels (those marked with an API key get one, written
    to `channel_keys_file` when given), and a reorder policy per demo SKU from the supplier of its
    category's initial, so a few sales make the restock job draft something."""
    room = stockroom(settings, client)
    inventory, channels = room.inventory, room.channels
    data = shop()
    for location in data["locations"]:
        inventory.save_location(location["id"], location["name"], location["kind"], location["address"])
    keys = {}
    for channel in data["channels"]:
        channels.save(Channel(channel["id"], channel["currency"], tuple(channel.get("locations", ()))))
        if channel.get("api_key"):
            keys[channel["id"]] = channels.issue_key(channel["id"])
    if channel_keys_file is not None:
        channel_keys_file.parent.mkdir(parents=True, exist_ok=True)
        channel_keys_file.write_text(json.dumps(keys, indent=2) + "\n", encoding="utf-8")
    policy = data["reorder_policy"]
    policies = 0
    for product in demo_catalog.products():
        supplier = policy["suppliers_by_category_initial"]["a-m" if product.category[0] <= "m" else "n-z"]
        for v in product.variants:
            inventory.set_reorder_policy(
                ReorderPolicy(
                    v.sku,
                    policy["reorder_point"],
                    policy["reorder_quantity"],
                    supplier["supplier"],
                    supplier["lead_time_days"],
                    policy["location"],
                )
            )
            policies += 1
    return {
        "locations": len(data["locations"]),
        "channels": len(data["channels"]),
        "reorder_policies": policies,
    }


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(seed_demo_data(Settings.from_env()))
