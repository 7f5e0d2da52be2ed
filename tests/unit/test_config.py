from __future__ import annotations

import pytest

from commerce.config import ConfigurationError, Settings

ENV = {
    "TABLE_NAME": "main",
    "IDEMPOTENCY_TABLE_NAME": "idem",
    "EVENT_BUS_NAME": "bus",
    "CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:cursor",
    "SUPPORTED_CURRENCIES": "EUR, USD,JPY",
    "DEFAULT_LOCALE": "en",
    "CART_TTL_DAYS": "30",
}


def test_settings_are_parsed_from_the_environment() -> None:
    settings = Settings.from_env(ENV)
    assert settings.supported_currencies == ("EUR", "USD", "JPY")
    assert settings.default_currency == "EUR"
    assert settings.cart_ttl.days == 30


def test_a_missing_variable_fails_the_start_and_is_named() -> None:
    env = {k: v for k, v in ENV.items() if k != "TABLE_NAME"}
    with pytest.raises(ConfigurationError, match="TABLE_NAME"):
        Settings.from_env(env)


def test_a_currency_that_is_not_iso_fails_the_start() -> None:
    with pytest.raises(ConfigurationError, match="EURO"):
        Settings.from_env({**ENV, "SUPPORTED_CURRENCIES": "EURO,USD"})
