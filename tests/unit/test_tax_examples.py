"""Known examples, computed by hand (the working is in each comment), for Germany, France, the UK, Japan,
California and Quebec: tax per line, rounded half up per line; shipping by zone; tax-inclusive or not."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from commerce.domain.errors import EmptyCart, NotSellable, ValidationFailed
from commerce.domain.pricing import Destination, PricingContext, RestrictedInRegion, quote
from commerce.domain.promotions import Promotion, PromotionKind
from commerce.domain.tax import TaxClass, rate_text

from .pricing_builders import NOW, Item, cart_of


def priced(currency: str, items: list[Item], country: str, region: str | None = None, **context: object):  # type: ignore[no-untyped-def]
    cart, skus = cart_of(currency, items, code=getattr(context.get("code"), "code", None))
    return quote(cart, skus, PricingContext(destination=Destination(country, region), now=NOW, **context))  # type: ignore[arg-type]


def breakdown(result) -> list[tuple[str, str, int, int]]:  # type: ignore[no-untyped-def]
    return [(t.name, rate_text(t.rate_ppm), t.base.amount, t.tax.amount) for t in result.totals.tax_breakdown]


def test_germany_includes_19_percent_vat_in_the_shelf_price_and_in_shipping() -> None:
    result = priced("EUR", [Item(1999, 2)], "DE")
    # 39.98 gross: 3998 * 19/119 = 638.33 -> 6.38 VAT. 39.98 < 50.00, so EU shipping 5.90,
    # taxed: 590 * 19/119 = 94.20 -> 0.94. The total is the shelf price plus shipping.
    assert result.lines[0].tax.amount == 638
    assert result.totals.shipping.amount == 590 and result.totals.shipping_tax.amount == 94  # type: ignore[union-attr]
    assert result.totals.tax.amount == 732
    assert result.totals.total.amount == 3998 + 590
    assert result.totals.tax_included
    assert breakdown(result) == [("VAT", "19", 3360 + 496, 732)]


def test_france_taxes_a_book_at_5_5_percent_and_a_shirt_at_20_percent() -> None:
    result = priced("EUR", [Item(1200, 1, TaxClass.REDUCED), Item(3000, 1)], "FR")
    # book: 1200 * 5.5/105.5 = 62.56 -> 0.63; shirt: 3000 * 20/120 = 5.00; shipping 5.90 (42.00 < 50.00):
    # 590 * 20/120 = 98.33 -> 0.98. Total 42.00 + 5.90 = 47.90.
    assert [line.tax.amount for line in result.lines] == [63, 500]  # type: ignore[union-attr]
    assert result.totals.tax.amount == 63 + 500 + 98
    assert result.totals.total.amount == 4790
    assert breakdown(result) == [("VAT", "20", 2500 + 492, 598), ("VAT", "5.5", 1137, 63)]


def test_the_uk_rounds_a_half_penny_up_and_shows_zero_rated_goods_at_0_percent() -> None:
    result = priced("GBP", [Item(2499, 3), Item(1000, 1, TaxClass.ZERO)], "GB")
    # 74.97 * 20/120 = 12.495 -> 12.50 (half up); children's clothes zero-rated; 84.97 >= 60.00: free shipping
    assert [line.tax.amount for line in result.lines] == [1250, 0]  # type: ignore[union-attr]
    assert result.totals.shipping.amount == 0
    assert result.totals.total.amount == 8497
    assert breakdown(result) == [("VAT", "20", 7497 - 1250, 1250), ("VAT", "0", 1000, 0)]


def test_japan_includes_10_percent_consumption_tax_and_8_percent_on_food() -> None:
    result = priced("JPY", [Item(3300, 2), Item(1080, 1, TaxClass.REDUCED)], "JP")
    # 6600 * 10/110 = 600; 1080 * 8/108 = 80; 7680 < 8000: shipping 800, 800 * 10/110 = 72.7 -> 73.
    assert [line.tax.amount for line in result.lines] == [600, 80]  # type: ignore[union-attr]
    assert result.totals.tax.amount == 753
    assert result.totals.total.amount == 7680 + 800
    assert breakdown(result) == [
        ("Consumption tax", "10", 6000 + 727, 673),
        ("Consumption tax", "8", 1000, 80),
    ]


def test_california_adds_7_25_percent_on_top_and_does_not_tax_shipping() -> None:
    result = priced("USD", [Item(1999, 2, weight_grams=400)], "US", "CA")
    # 39.98 * 7.25 % = 2.89855 -> 2.90; 800 g is one started kilogram: 5.95 + 1.50 = 7.45, untaxed.
    assert result.lines[0].tax.amount == 290
    assert result.totals.shipping.amount == 745 and result.totals.shipping_tax.amount == 0  # type: ignore[union-attr]
    assert result.totals.total.amount == 3998 + 290 + 745
    assert not result.totals.tax_included
    assert result.tax_region == "US-CA"


def test_quebec_shows_gst_and_qst_apart_each_rounded_on_its_own() -> None:
    cart, skus = cart_of("USD", [Item(5000, 1)])
    result = quote(cart, skus, PricingContext(destination=Destination("CA", "QC"), now=NOW))
    # 50.00: GST 5 % = 2.50; QST 9.975 % = 4.9875 -> 4.99. Shipping 5.95 (under 75.00, no weight), taxed:
    # GST 29.75 -> 0.30, QST 59.35 -> 0.59.
    assert [(t.name, t.tax.amount) for t in result.lines[0].taxes] == [("GST", 250), ("QST", 499)]
    assert result.totals.tax.amount == 250 + 499 + 30 + 59
    assert result.totals.total.amount == 5000 + 595 + 250 + 499 + 30 + 59


def test_a_us_state_without_a_rule_collects_no_sales_tax() -> None:
    result = priced("USD", [Item(5000, 1)], "US", "OR")
    assert result.totals.tax.amount == 0 and result.tax_region == "US"


def test_a_ten_percent_code_comes_off_the_line_before_tax_is_worked_out() -> None:
    code = Promotion(
        id="TENOFF",
        code="TENOFF",
        kind=PromotionKind.PERCENTAGE,
        description="10 %",
        starts_at=NOW,
        percent_bp=1000,
    )
    result = priced("EUR", [Item(1999, 2)], "DE", code=code)
    # 3998 * 10 % = 399.8 -> 399 (rounded down: never more than promised); 3599 * 19/119 = 574.6 -> 575.
    assert result.lines[0].discount.amount == 399  # type: ignore[union-attr]
    assert result.lines[0].tax.amount == 575
    assert result.totals.total.amount == 3998 - 399 + 590
    assert [(d.promotion_id, d.amount.amount) for d in result.discounts] == [("TENOFF", 399)]


def test_free_shipping_over_a_threshold_waives_the_fee_and_says_why() -> None:
    free = Promotion(
        id="free-shipping-30",
        kind=PromotionKind.FREE_SHIPPING,
        description="Free shipping over 30 EUR",
        starts_at=NOW - timedelta(days=1),
        min_subtotal={"EUR": 3000},
    )
    result = priced("EUR", [Item(1999, 2)], "DE", promotions=[free])
    assert result.totals.shipping.amount == 0 and result.totals.total.amount == 3998
    assert [(d.promotion_id, d.amount.amount, d.on_shipping) for d in result.discounts] == [
        ("free-shipping-30", 590, True)
    ]


def test_a_product_not_sold_in_a_country_is_refused_with_the_reason() -> None:
    with pytest.raises(RestrictedInRegion) as refused:
        priced("USD", [Item(1000, 1, not_sold_in=frozenset({"US"}))], "US", "NY")
    assert refused.value.extensions["lines"] == [{"sku": "SKU-0", "reason": "not sold in US"}]
    with pytest.raises(RestrictedInRegion, match="cannot be sold or shipped to JP"):
        priced("JPY", [Item(1000, 1, not_shipped_to=frozenset({"JP"}))], "JP")


def test_a_country_we_do_not_ship_to_or_a_currency_a_zone_has_no_rate_in_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="do not ship to BR"):
        priced("EUR", [Item(1000, 1)], "BR")
    with pytest.raises(ValidationFailed, match="in KWD"):
        priced("KWD", [Item(1000, 1)], "US", "CA")


def test_an_empty_cart_or_a_line_no_longer_sold_has_no_quote() -> None:
    empty, skus = cart_of("EUR", [])
    with pytest.raises(EmptyCart):
        quote(empty, skus, PricingContext(destination=Destination("FR"), now=NOW))
    cart, skus = cart_of("EUR", [Item(1000, 1)])
    gone = replace(cart, lines=(replace(cart.lines[0], available=False),))
    with pytest.raises(NotSellable):
        quote(gone, skus, PricingContext(destination=Destination("FR"), now=NOW))
