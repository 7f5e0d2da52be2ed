"""Public catalog browse: product listings, keyword search, product pages and categories."""

from __future__ import annotations

import categories
import products
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles, settings.default_locale)
app.include_router(products.router)
app.include_router(categories.router)

lambda_handler = http_handler(app)
