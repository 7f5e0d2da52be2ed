from __future__ import annotations

import pytest

from commerce.config import ConfigurationError, Settings, Shop, Stripe

ENV = {
    "TABLE_NAME": "main",
    "IDEMPOTENCY_TABLE_NAME": "idem",
    "EVENT_BUS_NAME": "bus",
    "CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:cursor",
    "SUPPORTED_CURRENCIES": "EUR, USD,JPY",
    "DEFAULT_LOCALE": "en",
    "CART_TTL_DAYS": "30",
    "STAFF_ROLES": "",
}


def test_settings_are_parsed_from_the_environment() -> None:
    settings = Settings.from_env(ENV)
    assert settings.supported_currencies == ("EUR", "USD", "JPY")
    assert settings.default_currency == "EUR"
    assert settings.cart_ttl.days == 30


def test_a_missing_variable_fails_when_its_context_first_reads_it_and_is_named() -> None:
    settings = Settings.from_env({k: v for k, v in ENV.items() if k != "TABLE_NAME"})
    with pytest.raises(ConfigurationError, match="TABLE_NAME: Field required"):
        settings.shop  # noqa: B018 - reading it is the point


def test_a_context_reads_only_its_own_variables() -> None:
    settings = Settings.from_env(ENV)
    assert settings.shop.table_name == "main"
    with pytest.raises(ConfigurationError) as raised:
        settings.section(Stripe)
    assert "STRIPE_SECRET_ARN: Field required" in str(raised.value)
    assert "TABLE_NAME" not in str(raised.value)


def test_an_empty_variable_the_template_may_leave_empty_means_none_but_an_absent_one_is_an_error() -> None:
    stripe = Settings.from_env({"STRIPE_SECRET_ARN": "arn:stripe", "STRIPE_API_BASE": " "}).section(Stripe)
    assert stripe.stripe_api_base is None
    with pytest.raises(ConfigurationError, match="STRIPE_API_BASE"):
        Settings.from_env({"STRIPE_SECRET_ARN": "arn:stripe"}).section(Stripe)


def test_each_context_is_parsed_once_per_process() -> None:
    settings = Settings.from_env(ENV)
    assert settings.section(Shop) is settings.shop is settings.section(Shop)


def test_a_name_no_context_declares_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="table_nme"):
        Settings.from_env(ENV).table_nme  # noqa: B018


def test_a_currency_that_is_not_iso_fails_the_start() -> None:
    with pytest.raises(ConfigurationError, match="EURO"):
        Settings.from_env({**ENV, "SUPPORTED_CURRENCIES": "EURO,USD"}).shop  # noqa: B018
