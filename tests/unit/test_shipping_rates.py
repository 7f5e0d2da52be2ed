"""Shipping rates for a cart with in-memory fakes: the parcel's weight, the nearest origin, the
zone rate beside the carrier's quotes, and the zone rate still answering when the carrier is down."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from commerce.adapters.carriers import SIMULATED_DOWN_POSTAL_CODE, SimulatedCarrier
from commerce.domain.carrier_rates import (
    CarrierRate,
    LiveRates,
    RateRequest,
    merge_options,
    origin_for,
    parcel_weight,
)
from commerce.domain.cart import CartPolicy
from commerce.domain.errors import DependencyFailed, EmptyCart, NotFound, ValidationFailed
from commerce.domain.money import Money
from commerce.domain.ports import Carrier
from commerce.domain.product_terms import ProductTerms
from commerce.domain.regions import ShippingQuote
from commerce.services.carts import Carts
from commerce.services.pricing import Pricer
from commerce.services.shipping_rates import CartShippingRates
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.promotions import InMemoryPromotions
from tests.fakes.shipping import InMemoryParcels, ScriptedCarrier

from .catalog_builders import product, variant

LOCATIONS = {"wh-paris": "FR", "wh-berlin": "DE"}


def clock() -> datetime:
    return datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def rate(code: str, amount: int, currency: str = "EUR", days: tuple[int, int] = (1, 2)) -> CarrierRate:
    return CarrierRate("acme", code, code.title(), Money(amount, currency), *days)


# the pure parts


def test_a_parcel_weighs_each_lines_quantity_times_its_products_unit_weight() -> None:
    assert parcel_weight({"A": 2, "B": 3}, {"A": 450, "B": 1200}) == 2 * 450 + 3 * 1200
    assert parcel_weight({"A": 1, "C": 4}, {"A": 450}) == 450  # a product without a weight weighs nothing


def test_an_empty_cart_has_no_parcel_to_quote() -> None:
    with pytest.raises(EmptyCart):
        parcel_weight({}, {})
    with pytest.raises(EmptyCart):
        parcel_weight({"A": 0}, {"A": 100})


def test_the_parcel_leaves_from_the_nearest_location_then_the_first_by_id() -> None:
    assert origin_for("FR", LOCATIONS) == ("wh-paris", "FR")
    assert origin_for("DE", LOCATIONS) == ("wh-berlin", "DE")
    assert origin_for("US", LOCATIONS) == ("wh-berlin", "DE")  # both far: by id
    assert origin_for("FR", {}) == ("default", None)


def test_options_put_the_cheapest_first_and_keep_only_quotes_in_the_carts_currency() -> None:
    zone = ShippingQuote("eu", eur(590), 2, 5)
    quotes = [rate("express", 1490), rate("eco", 450, days=(4, 7)), rate("usd", 100, "USD"), rate("eco", 500)]

    options = merge_options(zone, quotes, "EUR")

    assert [(o.source, o.service_code, o.price.amount) for o in options] == [
        ("carrier", "eco", 450),  # the cheaper of two quotes for one service
        ("zone", "zone:eu", 590),
        ("carrier", "express", 1490),
    ]


def test_on_a_tie_the_zone_rate_comes_before_a_carrier_quote_as_fast() -> None:
    zone = ShippingQuote("eu", eur(590), 2, 5)
    options = merge_options(zone, [rate("same", 590, days=(2, 5))], "EUR")
    assert [o.source for o in options] == ["zone", "carrier"]


def test_the_simulated_carrier_quotes_two_services_more_for_a_heavier_farther_parcel() -> None:
    carrier = SimulatedCarrier(InMemoryParcels())
    near = carrier.rates(RateRequest("c", 900, "wh-paris", "FR", "FR", "75001", "EUR"))
    far_heavy = carrier.rates(RateRequest("c", 2500, "wh-paris", "FR", "US", "10001", "EUR"))

    assert [r.service_code for r in near] == ["sim-standard", "sim-express"]
    assert near == carrier.rates(RateRequest("c", 900, "wh-paris", "FR", "FR", "75001", "EUR"))
    assert all(f.price.amount > n.price.amount for n, f in zip(near, far_heavy, strict=True))
    assert all(r.price.currency == "EUR" for r in near)
    with pytest.raises(DependencyFailed):
        carrier.rates(RateRequest("c", 900, "wh-paris", "FR", "FR", SIMULATED_DOWN_POSTAL_CODE, "EUR"))


# the use case


class Shop:
    def __init__(self, carrier: Carrier | None) -> None:
        self.catalog = InMemoryCatalog()
        bag = product("BAG", variants=(variant("BAG-1", eur=4990),))
        self.catalog.save_product(replace(bag, terms=ProductTerms(weight_grams=1200)))
        pricer = Pricer(InMemoryPromotions(), lambda _c: True, clock, {"name": "Shop"})
        self.carts = Carts(
            InMemoryCarts(), self.catalog, ["EUR", "USD"], CartPolicy(), clock, "en", pricer, "DE"
        )
        self.carrier = carrier
        self.rates = CartShippingRates(self.carts, self.catalog, pricer, carrier, LOCATIONS)

    def cart(self, quantity: int = 1, currency: str = "EUR") -> tuple[str, str]:
        priced, token = self.carts.create(currency, "en", "FR")
        if quantity:
            self.carts.set_line(priced.cart.id, token, "BAG-1", quantity, "en")
        return priced.cart.id, token


def test_a_cart_gets_the_zone_rate_and_the_carriers_quotes_for_its_parcel() -> None:
    shop = Shop(ScriptedCarrier(quotes=[rate("eco", 450), rate("express", 1490)]))
    cart_id, token = shop.cart(quantity=2)

    rates = shop.rates.for_guest_cart(cart_id, token, "fr", "75001", "en")

    assert rates.live_rates is LiveRates.INCLUDED and rates.live_rates_problem is None
    assert (rates.country, rates.postal_code, rates.weight_grams) == ("FR", "75001", 2400)
    assert rates.origin_location == "wh-paris"
    assert [(o.service_code, o.price) for o in rates.options] == [
        ("zone:eu", eur(0)),  # 2 x 49.90 is over the eu zone's free-from 50
        ("eco", eur(450)),
        ("express", eur(1490)),
    ]
    assert shop.carrier is not None
    (asked,) = shop.carrier.rate_requests
    assert (asked.weight_grams, asked.origin_location, asked.country, asked.currency) == (
        2400,
        "wh-paris",
        "FR",
        "EUR",
    )


def test_the_zone_rate_is_what_the_carts_estimate_charges() -> None:
    shop = Shop(None)
    cart_id, token = shop.cart(quantity=1)

    rates = shop.rates.for_guest_cart(cart_id, token, None, None, "en")  # the cart's own country

    estimate = shop.carts.get(cart_id, token, "en").estimate
    assert estimate is not None and estimate.shipping is not None
    (zone,) = rates.options
    assert zone.price == estimate.shipping.fee == eur(590)
    assert rates.live_rates is LiveRates.NOT_CONFIGURED


def test_a_carrier_that_is_down_leaves_the_zone_rate_and_says_live_rates_were_unavailable() -> None:
    shop = Shop(ScriptedCarrier(down=True))
    cart_id, token = shop.cart()

    rates = shop.rates.for_guest_cart(cart_id, token, "DE", "10115", "en")

    assert rates.live_rates is LiveRates.UNAVAILABLE
    assert rates.live_rates_problem and "did not answer" in rates.live_rates_problem
    assert [o.source for o in rates.options] == ["zone"]


def test_bad_destinations_and_empty_carts_are_refused_and_the_carrier_is_not_asked() -> None:
    shop = Shop(ScriptedCarrier())
    cart_id, token = shop.cart()
    empty_id, empty_token = shop.cart(quantity=0)

    with pytest.raises(ValidationFailed):
        shop.rates.for_guest_cart(cart_id, token, "XX", None, "en")  # no such country
    with pytest.raises(ValidationFailed):
        shop.rates.for_guest_cart(cart_id, token, "BR", None, "en")  # a country no zone ships to
    with pytest.raises(ValidationFailed):
        shop.rates.for_guest_cart(cart_id, token, "FR", "not a code!", "en")
    with pytest.raises(EmptyCart):
        shop.rates.for_guest_cart(empty_id, empty_token, "FR", None, "en")
    with pytest.raises(NotFound):
        shop.rates.for_guest_cart(cart_id, "wrong-token", "FR", None, "en")
    assert shop.carrier is not None and shop.carrier.rate_requests == []


def test_the_merchant_can_switch_live_rates_off_and_the_storefront_then_asks_no_carrier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The simulated carrier keeps its parcels in DynamoDB: a client is made, and with credentials in the
    # environment boto3 does not go looking for the instance's.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    from commerce import bootstrap  # noqa: PLC0415
    from commerce.config import Settings  # noqa: PLC0415

    from .test_config import ENV  # noqa: PLC0415

    carrier = {"CARRIER_NAME": "simulated", "CARRIER_ENDPOINT": "", "CARRIER_SECRET_ARN": "arn:carrier"}
    env = {**ENV, **carrier, "CARRIER_RATES_TIMEOUT_SECONDS": "2", "CARRIER_LIVE_RATES": "true"}
    assert isinstance(bootstrap.live_rate_carrier(Settings.from_env(env)), SimulatedCarrier)
    assert bootstrap.live_rate_carrier(Settings.from_env({**env, "CARRIER_LIVE_RATES": "false"})) is None
