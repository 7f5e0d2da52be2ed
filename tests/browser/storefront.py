"""What a shopper does in the storefront, as steps the browser tests share."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from local.stack import LocalStack

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "storefront"
AXE = Path(__file__).resolve().parents[2] / "web" / "storefront" / "node_modules" / "axe-core" / "axe.min.js"
# Debian's Chromium (`make browser`): Playwright drives it; no browser is downloaded.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAID_OR_LATER = ("paid", "fulfilling", "partially_shipped", "shipped", "delivered")
VISA = "4242424242424242"
DECLINED = "4000000000000341"
THREE_D_SECURE = "4000002500003155"
SHIPPING = {
    "shipping_address.recipient_name": "Ada Lovelace",
    "shipping_address.line1": "12 rue de Rivoli",
    "shipping_address.city": "Paris",
    "shipping_address.postal_code": "75001",
}


def stack_with_storefront(endpoints_file: Path) -> LocalStack:
    """A local stack on free ports serving the built storefront and console, to use as a context manager."""
    return LocalStack(
        api_port=0,
        aws_port=0,
        issuer_port=0,
        stripe_port=0,
        storefront_port=0,
        console_port=0,
        seed=True,
        endpoints_file=endpoints_file,
    )


def screenshot(page: Page, name: str, directory: Path = SCREENSHOTS) -> None:
    """Each main page as a reviewer sees it, kept with the test results."""
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def accessible(page: Page, name: str, directory: Path = SCREENSHOTS) -> None:
    """axe-core finds no serious or critical violation on the page; the page is saved as a screenshot."""
    expect(page.locator(".loading")).to_have_count(0)
    screenshot(page, name, directory)
    # Served from the page's own origin: the storefront's Content-Security-Policy admits nothing inline.
    page.route("**/__axe.min.js", lambda route: route.fulfill(path=str(AXE)))
    page.add_script_tag(url="/__axe.min.js")
    results = page.evaluate("async () => await axe.run(document)")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: " + json.dumps(serious, indent=1)


def add_to_cart_from_home(page: Page, category: str, product: str, check: bool = False) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if check:
        accessible(page, "home")
    page.get_by_role("link", name=category, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=category)).to_be_visible()
    if check:
        accessible(page, "category")
    page.get_by_role("link", name=product).first.click()
    expect(page.get_by_role("heading", level=1, name=product)).to_be_visible()
    if check:
        accessible(page, "product")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status").or_(page.locator(".alert.info"))).to_contain_text("in your cart")


def go_to_checkout(page: Page, check: bool = False) -> None:
    page.get_by_role("link", name="Cart (").click()
    expect(page.get_by_role("heading", level=1, name="Cart")).to_be_visible()
    expect(page.locator("table.totals")).to_be_visible()
    if check:
        accessible(page, "cart")
    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_role("heading", level=1, name="Checkout")).to_be_visible()


def fill_details(page: Page, email: str | None, **fields: str) -> None:
    if email is not None:
        page.get_by_label("Email", exact=True).fill(email)
    for name, value in {**SHIPPING, **fields}.items():
        page.locator(f'[name="{name}"]').fill(value)


def place_order(page: Page, check: bool = False) -> str:
    """Continue to payment; the order's id once the payment step shows it."""
    if check:
        accessible(page, "checkout")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", level=1, name="Payment")).to_be_visible()
    expect(page.get_by_label("Card number")).to_be_visible()
    return page.locator("main p").first.inner_text().removeprefix("Order ").strip()


def at_payment(page: Page, category: str, product: str, email: str) -> str:
    """A guest's order for one product, placed and waiting at the payment step; its id."""
    add_to_cart_from_home(page, category, product)
    go_to_checkout(page)
    fill_details(page, email)
    return place_order(page)


def enter_card(page: Page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry month (MM)").fill("12")
    page.get_by_label("Expiry year (YY)").fill("35")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Postal code").fill("75001")


def pay(page: Page, number: str) -> None:
    enter_card(page, number)
    page.get_by_role("button", name="Pay now").click()


def sees_order_paid(page: Page, order_id: str) -> None:
    expect(page.get_by_role("heading", level=1, name=f"Order {order_id}")).to_be_visible()
    page.wait_for_function(
        "statuses => statuses.includes(document.querySelector('[data-status]')?.dataset.status)",
        arg=list(PAID_OR_LATER),
        timeout=60_000,
    )
