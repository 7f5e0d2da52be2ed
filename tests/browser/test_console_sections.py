"""Customers, Promotions, Reports and Integrations in the console: each usable, axe-clean, photographed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from local.stack import LocalStack

from .console import accessible, open_section, settled, signed_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def console(browser: Browser, stack: LocalStack) -> Iterator[Page]:
    page = signed_in(browser, stack, "admin")
    yield page
    page.context.close()


def a_customer(stack: LocalStack) -> dict[str, str]:
    """A customer who has signed in once (their profile made by `GET /me`): their id and email."""
    email = f"regular.{uuid.uuid4().hex[:8]}@example.com"
    token = requests.post(f"{stack.issuer_url}/token", json={"role": "customer", "email": email}, timeout=10)
    headers = {"Authorization": f"Bearer {token.json()['id_token']}"}
    return dict(requests.get(f"{stack.api_url}/me", headers=headers, timeout=30).json())


def test_staff_find_a_customer_by_email_and_open_their_page(console: Page, stack: LocalStack) -> None:
    me = a_customer(stack)
    open_section(console, "Customers")

    console.get_by_label("Email or name").fill(me["email"].upper())
    console.get_by_role("row").filter(has_text=me["email"]).click()

    expect(console.get_by_role("heading", level=1, name=me["email"])).to_be_visible()


def test_staff_open_a_customers_whole_picture_and_add_a_note(console: Page, stack: LocalStack) -> None:
    me = a_customer(stack)
    email = me["email"]
    open_section(console, "Customers")
    accessible(console, "customers")

    console.goto(f"{stack.console_url}#/customers/{me['customer_id']}/show")
    expect(console.get_by_role("heading", level=1, name=email)).to_be_visible()
    console.get_by_label("New note").fill("Prefers parcels left with the concierge")
    console.get_by_role("button", name="Add note").click()

    expect(console.get_by_role("table", name="Notes by staff")).to_contain_text("concierge")
    accessible(console, "customer")


def test_staff_create_a_promotion_and_a_refused_field_is_named(console: Page) -> None:
    code = f"SPRING{uuid.uuid4().hex[:6].upper()}"
    open_section(console, "Promotions")
    console.get_by_role("link", name="New promotion").click()
    console.get_by_label("Description shown to shoppers").fill("Ten percent for spring")

    console.get_by_label("Code shoppers type").fill("X")
    console.get_by_role("button", name="Save").click()
    expect(console.get_by_text("String should have at least 3 characters")).to_be_visible()
    accessible(console, "promotion-create")
    console.get_by_label("Code shoppers type").fill(code)
    console.get_by_role("button", name="Save").click()

    row = console.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("10 % off")
    row.get_by_role("button", name=f"Pause {code}").click()
    expect(row).to_contain_text("paused")
    accessible(console, "promotions")


def test_staff_read_the_reports_in_a_currency_of_their_choice(console: Page) -> None:
    open_section(console, "Reports")
    console.get_by_role("combobox", name="Reporting currency").click()
    console.get_by_role("option", name="USD").click()
    settled(console)

    expect(console.get_by_role("figure", name="Revenue per day, in USD")).to_be_visible()
    expect(console.get_by_role("figure", name="Shoppers at each step")).to_be_visible()
    expect(console.get_by_role("figure", name="Units on hand per location")).to_be_visible()
    accessible(console, "reports")


def test_an_admin_issues_an_erp_key_and_is_told_it_is_shown_once(console: Page) -> None:
    open_section(console, "Integrations")
    console.get_by_label("Key name").fill("warehouse ERP")
    console.get_by_role("button", name="Issue ERP key").click()

    expect(console.get_by_text("ERP key: you will not see this again. Copy it now.")).to_be_visible()
    expect(console.locator("[data-secret]")).not_to_be_empty()
    expect(console.get_by_role("table", name="ERP keys")).to_contain_text("warehouse ERP")
    accessible(console, "integrations")
