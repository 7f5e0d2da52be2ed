"""What the analytics aggregates tell: recommendations for a product page (bought together, else the
category's bestsellers) and a signed-in customer's recently viewed products; for staff, the customers of a
segment and one customer whole, with their notes."""

from __future__ import annotations

import customer_records
import customer_segments
import product_recommendations
import recently_viewed
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(product_recommendations.router)
app.include_router(recently_viewed.router)
app.include_router(customer_segments.router)
app.include_router(customer_records.router)
lambda_handler = http_handler(app)
