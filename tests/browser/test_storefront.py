"""A shopper in a real browser: browse, cart, checkout, Stripe.js, the order page, the account."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from local.stack import LocalStack

from .storefront import (
    DECLINED,
    THREE_D_SECURE,
    VISA,
    accessible,
    add_to_cart_from_home,
    at_payment,
    enter_card,
    fill_details,
    go_to_checkout,
    pay,
    place_order,
    screenshot,
    sees_order_paid,
)

pytestmark = pytest.mark.e2e


def test_a_guest_buys_a_tee_from_the_home_page_and_the_order_page_shows_it_paid(page: Page) -> None:
    add_to_cart_from_home(page, "T-shirts", "Organic cotton tee", check=True)
    go_to_checkout(page, check=True)
    fill_details(page, "guest.buyer@example.com")
    order_id = place_order(page, check=True)
    accessible(page, "payment")

    pay(page, VISA)

    sees_order_paid(page, order_id)
    assert "token=" in page.url  # the guest's link to the order
    accessible(page, "order")
    page.reload()  # the link alone opens the order again
    expect(page.get_by_role("heading", level=1, name=f"Order {order_id}")).to_be_visible()


def test_a_declined_card_says_so_and_a_second_card_pays_the_same_order(page: Page) -> None:
    order_id = at_payment(page, "Sweaters", "Merino crew-neck sweater", "declined.buyer@example.com")

    pay(page, DECLINED)

    expect(page.get_by_role("alert")).to_contain_text("Your card was declined")
    screenshot(page, "payment-declined")
    assert page.url.endswith("/checkout")
    pay(page, VISA)
    sees_order_paid(page, order_id)


def test_a_guest_pays_with_a_card_that_needs_3d_secure_through_the_confirmation_dialog(page: Page) -> None:
    order_id = at_payment(page, "Hats", "Merino beanie", "secure.buyer@example.com")
    enter_card(page, THREE_D_SECURE)

    page.get_by_role("button", name="Pay now").click()

    dialog = page.get_by_role("button", name="Complete authentication")
    expect(dialog).to_be_visible()
    screenshot(page, "3d-secure-dialog")
    dialog.click()
    sees_order_paid(page, order_id)


def test_bad_checkout_input_shows_the_apis_messages_next_to_the_fields_and_orders_nothing(
    page: Page, stack: LocalStack
) -> None:
    add_to_cart_from_home(page, "T-shirts", "Breton striped top")
    go_to_checkout(page)
    fill_details(page, "careless.buyer@example.com", **{"shipping_address.postal_code": "12"})

    page.get_by_role("button", name="Continue to payment").click()

    postal = page.locator("#field-shipping_address-postal_code-error")
    expect(postal).to_contain_text("not a valid postal code for FR (for example 75001)")
    expect(page.locator("#field-shipping_address-postal_code")).to_have_attribute("aria-invalid", "true")
    accessible(page, "checkout-errors")
    fill_details(page, "careless.buyer@example.com", **{"shipping_address.recipient_name": ""})
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.locator("#field-shipping_address-recipient_name-error")).to_contain_text(
        "at least 1 character"
    )
    expect(postal).to_have_count(0)
    # Nothing was ordered: no payment step, and the cart is still open with its line.
    expect(page.get_by_role("heading", level=1, name="Checkout")).to_be_visible()
    saved = page.evaluate("JSON.parse(localStorage.getItem('storefront.cart'))")
    cart = requests.get(
        f"{stack.api_url}/carts/{saved['id']}", headers={"X-Cart-Token": saved["token"]}, timeout=10
    )
    assert cart.status_code == 200 and [line["quantity"] for line in cart.json()["lines"]] == [1]


def test_a_customer_signs_in_keeps_the_guest_cart_buys_sees_the_order_and_cancels_it(page: Page) -> None:
    add_to_cart_from_home(page, "Bags", "Canvas tote bag")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Email")).to_be_visible()
    screenshot(page, "sign-in")
    page.get_by_label("Email").fill("claire.customer@example.com")
    page.get_by_label("Role").select_option("customer")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Canvas tote bag")).to_be_visible()  # back where it was
    expect(page.get_by_role("link", name="Cart (1)")).to_be_visible()  # the guest cart, claimed
    go_to_checkout(page)
    expect(page.get_by_label("Email", exact=True)).to_have_value("claire.customer@example.com")
    fill_details(page, None)
    order_id = place_order(page)
    pay(page, VISA)
    sees_order_paid(page, order_id)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("link", name=f"Order {order_id}")).to_be_visible()
    accessible(page, "account")
    page.get_by_role("link", name=f"Order {order_id}").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel the order").click()

    expect(page.locator("[data-status]")).to_have_attribute("data-status", re.compile("cancell"))
    expect(page.locator(".alert.info")).to_contain_text("Your order is cancelled")
    screenshot(page, "order-cancelled")


@pytest.mark.locale("fr-FR")
def test_french_pages_show_french_names_euro_and_yen_formats_and_the_tax_included(page: Page) -> None:
    page.goto("/c/t-shirts")

    expect(page.get_by_role("heading", level=1, name="T-shirts")).to_be_visible()
    expect(page.get_by_role("link", name="T-shirt en coton bio")).to_be_visible()
    expect(page.locator(".tax-note").first).to_have_text("TVA incluse")
    page.get_by_role("link", name="T-shirt en coton bio").click()
    expect(page.locator(".product-price .price")).to_have_text(re.compile(r"^29,90\s€$"))
    accessible(page, "product-fr-eur")
    page.get_by_label("Livrer en").select_option("JP")

    expect(page.locator(".product-price .price")).to_have_text(re.compile(r"^4\s780\sJPY$"))
    expect(page.locator(".product-price .tax-note")).to_have_text("Taxes comprises")
    expect(page.get_by_label("Devise")).to_have_value("JPY")
    expect(page.get_by_role("button", name="Ajouter au panier")).to_be_visible()
    accessible(page, "product-fr-jpy")
    page.get_by_label("Livrer en").select_option("US")
    expect(page.locator(".product-price .tax-note")).to_have_text("Taxes ajoutées au paiement")
