"""The composition root builds each boto3 client and each adapter once per process, and names a missing
variable when the factory that needs it is first called."""

from __future__ import annotations

from collections import Counter
from typing import Any
from unittest.mock import Mock

import pytest

from commerce.adapters.dynamodb import catalog as catalog_adapter
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.composition import adapters as container
from commerce.composition import (
    analytics,
    carts,
    catalog,
    checkout,
    clients,
    customers,
    fulfillment,
    inventory,
)
from commerce.config import ConfigurationError, Settings

from .test_config import ENV

SHOP = {
    **ENV,
    "SELLER_NAME": "Shop",
    "SELLER_ADDRESS": "",
    "SELLER_TAX_ID": "",
    "DEFAULT_COUNTRY": "DE",
    "PROMOTION_CACHE_SECONDS": "30",
    "ORDER_STATE_MACHINE_ARN": "arn:order",
    "PAYMENT_TIMEOUT_SECONDS": "900",
    "FRAUD_REVIEW_AMOUNT": "50000",
    "STRIPE_SECRET_ARN": "arn:stripe",
    "STRIPE_API_BASE": "",
    "CARRIER_NAME": "simulated",
    "CARRIER_ENDPOINT": "",
    "CARRIER_SECRET_ARN": "arn:carrier",
    "CARRIER_RATES_TIMEOUT_SECONDS": "2",
    "CARRIER_LIVE_RATES": "true",
    "LOCATION_COUNTRIES": "wh-paris=FR",
}


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """boto3 clients made, by service; none of them is called."""
    counted: Counter[str] = Counter()

    def client(service: str, **_: Any) -> object:
        counted[service] += 1
        return Mock(name=service)

    monkeypatch.setattr(clients.boto3, "client", client)
    return counted


@pytest.fixture
def catalogs(monkeypatch: pytest.MonkeyPatch) -> list[DynamoCatalog]:
    built: list[DynamoCatalog] = []

    class CountedCatalog(DynamoCatalog):
        def __init__(self, client: Any, table: str, default_locale: str = "en") -> None:
            super().__init__(client, table, default_locale)
            built.append(self)

    monkeypatch.setattr(catalog_adapter, "DynamoCatalog", CountedCatalog)
    return built


def test_every_use_case_of_a_process_shares_one_client_per_service(made: Counter[str]) -> None:
    settings = Settings.from_env(SHOP)
    checkout.checkout(settings)
    checkout.order_workflow(settings)
    checkout.orders(settings)
    fulfillment.after_sales(settings)
    analytics.activity_tracker(settings)
    found = container.adapters(settings).clients

    assert made == {"dynamodb": 1}  # the others wait for their first call
    for client in (found("events"), found("stepfunctions"), found.activity_events, found("events")):
        assert client.meta is not None
    assert made == {"dynamodb": 1, "stepfunctions": 1, "events": 2}  # shopper activity has its own timeouts


def test_a_client_other_than_dynamodb_is_made_on_its_first_call_and_kept(made: Counter[str]) -> None:
    lazy = clients.LazyClient("sesv2")

    assert made == {}
    assert lazy.send_email(Content={}) is lazy.client.send_email.return_value
    lazy.send_email(Content={})
    assert made == {"sesv2": 1} and lazy.client.send_email.call_count == 2


def test_the_catalog_adapter_is_built_once_however_many_use_cases_read_it(
    made: Counter[str], catalogs: list[DynamoCatalog]
) -> None:
    settings = Settings.from_env(SHOP)
    cart_service = carts.carts(settings)
    carts.shipping_rates(settings, cart_service=cart_service)
    catalog.browse(settings)
    checkout.checkout(settings)
    inventory.channels(settings)

    assert len(catalogs) == 1
    assert container.adapters(settings).catalog is catalogs[0]


def test_a_dynamodb_client_a_test_hands_in_gets_its_own_adapters_and_no_client_is_made(
    made: Counter[str], catalogs: list[DynamoCatalog]
) -> None:
    settings, handed_in = Settings.from_env(SHOP), object()
    found = container.adapters(settings, handed_in)

    assert found is container.adapters(settings, handed_in) is not container.adapters(settings)
    assert found.catalog is not container.adapters(settings).catalog
    assert made["dynamodb"] == 1  # the container without a client made its own


def test_the_inventory_and_its_channels_are_wired_once_per_process(made: Counter[str]) -> None:
    settings = Settings.from_env(SHOP)
    stock = inventory.inventory(settings)

    assert stock is inventory.inventory(settings)
    assert stock.channel_availability == inventory.channels(settings).availability


def test_a_variable_missing_for_a_use_case_fails_its_factory_and_is_named(made: Counter[str]) -> None:
    settings = Settings.from_env({k: v for k, v in SHOP.items() if k != "PAYMENT_TIMEOUT_SECONDS"})
    catalog.browse(settings)  # browsing does not need it

    with pytest.raises(ConfigurationError, match="PAYMENT_TIMEOUT_SECONDS: Field required"):
        checkout.checkout(settings)


def test_an_empty_mail_sender_is_refused_by_a_function_that_sends_mail(made: Counter[str]) -> None:
    settings = Settings.from_env({**SHOP, "MAIL_FROM": "", "MAIL_CONFIGURATION_SET": ""})
    with pytest.raises(ConfigurationError, match="MAIL_FROM"):
        customers.notifications(settings)


def test_a_client_every_invocation_calls_is_made_with_the_use_case(made: Counter[str]) -> None:
    settings = Settings.from_env({**SHOP, "MAIL_FROM": "shop@example.com", "MAIL_CONFIGURATION_SET": ""})
    customers.notifications(settings)

    assert made["sesv2"] == 1
