"""The signed-in customer's account: profile, address book, order history, data export and erasure.

Every route acts on the caller only: the customer id is the JWT's `sub`, never a path or body value.
Logs carry ids and counts, never an email, a name, a street, a phone number or a postal code."""

from __future__ import annotations

import addresses
import my_profile
import order_history
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(my_profile.router)
app.include_router(addresses.router)
app.include_router(order_history.router)

lambda_handler = http_handler(app)
