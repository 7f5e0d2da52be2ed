"""Tax rules by region: rates per product tax class, tax-inclusive or tax-exclusive prices, taxed shipping.

Rates are integers in parts per million of the amount (`rate_ppm`: 19 % = 190_000, Quebec's 9.975 % =
99_750), so every rate in use is exact. The seeded rules and their sources are in docs/tax.md.

- A rule is per country, or per country and subdivision (US state, CA province) where tax depends on it;
  a subdivision without a rule of its own uses the country's.
- A rule has one component (VAT, GST, consumption tax, state sales tax) or, in Canada, two that are shown
  apart on the invoice (GST and a provincial tax). A tax-inclusive rule has exactly one component.
- `inclusive`: prices are entered and shown with tax included (EU, UK, CH, AU, JP); otherwise tax is added
  on top at checkout (US, CA).
- Tax classes: `standard`, `reduced` (the country's main reduced rate; the standard rate where there is
  none), `zero` (taxable at 0 %, shown on the invoice) and `exempt` (outside the tax: no tax line).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from commerce.domain.errors import ValidationFailed
from commerce.domain.money import Money, Rounding

PPM = 1_000_000
# Half up (ties away from zero) to the currency's minor unit, per line and per tax component.
TAX_ROUNDING = Rounding.HALF_UP


class TaxClass(enum.StrEnum):
    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO = "zero"
    EXEMPT = "exempt"


@dataclass(frozen=True, slots=True)
class TaxComponent:
    """One tax of a rule: its name on the invoice and its rate per class (`reduced` absent: standard)."""

    name: str
    standard_ppm: int
    reduced_ppm: int | None = None

    def rate_ppm(self, tax_class: TaxClass) -> int:
        if tax_class is TaxClass.STANDARD:
            return self.standard_ppm
        if tax_class is TaxClass.REDUCED:
            return self.standard_ppm if self.reduced_ppm is None else self.reduced_ppm
        return 0


@dataclass(frozen=True, slots=True)
class TaxRule:
    country: str
    subdivision: str | None
    components: tuple[TaxComponent, ...]
    inclusive: bool
    shipping_taxed: bool

    def __post_init__(self) -> None:
        if self.inclusive and len(self.components) != 1:
            raise ValidationFailed("a tax-inclusive rule has exactly one tax component")

    @property
    def region(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


@dataclass(frozen=True, slots=True)
class TaxAmount:
    """One component's tax on one amount: what a line or the shipping carries to the invoice."""

    name: str
    rate_ppm: int
    base: Money  # the taxable amount, tax excluded
    tax: Money


@dataclass(frozen=True, slots=True)
class TaxedAmount:
    """An amount as charged (`gross` in a tax-inclusive rule, net plus tax otherwise), split up."""

    net: Money
    taxes: tuple[TaxAmount, ...] = field(default_factory=tuple)

    @property
    def tax(self) -> Money:
        total = Money.zero(self.net.currency)
        for part in self.taxes:
            total = total + part.tax
        return total


def tax_amount(amount: Money, rule: TaxRule, tax_class: TaxClass) -> TaxedAmount:
    """The tax on an amount as the shelf shows it in the rule's region, each component rounded half up.

    Inclusive: `amount` is gross; tax = gross * r / (1 + r), and net = gross - tax, so net + tax is
    exactly the shelf amount. Exclusive: `amount` is net and each component is net * r."""
    if tax_class is TaxClass.EXEMPT:
        return TaxedAmount(net=amount)
    if rule.inclusive:
        (component,) = rule.components
        rate = component.rate_ppm(tax_class)
        tax = amount.multiply(Fraction(rate, PPM + rate), TAX_ROUNDING)
        net = amount - tax
        return TaxedAmount(net=net, taxes=(TaxAmount(component.name, rate, net, tax),))
    taxes = tuple(
        TaxAmount(
            c.name,
            c.rate_ppm(tax_class),
            amount,
            amount.multiply(Fraction(c.rate_ppm(tax_class), PPM), TAX_ROUNDING),
        )
        for c in rule.components
    )
    return TaxedAmount(net=amount, taxes=taxes)


