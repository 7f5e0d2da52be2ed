"""The composition root: wires real adapters into the use cases once per cold start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
from aws_lambda_powertools.utilities import parameters
from botocore.config import Config

from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.adapters.dynamodb.customers import DynamoCustomers, DynamoOrderHistory
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.config import Settings
from commerce.domain.cart import CartPolicy
from commerce.services.browse import Browse
from commerce.services.carts import Carts
from commerce.services.catalog_admin import CatalogAdmin
from commerce.services.customers import Customers
from commerce.services.pagination import CursorCodec

CURSOR_KEY_CACHE_SECONDS = 300

_AWS_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)


def now() -> datetime:
    return datetime.now(UTC)


def dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=_AWS_CONFIG)


def secret_key(secret_arn: str) -> Callable[[], bytes]:
    """Reads the secret on first use and caches it (Powertools Parameters), so rotation takes effect."""

    def read() -> bytes:
        value = parameters.get_secret(secret_arn, max_age=CURSOR_KEY_CACHE_SECONDS)
        return str(value).encode()

    return read


def browse(settings: Settings | None = None, client: Any = None) -> Browse:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Browse(
        catalog=DynamoCatalog(client, settings.table_name),
        stock=DynamoStock(client, settings.table_name),
        cursors=CursorCodec(secret_key(settings.cursor_secret_arn)),
        currencies=settings.supported_currencies,
        default_locale=settings.default_locale,
    )


def carts(settings: Settings | None = None, client: Any = None) -> Carts:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Carts(
        carts=DynamoCarts(client, settings.table_name),
        catalog=DynamoCatalog(client, settings.table_name),
        currencies=settings.supported_currencies,
        policy=CartPolicy(
            max_quantity_per_line=settings.max_line_quantity,
            max_lines=settings.max_cart_lines,
            ttl=settings.cart_ttl,
        ),
        clock=now,
        default_locale=settings.default_locale,
    )


def catalog_admin(settings: Settings | None = None, client: Any = None) -> CatalogAdmin:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return CatalogAdmin(DynamoCatalog(client, settings.table_name), DynamoStock(client, settings.table_name))


def staff_catalog(settings: Settings | None = None, client: Any = None) -> CatalogAdmin:
    """CatalogAdmin for the staff API: prices only in the shop's currencies."""
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return CatalogAdmin(
        DynamoCatalog(client, settings.table_name),
        DynamoStock(client, settings.table_name),
        currencies=settings.supported_currencies,
    )


def customers(settings: Settings | None = None, client: Any = None) -> Customers:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Customers(
        customers=DynamoCustomers(client, settings.table_name),
        orders=DynamoOrderHistory(client, settings.table_name),
        carts=DynamoCarts(client, settings.table_name),
        cursors=CursorCodec(secret_key(settings.cursor_secret_arn)),
        currencies=settings.supported_currencies,
        clock=now,
    )
