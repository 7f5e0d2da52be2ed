"""What a member of the staff does in the console, as steps the browser tests share."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from local.stack import LocalStack

from . import storefront

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "console"


def signed_in(browser: Browser, stack: LocalStack, role: str = "admin", email: str = "") -> Page:
    """A fresh browser at the console, signed in through the issuer's sign-in page with this role."""
    context = browser.new_context(
        base_url=stack.console_url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(stack.console_url)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Role").select_option(role)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{stack.console_url}#/**")
    return page


def choose(page: Page, field: Locator, option: str) -> None:
    """A react-admin select: open it, pick the option by its visible name."""
    field.click()
    page.get_by_role("option", name=option).click()


def open_section(page: Page, label: str) -> None:
    """Through the menu, as a person does."""
    page.get_by_role("menuitem", name=label).click()
    settled(page)


def settled(page: Page) -> None:
    """Nothing is loading any more: react-admin shows a progress bar while any query runs."""
    expect(page.get_by_role("progressbar")).to_have_count(0)


def accessible(page: Page, name: str) -> None:
    """axe-core finds no serious or critical violation; the page lands in test-results/console/."""
    settled(page)
    # From the top, nothing focused: the app bar shows and the skip link hides, as a person first sees it.
    page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
    storefront.accessible(page, name, SCREENSHOTS)
