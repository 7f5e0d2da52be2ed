"""The console's frame in a real browser: signing in through the hosted UI, and a menu of what one may do."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from local.stack import LocalStack

from .console import accessible, signed_in

pytestmark = pytest.mark.e2e

EVERY_SECTION = (
    "Today",
    "Orders",
    "Customers",
    "Catalog",
    "Inventory",
    "Promotions",
    "Reports",
    "Integrations",
)


def test_an_admin_signs_in_through_the_sign_in_page_and_sees_every_section(
    browser: Browser, stack: LocalStack
) -> None:
    page = signed_in(browser, stack, "admin")

    menu = page.get_by_role("menuitem")
    for label in EVERY_SECTION:
        expect(menu.filter(has_text=label)).to_have_count(1)
    assert "code=" not in page.url, "the code leaves the address bar once traded"
    page.context.close()


def test_a_customer_who_signs_in_is_told_the_console_is_for_staff(
    browser: Browser, stack: LocalStack
) -> None:
    page = signed_in(browser, stack, "customer")

    expect(page.get_by_role("heading", level=1, name="You are not staff")).to_be_visible()
    accessible(page, "not-staff")
    page.context.close()


def test_a_staff_member_sees_only_the_sections_the_staff_group_grants(
    browser: Browser, stack: LocalStack
) -> None:
    page = signed_in(browser, stack, "staff")

    menu = page.get_by_role("menuitem")
    for label in ("Today", "Orders", "Customers", "Catalog", "Inventory", "Reports"):
        expect(menu.filter(has_text=label)).to_have_count(1)
    for label in ("Promotions", "Integrations"):
        expect(menu.filter(has_text=label)).to_have_count(0)
    page.context.close()
