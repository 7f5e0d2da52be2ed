"""A customer's whole journey over HTTP, signed in with a token from the local issuer: profile, address
book, a guest cart claimed on sign-in, export, erasure. The functions' logs, captured as they are written,
must never hold the customer's personal data."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest

from .conftest import Api, Tokens, unique_email

SERVICE = "commerce"  # POWERTOOLS_SERVICE_NAME in template.yaml: the functions' logger

NAME = "Augusta Byron-King"
HOME = {
    "label": "Home",
    "recipient_name": NAME,
    "line1": "10 Downing Street",
    "line2": "Flat Zephyrine",
    "city": "London",
    "postal_code": "SW1A 2AA",
    "country": "GB",
    "phone": "+44 20 7946 0958",
    "default_shipping": True,
}
WORK = {
    "label": "Work",
    "recipient_name": "Charles Babbage-Journey",
    "line1": "Keizersgracht 123",
    "city": "Amsterdam",
    "postal_code": "1017 CT",
    "country": "NL",
    "phone": "+31 20 555 0199",
}


def _personal_data(email: str) -> list[str]:
    values = [email, NAME, WORK["recipient_name"]]
    for address in (HOME, WORK):
        values += [str(address[k]) for k in ("line1", "line2", "postal_code", "phone") if k in address]
    return values


class _Stdout:
    """Whatever sys.stdout is at the moment of writing."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def function_logs(capfd: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    """capfd, the functions' JSON logs included. Powertools binds its handler to the sys.stdout object of
    the moment a function is loaded (pytest's capture of that time, not file descriptor 1), so for this
    test the handler writes to the sys.stdout of the moment, which capfd reads."""
    handlers = [h for h in logging.getLogger(SERVICE).handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, f"no stream handler on the {SERVICE!r} logger: where do the functions log?"
    streams = [h.stream for h in handlers]
    for handler in handlers:
        handler.setStream(_Stdout())
    try:
        yield capfd
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)


def test_a_customer_signs_in_keeps_an_account_exports_it_and_erases_it_without_a_trace_in_the_logs(
    api: Api, tokens: Tokens, function_logs: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    email = unique_email("augusta")
    me = tokens.headers("customer", email)

    # Signed in: the profile is made from the token.
    profile = api.get("/me", headers=me)
    assert profile.status_code == 200, profile.text
    customer_id = profile.json()["customer_id"]
    assert profile.json()["email"] == email

    updated = api.put("/me", json={"name": NAME, "marketing_consent": True}, headers=me)
    assert updated.status_code == 200, updated.text
    assert updated.json()["name"] == NAME
    assert updated.json()["marketing_consent"]["granted"] is True

    # Two addresses, the first the default for shipping.
    home = api.post("/me/addresses", json=HOME, headers=me)
    work = api.post("/me/addresses", json=WORK, headers=me)
    assert home.status_code == work.status_code == 201, (home.text, work.text)
    assert home.json()["default_shipping"] is True and work.json()["default_shipping"] is False
    assert api.get("/me", headers=me).json()["default_shipping_address_id"] == home.json()["id"]

    # A cart filled as a guest, claimed on sign-in.
    guest = api.post("/carts", json={"currency": "EUR"})
    assert guest.status_code == 201, guest.text
    cart_id, cart_token = guest.json()["id"], {"X-Cart-Token": guest.json()["token"]}
    variants = api.get("/products/prd-0001", params={"currency": "EUR"}).json()["variants"]
    lines = {variants[0]["sku"]: 2, variants[1]["sku"]: 1}
    for sku, quantity in lines.items():
        added = api.put(f"/carts/{cart_id}/lines/{sku}", json={"quantity": quantity}, headers=cart_token)
        assert added.status_code == 200, added.text
    claimed = api.post(f"/carts/{cart_id}/claim", headers=me | cart_token)
    assert claimed.status_code == 200, claimed.text
    my_cart = api.get("/me/cart", headers=me)
    assert my_cart.status_code == 200, my_cart.text
    assert {line["sku"]: line["quantity"] for line in my_cart.json()["lines"]} == lines

    # The export holds the profile, both addresses and the cart.
    exported = api.get("/me/export", headers=me)
    assert exported.status_code == 200, exported.text
    export = exported.json()
    assert (export["profile"]["email"], export["profile"]["name"]) == (email, NAME)
    assert export["profile"]["marketing_consent"]["granted"] is True
    assert {a["line1"] for a in export["addresses"]} == {HOME["line1"], WORK["line1"]}
    assert export["cart"]["id"] == my_cart.json()["id"]
    assert {line["sku"]: line["quantity"] for line in export["cart"]["lines"]} == lines

    # Erased: nothing personal is left.
    erased = api.delete("/me", headers=me)
    assert erased.status_code == 204, erased.text
    after = api.get("/me/export", headers=me)
    assert after.status_code == 200, after.text
    left = after.json()
    assert left["addresses"] == [] and left["cart"] is None and left["orders"] == []
    assert left["profile"]["name"] is None
    assert left["profile"]["marketing_consent"]["granted"] is False
    assert left["profile"]["default_shipping_address_id"] is None
    # The sign-in account itself lives on in the user pool (docs/privacy.md): the next call starts a new,
    # empty profile from the token, so its email is the only thing the export may still show.
    text = after.text.replace(email, "")
    for value in _personal_data(email)[1:]:
        assert value not in text, value
    assert api.get("/me/addresses", headers=me).json()["items"] == []

    # The functions logged the journey (by customer id) and never a piece of personal data.
    captured = function_logs.readouterr()
    logs = captured.out + captured.err + caplog.text
    assert customer_id in logs, "the functions' logs were not captured: the check below would prove nothing"
    leaked = [value for value in _personal_data(email) if value in logs]
    assert leaked == [], f"personal data in the logs: {leaked}"
