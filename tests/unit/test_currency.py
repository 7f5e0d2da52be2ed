"""The ISO 4217 table and the strict lookup that every Money goes through."""

from __future__ import annotations

import dataclasses

import pytest

from commerce.domain.currency import CURRENCIES, Currency, currency, is_currency
from commerce.domain.errors import UnknownCurrency, ValidationFailed


def test_jpy_has_no_minor_unit() -> None:
    assert currency("JPY").exponent == 0


def test_usd_and_eur_have_cents() -> None:
    assert currency("USD").exponent == 2
    assert currency("EUR").exponent == 2


def test_kuwaiti_dinar_has_three_decimal_places() -> None:
    assert currency("KWD").exponent == 3


@pytest.mark.parametrize(
    "code",
    [
        "JPY",
        "KRW",
        "VND",
        "CLP",
        "ISK",
        "UGX",
        "XOF",
        "XAF",
        "XPF",
        "PYG",
        "BIF",
        "DJF",
        "GNF",
        "KMF",
        "RWF",
        "VUV",
        "UYI",
    ],
)
def test_currencies_without_minor_units_have_exponent_zero(code: str) -> None:
    assert currency(code).exponent == 0


@pytest.mark.parametrize("code", ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])
def test_dinars_and_rials_with_fils_or_baisa_have_exponent_three(code: str) -> None:
    assert currency(code).exponent == 3


@pytest.mark.parametrize("code", ["CLF", "UYW"])
def test_indexed_units_of_account_have_exponent_four(code: str) -> None:
    assert currency(code).exponent == 4


@pytest.mark.parametrize(
    "code",
    ["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "CNY", "INR", "BRL", "MXN", "SEK", "PLN", "HUF", "IDR", "TWD"],
)
def test_major_currencies_with_cents_have_exponent_two(code: str) -> None:
    assert currency(code).exponent == 2


def test_every_exponent_is_one_iso_4217_uses() -> None:
    assert {entry.exponent for entry in CURRENCIES.values()} == {0, 2, 3, 4}


def test_every_table_entry_is_keyed_by_its_own_three_letter_code() -> None:
    for code, entry in CURRENCIES.items():
        assert entry.code == code
        assert len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


def test_the_table_covers_the_currencies_in_use_and_not_many_more() -> None:
    # ISO 4217 lists about 160 active codes with a minor unit; a big drop means rows went missing.
    assert 150 <= len(CURRENCIES) <= 175


@pytest.mark.parametrize("code", ["HRK", "CUC", "DEM", "FRF", "VEF"])
def test_replaced_currencies_are_not_accepted(code: str) -> None:
    with pytest.raises(UnknownCurrency):
        currency(code)


@pytest.mark.parametrize("code", ["XAU", "XDR", "XTS", "XXX"])
def test_codes_without_a_minor_unit_are_not_money_we_hold(code: str) -> None:
    assert not is_currency(code)


@pytest.mark.parametrize(
    ("code", "symbol"),
    [("EUR", "€"), ("USD", "$"), ("JPY", "¥"), ("GBP", "£"), ("KWD", "KD"), ("INR", "₹"), ("CAD", "CA$")],
)
def test_common_currencies_carry_their_symbol(code: str, symbol: str) -> None:
    assert currency(code).symbol == symbol


@pytest.mark.parametrize("code", ["CHF", "AED", "SEK", "NOK", "DKK"])
def test_currencies_without_an_unambiguous_symbol_show_their_code(code: str) -> None:
    assert currency(code).symbol == code


def test_every_currency_has_a_symbol() -> None:
    assert all(entry.symbol.strip() for entry in CURRENCIES.values())


def test_lowercase_code_is_rejected_naming_the_code() -> None:
    with pytest.raises(UnknownCurrency) as raised:
        currency("eur")
    assert "'eur'" in raised.value.detail
    assert raised.value.extensions == {"currency": "eur"}


def test_unknown_code_is_rejected_naming_the_code() -> None:
    with pytest.raises(UnknownCurrency) as raised:
        currency("XYZ")
    assert "'XYZ'" in raised.value.detail
    assert raised.value.extensions == {"currency": "XYZ"}


@pytest.mark.parametrize("code", ["", "EU", "EURO", " EUR", "EUR ", "€", "E1R", "ÉUR", "Eur"])
def test_anything_but_three_uppercase_letters_is_rejected(code: str) -> None:
    with pytest.raises(UnknownCurrency):
        currency(code)


@pytest.mark.parametrize("code", [None, 978, b"EUR", ["EUR"]])
def test_a_non_string_code_is_rejected_as_an_unknown_currency(code: object) -> None:
    with pytest.raises(UnknownCurrency) as raised:
        currency(code)  # type: ignore[arg-type]
    assert type(code).__name__ in raised.value.detail


def test_an_overlong_code_is_not_echoed_back_in_full() -> None:
    with pytest.raises(UnknownCurrency) as raised:
        currency("X" * 10_000)
    assert len(raised.value.detail) < 200


def test_unknown_currency_is_a_client_error() -> None:
    with pytest.raises(ValidationFailed) as raised:
        currency("ABC")
    assert raised.value.status == 400
    assert raised.value.slug == "unknown-currency"


def test_is_currency_accepts_only_known_uppercase_codes() -> None:
    assert is_currency("EUR")
    assert is_currency("KWD")
    assert not is_currency("eur")
    assert not is_currency("XYZ")
    assert not is_currency("")
    assert not is_currency(None)  # type: ignore[arg-type]


def test_currency_is_immutable() -> None:
    euro = currency("EUR")
    with pytest.raises(dataclasses.FrozenInstanceError):
        euro.exponent = 3  # type: ignore[misc]
    assert euro == Currency(code="EUR", exponent=2, symbol="€")
