"""Properties of pricing for random carts, codes and regions, in JPY, EUR, USD and KWD: every total is exact
in minor units, the tax breakdown adds up to the tax, a discount never makes a line negative, and a
tax-inclusive price is what the shelf showed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from commerce.domain.money import Money, sum_money
from commerce.domain.pricing import Destination, OrderQuote, PricingContext, quote
from commerce.domain.promotions import Promotion, PromotionKind
from commerce.domain.regions import RateKind, ShippingRate, ShippingZone, ShippingZones
from commerce.domain.tax import DEFAULT_TAX_RULES, SEEDED_RULES, TaxClass

from .pricing_builders import NOW, Item, cart_of

CURRENCIES = ["JPY", "EUR", "USD", "KWD"]
DESTINATIONS = [Destination(rule.country, rule.subdivision) for rule in SEEDED_RULES]


def zones_in_every_currency(rate: ShippingRate) -> ShippingZones:
    countries = frozenset(rule.country for rule in SEEDED_RULES)
    return ShippingZones((ShippingZone("all", countries, dict.fromkeys(CURRENCIES, rate), 1, 5),))


items = st.builds(
    Item,
    unit=st.integers(0, 5_000_000),
    quantity=st.integers(1, 99),
    tax_class=st.sampled_from(list(TaxClass)),
    category=st.sampled_from(["apparel", "books", "food"]),
    weight_grams=st.integers(0, 5000),
)
rates = st.builds(
    ShippingRate,
    kind=st.sampled_from(list(RateKind)),
    fee=st.integers(0, 5000),
    per_kg=st.integers(0, 2000),
    free_from=st.none() | st.integers(0, 1_000_000),
)


@st.composite
def promotions(draw: st.DrawFn, currency: str) -> list[Promotion]:
    chosen: list[Promotion] = []
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(list(PromotionKind)))
        chosen.append(
            Promotion(
                id=f"promo-{index}",
                kind=kind,
                description="random",
                starts_at=NOW - timedelta(days=1),
                percent_bp=draw(st.integers(1, 10_000)) if kind is PromotionKind.PERCENTAGE else 0,
                amounts={currency: draw(st.integers(1, 10_000_000))}
                if kind is PromotionKind.FIXED_AMOUNT
                else {},
                min_subtotal={currency: draw(st.integers(0, 100_000))} if draw(st.booleans()) else {},
                categories=frozenset(draw(st.sets(st.sampled_from(["apparel", "books"]), max_size=2))),
            )
        )
    return chosen


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[OrderQuote, list[Item]]:
    currency = draw(st.sampled_from(CURRENCIES))
    chosen = draw(st.lists(items, min_size=1, max_size=40))
    drawn = draw(promotions(currency))
    # the last one, if any, is the cart's code; the others are automatic
    code = replace(drawn[-1], id="CODE", code="CODE") if drawn and draw(st.booleans()) else None
    automatic = drawn[:-1] if code else drawn
    cart, skus = cart_of(currency, chosen, code=code.code if code else None)
    context = PricingContext(
        destination=draw(st.sampled_from(DESTINATIONS)),
        now=NOW,
        promotions=automatic,
        code=code,
        zones=zones_in_every_currency(draw(rates)),
    )
    return quote(cart, skus, context), chosen


@settings(max_examples=300)
@given(scenarios())
def test_every_total_is_exact_in_minor_units(scenario: tuple[OrderQuote, list[Item]]) -> None:
    result, _ = scenario
    totals = result.totals
    for money in (totals.subtotal, totals.tax, totals.shipping, totals.discount, totals.total):
        assert isinstance(money.amount, int) and money.currency == totals.subtotal.currency
    expected = totals.subtotal.amount - totals.discount.amount + totals.shipping.amount
    if not totals.tax_included:
        expected += totals.tax.amount
    assert totals.total.amount == expected
    assert totals.subtotal == sum_money((line.line_total for line in result.lines), totals.subtotal.currency)


@settings(max_examples=300)
@given(scenarios())
def test_the_tax_breakdown_adds_up_to_the_tax_total(scenario: tuple[OrderQuote, list[Item]]) -> None:
    result, _ = scenario
    currency = result.totals.tax.currency
    assert sum_money((t.tax for t in result.totals.tax_breakdown), currency) == result.totals.tax
    line_taxes = sum_money((line.tax or Money.zero(currency) for line in result.lines), currency)
    assert line_taxes + (result.totals.shipping_tax or Money.zero(currency)) == result.totals.tax
    assert len({(t.name, t.rate_ppm) for t in result.totals.tax_breakdown}) == len(
        result.totals.tax_breakdown
    )


@settings(max_examples=300)
@given(scenarios())
def test_a_discount_never_makes_a_line_negative(scenario: tuple[OrderQuote, list[Item]]) -> None:
    result, _ = scenario
    for line in result.lines:
        assert line.discount is not None and 0 <= line.discount.amount <= line.line_total.amount
        assert line.tax is not None and line.tax.amount >= 0
    on_lines = sum(d.amount.amount for d in result.discounts if not d.on_shipping)
    assert on_lines == result.totals.discount.amount


@settings(max_examples=300)
@given(scenarios())
def test_a_tax_inclusive_price_is_what_the_shelf_showed(scenario: tuple[OrderQuote, list[Item]]) -> None:
    result, chosen = scenario
    if not result.tax_included:
        return
    for line, item in zip(result.lines, chosen, strict=True):
        charged = line.line_total - (line.discount or Money.zero(line.line_total.currency))
        assert line.line_total.amount == item.unit * item.quantity
        net = sum(t.base.amount for t in line.taxes) if line.taxes else charged.amount
        assert net + (line.tax.amount if line.tax else 0) == charged.amount  # tax is inside, not on top


@given(
    currency=st.sampled_from(CURRENCIES),
    chosen=st.lists(items, min_size=1, max_size=10),
    destination=st.sampled_from(
        [d for d in DESTINATIONS if DEFAULT_TAX_RULES.for_destination(d.country).inclusive]
    ),
)
def test_without_discounts_an_inclusive_region_charges_the_shelf_total_plus_shipping(
    currency: str, chosen: list[Item], destination: Destination
) -> None:
    cart, skus = cart_of(currency, chosen)
    zones = zones_in_every_currency(ShippingRate(RateKind.FLAT, 500))
    result = quote(cart, skus, PricingContext(destination=destination, now=NOW, zones=zones))
    assert result.totals.total.amount == sum(i.unit * i.quantity for i in chosen) + 500
