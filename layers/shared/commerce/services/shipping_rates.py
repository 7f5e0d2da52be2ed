"""Shipping rates for a cart: the merchant's zone rate, as the cart's estimate prices it, beside the
carrier's live quotes for the parcel. A carrier that is down or slow never breaks the cart: the zone rate
still answers and the answer says live rates were unavailable."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from commerce.domain import countries
from commerce.domain.carrier_rates import (
    CarrierRate,
    LiveRates,
    RateRequest,
    ShippingRates,
    merge_options,
    origin_for,
    parcel_weight,
)
from commerce.domain.cart import PricedCart
from commerce.domain.errors import DependencyFailed, ValidationFailed
from commerce.domain.ports import Carrier, CatalogRepository
from commerce.domain.pricing import Destination
from commerce.services.carts import Carts
from commerce.services.pricing import Pricer

logger = logging.getLogger(__name__)


class CartShippingRates:
    def __init__(
        self,
        carts: Carts,
        catalog: CatalogRepository,
        pricer: Pricer,
        carrier: Carrier | None,
        location_countries: Mapping[str, str],
    ) -> None:
        self._carts = carts
        self._catalog = catalog
        self._pricer = pricer
        self._carrier = carrier
        self._location_countries = dict(location_countries)

    def for_guest_cart(
        self, cart_id: str, token: str | None, country: str | None, postal_code: str | None, locale: str
    ) -> ShippingRates:
        return self._rates(self._carts.get(cart_id, token, locale), country, postal_code)

    def for_customer_cart(
        self, customer_id: str, country: str | None, postal_code: str | None, locale: str
    ) -> ShippingRates:
        return self._rates(self._carts.customer_cart(customer_id, locale), country, postal_code)

    def _rates(self, priced: PricedCart, raw_country: str | None, raw_postal: str | None) -> ShippingRates:
        cart = priced.cart
        if not (raw_country or cart.country):
            raise ValidationFailed("say where the cart ships: country", field="country")
        country = countries.country_code(raw_country or cart.country or "")
        postal = countries.postal_code(country, raw_postal) if raw_postal else None  # optional for a quote
        available = replace(priced, lines=tuple(line for line in priced.lines if line.available))
        skus = self._catalog.get_skus([line.sku for line in available.lines]) if available.lines else {}
        weight = parcel_weight(
            {line.sku: line.quantity for line in available.lines},
            {sku: record.terms.weight_grams for sku, record in skus.items()},
        )
        # The zone rate exactly as checkout will charge it (free-shipping promotions, free-over thresholds);
        # a country outside every zone, or a restricted line, is the 4xx the cart's estimate would give.
        found = self._pricer.quote(available, skus, Destination(country), cart.customer_id)
        assert found.shipping is not None  # a quote always carries its shipping
        origin, origin_country = origin_for(country, self._location_countries)
        request = RateRequest(cart.id, weight, origin, origin_country, country, postal, cart.currency)
        quotes, live, problem = self._live_quotes(request)
        return ShippingRates(
            cart_id=cart.id,
            country=country,
            postal_code=postal,
            currency=cart.currency,
            weight_grams=weight,
            origin_location=origin,
            options=merge_options(found.shipping, quotes, cart.currency),
            live_rates=live,
            live_rates_problem=problem,
        )

    def _live_quotes(self, request: RateRequest) -> tuple[list[CarrierRate], LiveRates, str | None]:
        if self._carrier is None:
            return [], LiveRates.NOT_CONFIGURED, None
        try:
            return self._carrier.rates(request), LiveRates.INCLUDED, None
        except DependencyFailed as error:
            logger.warning(
                "live rates unavailable", extra={"carrier": self._carrier.name, "reason": str(error)}
            )
            return [], LiveRates.UNAVAILABLE, f"carrier {self._carrier.name} did not answer in time"
