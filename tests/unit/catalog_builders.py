"""Small builders for catalog objects in unit tests."""

from __future__ import annotations

from commerce.domain.catalog import Category, Product, ProductStatus, Text, Variant
from commerce.domain.money import Money


def variant(sku: str, eur: int | None = 1000, jpy: int | None = 1600, usd: int | None = 1100) -> Variant:
    prices = {c: Money(a, c) for c, a in (("EUR", eur), ("JPY", jpy), ("USD", usd)) if a is not None}
    return Variant(sku=sku, attributes={"size": "M"}, prices=prices)


def product(
    pid: str,
    category: str = "shoes",
    en: str = "Trail shoe",
    fr: str | None = "Chaussure de trail",
    status: ProductStatus = ProductStatus.ACTIVE,
    variants: tuple[Variant, ...] | None = None,
    rank: int = 0,
) -> Product:
    texts = {"en": Text(en, f"{en} for every day")}
    if fr:
        texts["fr"] = Text(fr, f"{fr} pour tous les jours")
    return Product(
        id=pid,
        slug=pid.lower(),
        category=category,
        status=status,
        texts=texts,
        variants=variants or (variant(f"{pid.upper()}-M"),),
        rank=rank,
    )


def category(slug: str) -> Category:
    return Category(slug=slug, names={"en": slug.title(), "fr": f"{slug} (fr)"})
