"""Regions: each country's default currency, shipping zones (flat, by weight, free over a threshold) with
delivery estimates, products restricted by country; and FX snapshots, which only reports use."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.domain.cart import CartPolicy
from commerce.domain.errors import NotFound, NotSellable, UnsupportedCurrency, ValidationFailed
from commerce.domain.fx import FxSnapshot, convert
from commerce.domain.money import Money
from commerce.domain.product_terms import ProductTerms
from commerce.domain.regions import DEFAULT_ZONES, RateKind, Restrictions, ShippingRate, default_currency
from commerce.services.browse import Browse, ProductQuery
from commerce.services.carts import Carts
from commerce.services.pagination import CursorCodec
from commerce.services.pricing import Pricer
from commerce.services.promotions_admin import PromotionsAdmin
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.orders import InMemoryStock
from tests.fakes.promotions import InMemoryFxRates, InMemoryPromotions

from .catalog_builders import product, variant
from .checkout_world import Clock

OFFERED = ["EUR", "USD", "JPY"]


def test_each_region_gets_its_own_currency_when_the_shop_offers_it_and_the_shops_default_otherwise() -> None:
    assert default_currency("JP", OFFERED) == "JPY"
    assert default_currency("US", OFFERED) == "USD"
    assert default_currency("DE", OFFERED) == "EUR"
    assert default_currency("GB", OFFERED) == "EUR"  # GBP has no price list here
    assert default_currency(None, OFFERED) == "EUR"


@pytest.fixture
def carts() -> Carts:
    catalog = InMemoryCatalog()
    catalog.save_product(product("RUN", variants=(variant("RUN-40", eur=8990, jpy=None),)))
    pricer = Pricer(InMemoryPromotions(), lambda _c: True, Clock(), {"name": "Shop"})
    return Carts(InMemoryCarts(), catalog, OFFERED, CartPolicy(), Clock(), "en", pricer, "DE")


def test_a_cart_opened_from_japan_is_in_yen_unless_the_shopper_chooses_another_offered_currency(
    carts: Carts,
) -> None:
    assert carts.create(None, "en", "JP")[0].cart.currency == "JPY"
    assert carts.create("USD", "en", "JP")[0].cart.currency == "USD"
    with pytest.raises(UnsupportedCurrency):
        carts.create("GBP", "en", "GB")


def test_a_product_without_a_price_in_the_carts_currency_is_not_offered_in_it(carts: Carts) -> None:
    priced, token = carts.create(None, "en", "JP")
    with pytest.raises(NotSellable, match="not sold in JPY"):
        carts.set_line(priced.cart.id, token, "RUN-40", 1, "en")


def test_the_cart_shows_tax_and_shipping_for_its_country(carts: Carts) -> None:
    priced, token = carts.create(None, "en", "US", "NY")
    priced = carts.set_line(priced.cart.id, token, "RUN-40", 1, "en")
    estimate = priced.estimate
    assert estimate is not None and estimate.tax_region == "US-NY" and not estimate.tax_included
    # 11.00 USD + 4 % = 0.44; shipping 5.95 (no weight) taxed in New York: 0.238 -> 0.24
    assert estimate.totals.tax.amount == 44 + 24
    assert estimate.totals.total.amount == 1100 + 595 + 68
    assert estimate.shipping is not None and (estimate.shipping.min_days, estimate.shipping.max_days) == (
        3,
        8,
    )


def test_shipping_is_flat_or_by_started_kilogram_and_free_from_a_threshold() -> None:
    flat = DEFAULT_ZONES.quote("DE", Money(4999, "EUR"), 20_000)
    assert (flat.zone, flat.fee.amount) == ("eu", 590)
    assert DEFAULT_ZONES.quote("DE", Money(5000, "EUR"), 0).fee.is_zero()
    # north-america, USD: 5.95 + 1.50 per started kilogram
    assert DEFAULT_ZONES.quote("US", Money(1000, "USD"), 0).fee.amount == 595
    assert DEFAULT_ZONES.quote("US", Money(1000, "USD"), 1).fee.amount == 745
    assert DEFAULT_ZONES.quote("US", Money(1000, "USD"), 2001).fee.amount == 595 + 3 * 150
    assert DEFAULT_ZONES.quote("JP", Money(1000, "JPY"), 0).max_days == 3
    with pytest.raises(ValidationFailed):
        DEFAULT_ZONES.quote("BR", Money(1000, "EUR"), 0)


@given(weight=st.integers(0, 100_000), subtotal=st.integers(0, 100_000))
def test_a_weight_rate_never_charges_less_for_more_weight(weight: int, subtotal: int) -> None:
    rate = ShippingRate(RateKind.WEIGHT, fee=500, per_kg=100, free_from=50_000)
    lighter = rate.fee_for(Money(subtotal, "EUR"), weight)
    assert rate.fee_for(Money(subtotal, "EUR"), weight + 1) >= lighter


def test_browse_hides_a_product_not_sold_or_not_shipped_to_the_shoppers_country() -> None:
    catalog, stock = InMemoryCatalog(), InMemoryStock()
    terms = ProductTerms(
        restrictions=Restrictions(not_sold_in=frozenset({"US"}), not_shipped_to=frozenset({"JP"}))
    )
    catalog.save_product(replace(product("KNIFE"), terms=terms))
    catalog.save_product(product("SOCK"))
    browse = Browse(catalog, stock, CursorCodec(lambda: b"k" * 32), OFFERED, "en")

    def listed(country: str | None) -> list[str]:
        return [
            p.id
            for p in browse.list_products(ProductQuery(currency="EUR", locale="en", country=country)).items
        ]

    assert listed(None) == ["KNIFE", "SOCK"] and listed("FR") == ["KNIFE", "SOCK"]
    assert listed("US") == ["SOCK"] and listed("JP") == ["SOCK"]
    with pytest.raises(NotFound, match="not sold in US"):
        browse.get_product("KNIFE", "EUR", "en", "US")


# FX snapshots, for reports only
SNAPSHOT = FxSnapshot(
    base="EUR", day=date(2026, 11, 26), rates={"USD": "1.0812", "JPY": "162.5", "KWD": "0.3301"}
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Money(10812, "USD"), 10000),  # 108.12 USD / 1.0812 = 100.00 EUR
        (Money(16250, "JPY"), 10000),  # 16 250 JPY / 162.5 = 100.00 EUR
        (Money(33010, "KWD"), 10000),  # 33.010 KWD / 0.3301 = 100.00 EUR
        (Money(1, "JPY"), 1),  # 0.0061 EUR -> 0.01
        (Money(999, "EUR"), 999),
    ],
)
def test_an_amount_converts_exactly_and_keeps_the_rate_and_day_it_used(amount: Money, expected: int) -> None:
    converted = convert(amount, SNAPSHOT)
    assert converted.converted == Money(expected, "EUR")
    assert converted.original == amount and converted.day == date(2026, 11, 26)
    assert converted.rate == SNAPSHOT.rates.get(amount.currency, "1")


def test_a_snapshot_without_the_currency_or_with_a_bad_rate_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="no EUR/GBP rate"):
        convert(Money(100, "GBP"), SNAPSHOT)
    for rate in ("0", "-1", "abc", "NaN", "1" * 30):
        with pytest.raises(ValidationFailed):
            FxSnapshot(base="EUR", day=date(2026, 11, 26), rates={"USD": rate})


def test_staff_load_a_snapshot_from_a_file_and_reports_use_the_newest_on_or_before_the_day(
    tmp_path: Path,
) -> None:
    admin = PromotionsAdmin(InMemoryPromotions(), InMemoryFxRates(), OFFERED, Clock())
    file = tmp_path / "rates.json"
    file.write_text(
        json.dumps({"base": "EUR", "date": "2026-11-25", "rates": {"USD": "1.0800"}, "source": "ECB"})
    )
    admin.load_rates_file(file)
    admin.load_rates(replace(SNAPSHOT))

    assert admin.rates("EUR", date(2026, 11, 25)).source == "ECB"
    assert admin.convert_for_report(Money(10800, "USD"), "EUR", date(2026, 11, 25)).rate == "1.0800"
    assert admin.convert_for_report(Money(10812, "USD"), "EUR", date(2026, 11, 30)).rate == "1.0812"
    with pytest.raises(NotFound):
        admin.convert_for_report(Money(1, "USD"), "EUR", date(2026, 1, 1))
