"""What pricing needs to know about a product beyond its price: its tax class, its weight for shipping and
the countries it may not be sold in or shipped to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from commerce.domain.errors import ValidationFailed
from commerce.domain.regions import Restrictions
from commerce.domain.tax import TaxClass


@dataclass(frozen=True, slots=True)
class ProductTerms:
    tax_class: TaxClass = TaxClass.STANDARD
    weight_grams: int = 0  # per unit
    restrictions: Restrictions = field(default_factory=Restrictions)

    def __post_init__(self) -> None:
        if self.weight_grams < 0:
            raise ValidationFailed("weight_grams must not be negative")

    def to_dict(self) -> dict[str, Any]:
        return {
            "tax_class": self.tax_class.value,
            "weight_grams": self.weight_grams,
            "not_sold_in": sorted(self.restrictions.not_sold_in) or None,
            "not_shipped_to": sorted(self.restrictions.not_shipped_to) or None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ProductTerms:
        if not data:
            return cls()
        return cls(
            tax_class=TaxClass(data.get("tax_class", TaxClass.STANDARD.value)),
            weight_grams=int(data.get("weight_grams") or 0),
            restrictions=Restrictions(
                not_sold_in=frozenset(data.get("not_sold_in") or ()),
                not_shipped_to=frozenset(data.get("not_shipped_to") or ()),
            ),
        )
