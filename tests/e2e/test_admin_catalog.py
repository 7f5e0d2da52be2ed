"""Staff and admins run the catalog over HTTP with minted tokens; what they publish is browsed and found in
each language. A stack of its own, without the demo catalog: the storefront tests count the demo products."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from local.stack import LocalStack

from .conftest import Api, Tokens, local_stack, unique_email

CATEGORY = "lanterns"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with local_stack(tmp_path_factory, seed=False) as running:
        yield running


@pytest.fixture(scope="module")
def api(stack: LocalStack) -> Api:
    return Api(stack.api_url)


@pytest.fixture(scope="module")
def tokens(stack: LocalStack) -> Tokens:
    return Tokens(stack.issuer_url)


@pytest.fixture(scope="module")
def category(api: Api, tokens: Tokens) -> str:
    names = {"en": "Lanterns", "fr": "Lanternes"}
    created = api.post(
        "/admin/categories", json={"slug": CATEGORY, "names": names}, headers=tokens.headers("admin")
    )
    assert created.status_code == 201, created.text
    return CATEGORY


def _product(english: str, french: str, sku: str, **extra: Any) -> dict[str, Any]:
    return {
        "slug": f"{english.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}",
        "category": CATEGORY,
        "translations": {
            "en": {"name": f"{english} lantern", "description": "A storm lantern in brass."},
            "fr": {"name": f"Lanterne {french}", "description": "Une lanterne tempête en laiton."},
        },
        "variants": [
            {"sku": sku, "attributes": {"finish": "brass"}, "prices": [{"amount": 4990, "currency": "EUR"}]}
        ],
        **extra,
    }


def _listed(api: Api, **params: str) -> list[str]:
    response = api.get("/products", params={"limit": "100", **params})
    assert response.status_code == 200, response.text
    return [str(p["id"]) for p in response.json()["items"]]


def _publish(api: Api, headers: dict[str, str], body: dict[str, Any]) -> str:
    """Create the product (a draft unless the API makes it active), then activate it."""
    created = api.post("/admin/products", json=body, headers=headers)
    assert created.status_code == 201, created.text
    product = created.json()
    assert product["translations"]["fr"]["name"] == body["translations"]["fr"]["name"]
    assert product["variants"][0]["prices"] == [{"amount": 4990, "currency": "EUR"}]
    if product["status"] != "active":
        assert api.get(f"/products/{product['id']}").status_code == 404, "a draft is not on sale"
        activated = api.request(
            "PATCH", f"/admin/products/{product['id']}", json={"status": "active"}, headers=headers
        )
        assert activated.status_code == 200, activated.text
        assert activated.json()["status"] == "active"
    return str(product["id"])


def test_an_admin_publishes_a_product_found_in_english_and_in_french(
    api: Api, tokens: Tokens, category: str
) -> None:
    admin = tokens.headers("admin")

    product_id = _publish(api, admin, _product("Quixotic", "chimérique", "LAN-QUIX-BRS"))

    assert product_id in _listed(api)
    assert product_id in _listed(api, category=category)
    assert product_id in _listed(api, q="quixotic", locale="en")
    assert product_id in _listed(api, q="chimérique", locale="fr")
    shown = api.get(f"/products/{product_id}", params={"locale": "fr", "currency": "EUR"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["name"] == "Lanterne chimérique"
    assert shown.json()["variants"][0]["price"] == {"amount": 4990, "currency": "EUR"}


def test_staff_can_publish_too(api: Api, tokens: Tokens, category: str) -> None:
    staff = tokens.headers("staff", unique_email("staff"))

    product_id = _publish(api, staff, _product("Zephyrine", "zéphyrine", "LAN-ZEPH-BRS"))

    assert product_id in _listed(api, q="zephyrine", locale="en")
    assert product_id in _listed(api, q="zéphyrine", locale="fr")


def test_a_customer_is_refused_and_nothing_is_created(api: Api, tokens: Tokens, category: str) -> None:
    customer = tokens.headers("customer", unique_email("shopper"))
    body = _product("Forbidden", "interdite", "LAN-FORB-BRS", id=f"prd-refused-{uuid.uuid4().hex[:8]}")

    refused = api.post("/admin/products", json=body, headers=customer)
    anonymous = api.post("/admin/products", json=body)

    assert refused.status_code == 403, refused.text
    assert anonymous.status_code == 401
    assert api.get(f"/admin/products/{body['id']}", headers=tokens.headers("admin")).status_code == 404
    assert _listed(api, q="forbidden", locale="en") == []
