"""Staff catalog: products (drafts and archived included), variants, prices, translations, categories."""

from __future__ import annotations

import categories
import product_parts
import products
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(products.router)
app.include_router(product_parts.router)
app.include_router(categories.router)

lambda_handler = http_handler(app)