def rate_text(rate_ppm: int) -> str:
    """A rate in ppm as a percentage without trailing zeros: 190_000 -> "19", 99_750 -> "9.975"."""
    whole, rest = divmod(rate_ppm, 10_000)
    return f"{whole}.{rest:04d}".rstrip("0").rstrip(".") if rest else str(whole)


def _pct(text: str) -> int:
    """A percentage written as a decimal string, to ppm exactly."""
    value = Fraction(text) * 10_000
    if value.denominator != 1:
        raise ValueError(f"{text} % is finer than one ppm")
    return int(value)


def _vat(country: str, standard: str, reduced: str | None, name: str = "VAT") -> TaxRule:
    return TaxRule(
        country=country,
        subdivision=None,
        components=(TaxComponent(name, _pct(standard), _pct(reduced) if reduced else None),),
        inclusive=True,
        shipping_taxed=True,
    )


def _sales_tax(
    country: str, subdivision: str | None, shipping_taxed: bool, *parts: tuple[str, str]
) -> TaxRule:
    return TaxRule(
        country=country,
        subdivision=subdivision,
        components=tuple(TaxComponent(name, _pct(rate)) for name, rate in parts),
        inclusive=False,
        shipping_taxed=shipping_taxed,
    )


# The seeded rules; docs/tax.md gives the source and the date of each rate.
SEEDED_RULES: tuple[TaxRule, ...] = (
    _vat("DE", "19", "7"),
    _vat("FR", "20", "5.5"),
    _vat("ES", "21", "10"),
    _vat("IT", "22", "10"),
    _vat("NL", "21", "9"),
    _vat("BE", "21", "6"),
    _vat("AT", "20", "10"),
    _vat("IE", "23", "13.5"),
    _vat("GB", "20", "5"),
    _vat("CH", "8.1", "2.6", name="MWST"),
    _vat("JP", "10", "8", name="Consumption tax"),
    _vat("AU", "10", None, name="GST"),
    # US: sales tax is the state's; a state without a rule here is one the shop collects nothing in.
    _sales_tax("US", None, False),
    _sales_tax("US", "CA", False, ("California sales tax", "7.25")),
    _sales_tax("US", "NY", True, ("New York sales tax", "4")),
    _sales_tax("US", "TX", True, ("Texas sales tax", "6.25")),
    _sales_tax("US", "WA", True, ("Washington sales tax", "6.5")),
    # Canada: the federal GST everywhere, HST in its place in Ontario, a provincial tax beside it elsewhere.
    _sales_tax("CA", None, True, ("GST", "5")),
    _sales_tax("CA", "ON", True, ("HST", "13")),
    _sales_tax("CA", "QC", True, ("GST", "5"), ("QST", "9.975")),
    _sales_tax("CA", "BC", True, ("GST", "5"), ("PST", "7")),
    _sales_tax("CA", "AB", True, ("GST", "5")),
)


class TaxRules:
    """Looks up the rule for a destination: subdivision first, then country; unknown: not shipped to."""

    def __init__(self, rules: tuple[TaxRule, ...] = SEEDED_RULES) -> None:
        self._rules: Mapping[tuple[str, str | None], TaxRule] = {(r.country, r.subdivision): r for r in rules}

    def for_destination(self, country: str, subdivision: str | None = None) -> TaxRule:
        country = country.upper()
        if subdivision:
            found = self._rules.get((country, subdivision.upper()))
            if found is not None:
                return found
        rule = self._rules.get((country, None))
        if rule is None:
            raise ValidationFailed(f"we do not ship to {country}", field="shipping_address.country")
        return rule

    def countries(self) -> list[str]:
        return sorted({country for country, _ in self._rules})


DEFAULT_TAX_RULES = TaxRules()
