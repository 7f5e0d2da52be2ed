"""Staff inventory: locations, stock per SKU with its ledger, receipts, adjustments, transfers, reorder
policies and purchase orders."""

from __future__ import annotations

import locations
import purchase_orders
import sales_channels
import stock
import transfers
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(locations.router)
app.include_router(stock.router)
app.include_router(transfers.router)
app.include_router(purchase_orders.router)
app.include_router(sales_channels.router)

lambda_handler = http_handler(app)
