"""The checkout use case wired for tests of its DynamoDB transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from commerce import bootstrap
from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.config import Settings
from commerce.services.checkout import Checkout
from tests.fakes.orders import InMemoryWorkflow
from tests.fakes.payments import InMemoryPayments


def checkout_on_dynamodb(settings: Settings, client: Any) -> Checkout:
    """The real DynamoDB adapters (the transaction under test); the payment and the workflow are fakes, as
    other tests in the same process may have replaced moto's Step Functions backend."""
    orders = bootstrap.order_repository(settings, client)
    return Checkout(
        carts=DynamoCarts(client, settings.table_name),
        catalog=DynamoCatalog(client, settings.table_name),
        orders=orders,
        ledger=orders,
        payments=InMemoryPayments(),
        workflow=InMemoryWorkflow(),
        clock=bootstrap.now,
        policy=bootstrap.cart_policy(settings),
        payment_timeout=timedelta(minutes=15),
        default_locale="en",
        pricer=bootstrap.pricer(settings, client),
    )
