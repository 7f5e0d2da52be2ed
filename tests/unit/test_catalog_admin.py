"""Staff change the catalog; the storefront (Browse, over the same fakes) shows each change at once."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from commerce.domain.catalog import ProductStatus, Text
from commerce.domain.errors import (
    Conflict,
    InvalidState,
    NotFound,
    UnknownCurrency,
    UnsupportedCurrency,
    ValidationFailed,
)
from commerce.services.browse import Browse, ProductQuery
from commerce.services.catalog_admin import (
    MAX_PRICE_MINOR_UNITS,
    CatalogAdmin,
    NewProduct,
    ProductChanges,
    VariantSpec,
)
from commerce.services.pagination import CursorCodec
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.orders import InMemoryStock

from .catalog_builders import category, product, variant

CURRENCIES = ("EUR", "USD", "JPY")
ACTIVE = ProductChanges(status=ProductStatus.ACTIVE)


@pytest.fixture
def catalog() -> InMemoryCatalog:
    repo = InMemoryCatalog()
    for slug in ("hats", "shoes"):
        repo.save_category(category(slug))
    repo.save_product(product("OLD", category="shoes", variants=(variant("OLD-1"),)))
    return repo


@pytest.fixture
def stock() -> InMemoryStock:
    return InMemoryStock()


@pytest.fixture
def admin(catalog: InMemoryCatalog, stock: InMemoryStock) -> CatalogAdmin:
    numbers = itertools.count(1)
    return CatalogAdmin(catalog, stock, currencies=CURRENCIES, new_id=lambda: f"prd-{next(numbers):04d}")


@pytest.fixture
def browse(catalog: InMemoryCatalog, stock: InMemoryStock) -> Browse:
    return Browse(catalog, stock, CursorCodec(lambda: b"k" * 32), CURRENCIES, "en")


def listed(browse: Browse, category: str | None = None, currency: str = "EUR") -> set[str]:
    page = browse.list_products(ProductQuery(currency=currency, locale="en", category=category, limit=100))
    return {p.id for p in page.items}


def found(browse: Browse, q: str, locale: str) -> set[str]:
    page = browse.list_products(ProductQuery(currency="EUR", locale=locale, q=q, limit=100))
    return {p.id for p in page.items}


def balaclava(**overrides: Any) -> NewProduct:
    fields: dict[str, Any] = {
        "slug": "edelweiss-balaclava",
        "category": "hats",
        "texts": {
            "en": Text("Edelweiss balaclava", "Knitted merino for cold ski lifts."),
            "fr": Text("Cagoule edelweiss", "Tricotée en mérinos pour les télésièges glacés."),
        },
        "variants": (VariantSpec("HAT-EDW-GRY", {"colour": "grey"}, {"EUR": 3490}),),
    }
    return NewProduct(**{**fields, **overrides})


def on_sale(admin: CatalogAdmin, **overrides: Any) -> str:
    product_id = admin.create_product(balaclava(**overrides)).id
    admin.update_product(product_id, ACTIVE)
    return product_id


# creating and activating


def test_a_new_product_is_a_draft_under_a_server_made_id_that_browse_does_not_show(
    admin: CatalogAdmin, browse: Browse
) -> None:
    created = admin.create_product(balaclava())
    assert created.id == "prd-0001"
    assert created.status is ProductStatus.DRAFT
    assert admin.product("prd-0001") == created
    assert "prd-0001" not in listed(browse)
    assert not found(browse, "edelweiss", "en")
    with pytest.raises(NotFound):
        browse.get_product("prd-0001", "EUR", "en")


def test_activating_lists_the_product_and_makes_it_findable_in_english_and_in_french(
    admin: CatalogAdmin, browse: Browse
) -> None:
    product_id = on_sale(admin)
    assert product_id in listed(browse)
    assert product_id in listed(browse, category="hats")
    assert found(browse, "edelweiss balaclava", "en") == {product_id}
    assert found(browse, "cagoule", "fr") == {product_id}
    assert browse.get_product(product_id, "EUR", "fr").name == "Cagoule edelweiss"


def test_a_given_id_is_kept_and_a_taken_one_is_a_conflict(admin: CatalogAdmin) -> None:
    assert admin.create_product(balaclava(id="prd-balaclava")).id == "prd-balaclava"
    with pytest.raises(Conflict) as error:
        admin.create_product(balaclava(id="OLD", slug="other", variants=()))
    assert error.value.status == 409
    with pytest.raises(ValidationFailed):
        admin.create_product(balaclava(id="SLUG#x", slug="other", variants=()))


def test_a_product_goes_on_sale_only_with_a_priced_variant(admin: CatalogAdmin) -> None:
    with pytest.raises(InvalidState):
        admin.create_product(balaclava(status=ProductStatus.ACTIVE, variants=()))
    unpriced = admin.create_product(balaclava(variants=(VariantSpec("HAT-EDW-GRY"),)))
    with pytest.raises(InvalidState):
        admin.update_product(unpriced.id, ACTIVE)
    admin.set_price(unpriced.id, "HAT-EDW-GRY", "EUR", 3490)
    assert admin.update_product(unpriced.id, ACTIVE).is_sellable


def test_a_product_needs_an_existing_category(admin: CatalogAdmin) -> None:
    with pytest.raises(ValidationFailed, match="no category"):
        admin.create_product(balaclava(category="gloves"))
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(ValidationFailed, match="no category"):
        admin.update_product(product_id, ProductChanges(category="gloves"))


def test_moving_a_product_to_another_category_moves_it_between_listings(
    admin: CatalogAdmin, browse: Browse
) -> None:
    product_id = on_sale(admin)
    admin.update_product(product_id, ProductChanges(category="shoes", rank=3))
    assert product_id not in listed(browse, category="hats")
    assert product_id in listed(browse, category="shoes")


def test_going_back_to_draft_takes_the_product_off_sale(admin: CatalogAdmin, browse: Browse) -> None:
    product_id = on_sale(admin)
    admin.update_product(product_id, ProductChanges(status=ProductStatus.DRAFT))
    assert product_id not in listed(browse)
    assert not found(browse, "cagoule", "fr")


@pytest.mark.parametrize(
    "changes",
    [
        ProductChanges(rank=-1),
        ProductChanges(rank=10**8),
        ProductChanges(images=("http://images.example.com/1.jpg",)),
        ProductChanges(images=("https://images.example.com/a b.jpg",)),
        ProductChanges(slug="Not A Slug"),
        ProductChanges(status=ProductStatus.ARCHIVED),
    ],
)
def test_invalid_changes_are_refused(admin: CatalogAdmin, changes: ProductChanges) -> None:
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(ValidationFailed) as error:
        admin.update_product(product_id, changes)
    assert error.value.status == 400


# SKUs and slugs belong to one product


def test_a_sku_another_product_owns_is_a_conflict(admin: CatalogAdmin, catalog: InMemoryCatalog) -> None:
    with pytest.raises(Conflict, match="OLD-1"):
        admin.create_product(balaclava(variants=(VariantSpec("OLD-1", prices={"EUR": 100}),)))
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(Conflict, match="OLD-1") as error:
        admin.put_variant(product_id, VariantSpec("OLD-1", prices={"EUR": 100}))
    assert error.value.status == 409
    assert catalog.get_skus(["OLD-1"])["OLD-1"].product_id == "OLD"
    assert [v.sku for v in admin.product(product_id).variants] == ["HAT-EDW-GRY"]


def test_a_slug_another_product_uses_is_a_conflict(admin: CatalogAdmin) -> None:
    with pytest.raises(Conflict, match="slug"):
        admin.create_product(balaclava(slug="old", variants=()))
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(Conflict, match="slug") as error:
        admin.update_product(product_id, ProductChanges(slug="old"))
    assert error.value.status == 409


def test_a_slug_given_up_by_a_rename_is_free_again(admin: CatalogAdmin) -> None:
    first = admin.create_product(balaclava()).id
    admin.update_product(first, ProductChanges(slug="edelweiss-balaclava-2025"))
    second = admin.create_product(balaclava(variants=()))
    assert second.id != first and second.slug == "edelweiss-balaclava"


def test_a_sku_must_look_like_one(admin: CatalogAdmin) -> None:
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(ValidationFailed):
        admin.put_variant(product_id, VariantSpec("hat edw", prices={"EUR": 100}))


# variants and prices


def test_adding_a_variant_offers_it_and_replacing_it_keeps_its_prices(
    admin: CatalogAdmin, browse: Browse
) -> None:
    product_id = on_sale(admin)
    saved = admin.put_variant(product_id, VariantSpec("HAT-EDW-RED", {"colour": "red"}, {"EUR": 3690}))
    assert saved.created
    page = browse.get_product(product_id, "EUR", "en")
    assert [(v.sku, v.price.amount) for v in page.variants] == [("HAT-EDW-GRY", 3490), ("HAT-EDW-RED", 3690)]

    replaced = admin.put_variant(
        product_id, VariantSpec("HAT-EDW-RED", {"colour": "crimson"}, low_stock_threshold=2)
    )
    assert not replaced.created
    red = replaced.product.variant("HAT-EDW-RED")
    assert red is not None and red.attributes == {"colour": "crimson"} and red.prices["EUR"].amount == 3690


def test_deleting_a_variant_frees_its_sku_for_another_product(admin: CatalogAdmin, browse: Browse) -> None:
    product_id = on_sale(admin)
    admin.put_variant(product_id, VariantSpec("HAT-EDW-RED", prices={"EUR": 3690}))
    admin.delete_variant(product_id, "HAT-EDW-GRY")
    assert [v.sku for v in browse.get_product(product_id, "EUR", "en").variants] == ["HAT-EDW-RED"]
    other = admin.create_product(balaclava(slug="grey-balaclava"))
    assert other.variant("HAT-EDW-GRY") is not None
    with pytest.raises(NotFound):
        admin.delete_variant(product_id, "HAT-EDW-GRY")


def test_a_variant_with_units_in_stock_is_not_deleted(admin: CatalogAdmin) -> None:
    product_id = on_sale(admin)
    admin.put_variant(product_id, VariantSpec("HAT-EDW-RED", prices={"EUR": 3690}))
    admin.receive_stock("HAT-EDW-GRY", "wh-paris", 3)
    with pytest.raises(InvalidState, match="stock"):
        admin.delete_variant(product_id, "HAT-EDW-GRY")


def test_the_last_priced_variant_of_a_product_on_sale_is_not_deleted(admin: CatalogAdmin) -> None:
    product_id = on_sale(admin)
    with pytest.raises(InvalidState):
        admin.delete_variant(product_id, "HAT-EDW-GRY")


def test_a_price_in_a_new_currency_offers_the_variant_in_it(admin: CatalogAdmin, browse: Browse) -> None:
    product_id = on_sale(admin)
    assert product_id not in listed(browse, currency="JPY")
    saved = admin.set_price(product_id, "HAT-EDW-GRY", "JPY", 5400)
    assert saved.created
    assert product_id in listed(browse, currency="JPY")
    assert browse.get_product(product_id, "JPY", "en").variants[0].price.amount == 5400
    assert not admin.set_price(product_id, "HAT-EDW-GRY", "JPY", 5200).created


@pytest.mark.parametrize(
    ("currency", "amount", "error"),
    [
        ("EUR", -1, ValidationFailed),
        ("EUR", 12.5, ValidationFailed),
        ("EUR", 12.0, ValidationFailed),
        ("EUR", "1250", ValidationFailed),
        ("EUR", True, ValidationFailed),
        ("EUR", MAX_PRICE_MINOR_UNITS + 1, ValidationFailed),
        ("GBP", 1250, UnsupportedCurrency),
        ("eur", 1250, UnknownCurrency),
        ("XXX", 1250, UnknownCurrency),
    ],
)
def test_a_price_is_a_non_negative_whole_number_of_minor_units_in_a_currency_the_shop_sells(
    admin: CatalogAdmin, currency: str, amount: Any, error: type[Exception]
) -> None:
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(error) as raised:
        admin.set_price(product_id, "HAT-EDW-GRY", currency, amount)
    assert getattr(raised.value, "status", None) == 400
    with pytest.raises(error):
        admin.put_variant(product_id, VariantSpec("HAT-EDW-RED", prices={currency: amount}))
    assert admin.product(product_id).variant("HAT-EDW-GRY").prices["EUR"].amount == 3490  # type: ignore[union-attr]


def test_zero_and_the_largest_price_are_accepted(admin: CatalogAdmin) -> None:
    product_id = admin.create_product(balaclava()).id
    admin.set_price(product_id, "HAT-EDW-GRY", "EUR", 0)
    admin.set_price(product_id, "HAT-EDW-GRY", "USD", MAX_PRICE_MINOR_UNITS)


def test_without_configured_currencies_no_price_can_be_set(
    catalog: InMemoryCatalog, stock: InMemoryStock
) -> None:
    loader = CatalogAdmin(catalog, stock)
    with pytest.raises(UnsupportedCurrency):
        loader.create_product(balaclava())


def test_a_price_for_an_unknown_sku_is_not_found(admin: CatalogAdmin) -> None:
    product_id = admin.create_product(balaclava()).id
    with pytest.raises(NotFound):
        admin.set_price(product_id, "HAT-EDW-BLU", "EUR", 100)
    with pytest.raises(NotFound):
        admin.set_price("prd-none", "HAT-EDW-GRY", "EUR", 100)


# translations


def test_a_translation_is_kept_under_its_normalised_locale(admin: CatalogAdmin, browse: Browse) -> None:
    product_id = on_sale(admin)
    saved = admin.put_translation(product_id, "fr_ca", "  Tuque edelweiss ", "Pour les remontées.")
    assert saved.created
    assert set(saved.product.texts) == {"en", "fr", "fr-CA"}
    assert saved.product.texts["fr-CA"] == Text("Tuque edelweiss", "Pour les remontées.")
    assert browse.get_product(product_id, "EUR", "fr-CA").name == "Tuque edelweiss"
    assert not admin.put_translation(product_id, "FR-ca", "Tuque edelweiss").created
    with pytest.raises(ValidationFailed):
        admin.put_translation(product_id, "not a locale", "Nom")
    with pytest.raises(ValidationFailed):
        admin.put_translation(product_id, "de", "   ")


def test_creating_with_two_spellings_of_one_locale_is_refused(admin: CatalogAdmin) -> None:
    texts = {"fr-CA": Text("Tuque"), "fr_ca": Text("Tuque encore")}
    with pytest.raises(ValidationFailed):
        admin.create_product(balaclava(texts=texts))


def test_renaming_moves_the_product_from_its_old_words_to_its_new_ones_in_both_languages(
    admin: CatalogAdmin, browse: Browse
) -> None:
    product_id = on_sale(admin)
    admin.put_translation(product_id, "fr", "Cagoule glacier", "Tricotée en mérinos.")
    admin.put_translation(product_id, "en", "Aurora balaclava", "Knitted merino.")
    assert found(browse, "glacier", "fr") == {product_id}
    assert found(browse, "aurora", "en") == {product_id}
    assert found(browse, "edelweiss", "fr") == set()
    assert found(browse, "edelweiss", "en") == set()
    assert browse.get_product(product_id, "EUR", "fr").name == "Cagoule glacier"


def test_deleting_a_translation_takes_its_words_out_of_search(admin: CatalogAdmin, browse: Browse) -> None:
    product_id = on_sale(admin)
    admin.delete_translation(product_id, "FR")
    assert set(admin.product(product_id).texts) == {"en"}
    assert found(browse, "cagoule", "fr") == set()
    assert found(browse, "balaclava", "en") == {product_id}
    assert browse.get_product(product_id, "EUR", "fr").name == "Edelweiss balaclava"  # falls back to English
    with pytest.raises(NotFound):
        admin.delete_translation(product_id, "fr")


def test_the_last_translation_cannot_be_deleted(admin: CatalogAdmin) -> None:
    product_id = admin.create_product(balaclava(texts={"en": Text("Edelweiss balaclava")})).id
    with pytest.raises(InvalidState) as error:
        admin.delete_translation(product_id, "en")
    assert error.value.status == 409
    assert set(admin.product(product_id).texts) == {"en"}


# archiving


def test_an_archived_product_is_never_shown_and_no_longer_changes(
    admin: CatalogAdmin, browse: Browse
) -> None:
    product_id = on_sale(admin)
    archived = admin.archive_product(product_id)
    assert archived.status is ProductStatus.ARCHIVED
    assert product_id not in listed(browse) and product_id not in listed(browse, category="hats")
    assert found(browse, "edelweiss", "en") == set()
    assert found(browse, "cagoule", "fr") == set()
    with pytest.raises(NotFound):
        browse.get_product(product_id, "EUR", "en")
    for change in (
        lambda: admin.update_product(product_id, ACTIVE),
        lambda: admin.set_price(product_id, "HAT-EDW-GRY", "EUR", 100),
        lambda: admin.put_translation(product_id, "de", "Sturmhaube"),
        lambda: admin.put_variant(product_id, VariantSpec("HAT-EDW-RED")),
    ):
        with pytest.raises(InvalidState):
            change()
    assert found(browse, "sturmhaube", "de") == set()
    assert admin.archive_product(product_id) == archived, "archiving twice changes nothing"
    assert admin.product(product_id).status is ProductStatus.ARCHIVED, "staff still see it"


def test_an_archived_product_keeps_its_slug_and_skus(admin: CatalogAdmin) -> None:
    admin.archive_product(on_sale(admin))
    with pytest.raises(Conflict):
        admin.create_product(balaclava(variants=()))
    with pytest.raises(Conflict):
        admin.create_product(balaclava(slug="another-balaclava"))


def test_an_unknown_product_is_not_found(admin: CatalogAdmin) -> None:
    for action in (
        lambda: admin.product("prd-none"),
        lambda: admin.archive_product("prd-none"),
        lambda: admin.update_product("prd-none", ACTIVE),
        lambda: admin.put_translation("prd-none", "en", "Name"),
    ):
        with pytest.raises(NotFound):
            action()


# categories


def test_a_category_is_created_with_names_per_locale_and_named_in_listings(
    admin: CatalogAdmin, browse: Browse
) -> None:
    created = admin.create_category("gloves", {"en": "Gloves", "fr_FR": "Gants"}, parent="hats", rank=70)
    assert created.names == {"en": "Gloves", "fr-FR": "Gants"}
    assert ("gloves", "Gants", "hats") in {
        (c.slug, c.name, c.parent) for c in browse.list_categories("fr-FR")
    }
    assert admin.create_product(balaclava(category="gloves")).category == "gloves"


def test_staff_list_categories_with_every_locales_name_and_their_rank(admin: CatalogAdmin) -> None:
    admin.create_category("gloves", {"en": "Gloves", "fr": "Gants"}, parent="hats", rank=70)

    listed = {c.slug: c for c in admin.categories()}

    assert set(listed) == {"hats", "shoes", "gloves"}
    assert (listed["gloves"].names, listed["gloves"].parent, listed["gloves"].rank) == (
        {"en": "Gloves", "fr": "Gants"},
        "hats",
        70,
    )


def test_creating_an_existing_category_is_a_conflict(admin: CatalogAdmin, catalog: InMemoryCatalog) -> None:
    with pytest.raises(Conflict) as error:
        admin.create_category("hats", {"en": "Caps"})
    assert error.value.status == 409
    assert catalog.categories["hats"].names["en"] == "Hats"


@pytest.mark.parametrize(
    ("slug", "names", "parent"),
    [
        ("Gloves", {"en": "Gloves"}, None),
        ("gloves", {}, None),
        ("gloves", {"en": " "}, None),
        ("gloves", {"en": "Gloves"}, "mittens"),
        ("gloves", {"not a tag": "Gloves"}, None),
    ],
)
def test_an_invalid_category_is_refused(
    admin: CatalogAdmin, slug: str, names: dict[str, str], parent: str | None
) -> None:
    with pytest.raises(ValidationFailed):
        admin.create_category(slug, names, parent=parent)


def test_renaming_a_category_replaces_its_names_and_keeps_its_slug_and_rank(
    admin: CatalogAdmin, browse: Browse, catalog: InMemoryCatalog
) -> None:
    rank = catalog.categories["hats"].rank
    renamed = admin.rename_category("hats", {"en": "Headwear", "fr": "Couvre-chefs"})
    assert (renamed.slug, renamed.rank) == ("hats", rank)
    assert {c.slug: c.name for c in browse.list_categories("fr")}["hats"] == "Couvre-chefs"
    assert admin.rename_category("hats", {"en": "Hats"}, rank=5).names == {"en": "Hats"}
    assert catalog.categories["hats"].rank == 5
    with pytest.raises(NotFound):
        admin.rename_category("gloves", {"en": "Gloves"})
