"""The catalog adapter's guards, against the moto table built from template.yaml."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commerce import bootstrap
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.config import Settings
from commerce.domain.catalog import Product, Text
from commerce.domain.errors import Conflict
from tests.unit.catalog_builders import product, variant

from .conftest import Stack


@pytest.fixture
def catalog(stack: Stack) -> DynamoCatalog:
    return DynamoCatalog(bootstrap.dynamodb_client(), Settings.from_env().table_name)


def named(base: Product, name: str) -> Product:
    return replace(base, texts={"en": Text(name, "")})


def test_a_save_computed_from_a_stale_read_is_refused_and_the_index_keeps_the_winners_words(
    catalog: DynamoCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = product("prd-race", category="hats", en="Race cap", fr=None, variants=(variant("RACE-CAP-1"),))
    catalog.save_product(base)
    read_by_the_loser = catalog._raw_product(base.id)
    catalog.save_product(named(base, "Sprint cap"))

    monkeypatch.setattr(catalog, "_raw_product", lambda _: read_by_the_loser)
    with pytest.raises(Conflict, match="changed by someone else"):
        catalog.save_product(named(base, "Marathon cap"))
    monkeypatch.undo()

    assert catalog.search("en", "sprint") == {base.id}
    assert catalog.search("en", "marathon") == set()
    assert catalog.search("en", "race") == set()
    stored = catalog.get_product(base.id)
    assert stored is not None and stored.texts["en"].name == "Sprint cap"


def test_two_creations_of_one_product_id_do_not_both_succeed(
    catalog: DynamoCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = product("prd-twin", category="hats", en="Twin cap", variants=(variant("TWIN-CAP-1"),))
    catalog.save_product(first)
    monkeypatch.setattr(catalog, "_raw_product", lambda _: None)  # the second creator read nothing
    with pytest.raises(Conflict):
        catalog.save_product(replace(first, slug="twin-cap-2", variants=(variant("TWIN-CAP-2"),)))


def test_a_slug_is_held_by_one_product_and_released_by_a_rename(catalog: DynamoCatalog) -> None:
    holder = product("prd-slug-a", category="hats", en="Slug cap", variants=(variant("SLUG-CAP-A"),))
    catalog.save_product(holder)
    other = replace(holder, id="prd-slug-b", variants=(variant("SLUG-CAP-B"),))
    with pytest.raises(Conflict, match="slug prd-slug-a is used by another product"):
        catalog.save_product(other)
    assert catalog.get_product(other.id) is None
    assert catalog.get_skus(["SLUG-CAP-B"]) == {}, "the refused write claimed nothing"

    catalog.save_product(replace(holder, slug="renamed-slug-cap"))
    catalog.save_product(other)
    stored = catalog.get_product(other.id)
    assert stored is not None and stored.slug == "prd-slug-a"


def test_a_refusal_names_the_sku_another_product_owns(catalog: DynamoCatalog) -> None:
    catalog.save_product(
        product("prd-own-a", category="hats", variants=(variant("OWN-A-1"), variant("OWN-A-2")))
    )
    thief = product(
        "prd-own-b", category="hats", variants=(variant("OWN-A-1"), variant("OWN-B-1"), variant("OWN-A-2"))
    )
    with pytest.raises(Conflict) as error:
        catalog.save_product(thief)
    assert "SKU OWN-A-1 belongs to another product" in error.value.detail
    assert "OWN-B-1" not in error.value.detail
