"""Regions: each country's default currency, the shipping zones with their rates and delivery estimates, and
which products a country may not buy or receive.

A shipping rate is per zone and per currency (no conversion, as for prices): `flat` is one fee; `weight`
is a base fee plus a fee per started kilogram of the order's weight. Either may be free from a subtotal
(after discounts, as the shelf shows it). A zone without a rate in the cart's currency does not ship in
that currency.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from commerce.domain.errors import ValidationFailed
from commerce.domain.money import Money

GRAMS_PER_KG = 1000

# The currency a region's shoppers see first; they may choose any other currency the shop offers.
DEFAULT_CURRENCY: Mapping[str, str] = {
    **dict.fromkeys(("DE", "FR", "ES", "IT", "NL", "BE", "AT", "IE"), "EUR"),
    "GB": "GBP",
    "CH": "CHF",
    "JP": "JPY",
    "AU": "AUD",
    "US": "USD",
    "CA": "CAD",
}


def default_currency(country: str | None, offered: Sequence[str]) -> str:
    """The region's currency if the shop offers it, else the shop's default (the first offered)."""
    chosen = DEFAULT_CURRENCY.get((country or "").upper())
    return chosen if chosen is not None and chosen in offered else offered[0]


class RateKind(enum.StrEnum):
    FLAT = "flat"
    WEIGHT = "weight"


@dataclass(frozen=True, slots=True)
class ShippingRate:
    kind: RateKind
    fee: int  # minor units: the flat fee, or the base fee of a weight rate
    per_kg: int = 0  # minor units per started kilogram (weight rates)
    free_from: int | None = None  # subtotal in minor units from which shipping is free

    def fee_for(self, subtotal: Money, weight_grams: int) -> Money:
        if self.free_from is not None and subtotal.amount >= self.free_from:
            return Money.zero(subtotal.currency)
        kilos = -(-weight_grams // GRAMS_PER_KG) if self.kind is RateKind.WEIGHT else 0
        return Money(self.fee + self.per_kg * kilos, subtotal.currency)


@dataclass(frozen=True, slots=True)
class ShippingZone:
    id: str
    countries: frozenset[str]
    rates: Mapping[str, ShippingRate]  # by currency
    min_days: int
    max_days: int


@dataclass(frozen=True, slots=True)
class ShippingQuote:
    zone: str
    fee: Money
    min_days: int
    max_days: int


def _flat(fee: int, free_from: int | None) -> ShippingRate:
    return ShippingRate(RateKind.FLAT, fee, free_from=free_from)


def _weight(fee: int, per_kg: int, free_from: int | None) -> ShippingRate:
    return ShippingRate(RateKind.WEIGHT, fee, per_kg=per_kg, free_from=free_from)


SEEDED_ZONES: tuple[ShippingZone, ...] = (
    ShippingZone(
        "eu",
        frozenset({"DE", "FR", "ES", "IT", "NL", "BE", "AT", "IE"}),
        {
            "EUR": _flat(590, 5000),
            "USD": _flat(690, 6000),
            "JPY": _flat(950, 8000),
            "KWD": _flat(2000, 20000),
        },
        2,
        5,
    ),
    ShippingZone(
        "uk-ch",
        frozenset({"GB", "CH"}),
        {"EUR": _flat(990, 8000), "USD": _flat(1090, 9000), "GBP": _flat(795, 6000), "CHF": _flat(990, 8000)},
        3,
        7,
    ),
    ShippingZone(
        "north-america",
        frozenset({"US", "CA"}),
        {
            "USD": _weight(595, 150, 7500),
            "EUR": _weight(695, 175, 9000),
            "CAD": _weight(895, 200, 10000),
            "JPY": _weight(900, 250, 12000),
        },
        3,
        8,
    ),
    ShippingZone(
        "japan",
        frozenset({"JP"}),
        {"JPY": _flat(800, 8000), "USD": _flat(900, 9000), "EUR": _flat(900, 9000), "KWD": _flat(2500, None)},
        1,
        3,
    ),
    ShippingZone(
        "oceania",
        frozenset({"AU"}),
        {"AUD": _weight(1495, 500, 15000), "USD": _weight(1295, 450, 12000), "EUR": _weight(1295, 450, None)},
        6,
        12,
    ),
)


@dataclass(frozen=True, slots=True)
class ShippingZones:
    zones: tuple[ShippingZone, ...] = SEEDED_ZONES
    _by_country: dict[str, ShippingZone] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for zone in self.zones:
            for country in zone.countries:
                self._by_country[country] = zone

    def quote(self, country: str, subtotal: Money, weight_grams: int) -> ShippingQuote:
        """Shipping to `country` for an order of `subtotal` weighing `weight_grams`; 422 where we do not."""
        zone = self._by_country.get(country.upper())
        if zone is None:
            raise ValidationFailed(f"we do not ship to {country}", field="shipping_address.country")
        rate = zone.rates.get(subtotal.currency)
        if rate is None:
            raise ValidationFailed(
                f"we do not ship to {country} in {subtotal.currency}", field="currency", zone=zone.id
            )
        return ShippingQuote(zone.id, rate.fee_for(subtotal, weight_grams), zone.min_days, zone.max_days)


DEFAULT_ZONES = ShippingZones()


@dataclass(frozen=True, slots=True)
class Restrictions:
    """Where a product may not go: not sold to buyers of a country, or not shipped to it."""

    not_sold_in: frozenset[str] = frozenset()
    not_shipped_to: frozenset[str] = frozenset()

    def refusal(self, country: str | None) -> str | None:
        """Why the product cannot go to `country`, or None when it can."""
        if not country:
            return None
        country = country.upper()
        if country in self.not_sold_in:
            return f"not sold in {country}"
        if country in self.not_shipped_to:
            return f"not shipped to {country}"
        return None
