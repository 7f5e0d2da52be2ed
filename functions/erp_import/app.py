"""ERP stock levels in: `POST /integrations/erp/stock` (authenticated by the integration's key) and the staff
routes managing the integrations' keys. CSV files dropped in the ERP bucket are another Lambda from this
folder (dropped_files.py). docs/erp-stock.md."""

from __future__ import annotations

import erp_keys
import stock_counts
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(stock_counts.router)
app.include_router(erp_keys.router)
lambda_handler = http_handler(app)
