"""Loads the demo catalog into a fresh stack through the service layer: `python -m local.seed`.

Meant for a stack just deployed: running it twice rewrites the same categories and products but
receives the stock a second time.
"""

from __future__ import annotations

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
from commerce.services.catalog_admin import CatalogAdmin
from local import demo_catalog

logger = logging.getLogger(__name__)

RECEIPT_NOTE = "demo seed"


def seed_demo_data(settings: Settings | None = None, client: Any = None) -> dict[str, int]:
    """Seeds the DynamoDB table named by the settings (from the environment when none are given)."""
    counts = load_demo_catalog(bootstrap.catalog_admin(settings, client))
    counts |= seed_demo_webhook(settings, client)
    return counts


# ---- outbound webhooks (issue 9): one subscription to `make dev`'s receiver, for every event
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
    return {"webhook_subscriptions": 1}


DEMO_WEBHOOK = "demo"
# ---- end of outbound webhooks


def load_demo_catalog(admin: CatalogAdmin) -> dict[str, int]:
    """Categories first, since a product must name a known one; stock last, since a receipt needs its SKU."""
    started = time.monotonic()
    counts = {"categories": 0, "products": 0, "receipts": 0}
    for category in demo_catalog.categories():
        admin.save_category(category)
        counts["categories"] += 1
    for product in demo_catalog.products():
        admin.save_product(product)
        counts["products"] += 1
    for sku, location, quantity in demo_catalog.stock():
        admin.receive_stock(sku, location, quantity, note=RECEIPT_NOTE)
        counts["receipts"] += 1
    logger.info("demo catalog seeded", extra={**counts, "seconds": round(time.monotonic() - started, 1)})
    return counts


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(seed_demo_data(Settings.from_env()))
