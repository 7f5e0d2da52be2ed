"""The storefront in the browser: what each page ships (JavaScript and CSS, gzipped) and how long a shopper
waits, on a local stack of its own with Debian's Chromium driven by Playwright.

    .venv/bin/python bench/storefront.py [--runs 5]

Prints two tables: bytes per page (the storefront's own code, then Stripe.js apart), and the time to a usable
product list (navigation start to the first product card of a category) and to a placed order (home page to
the order page showing it paid, card 4242), median and worst of the runs. Goal: under 100 KB of own code.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "layers" / "shared")]

from playwright.sync_api import Browser, Page, Response, sync_playwright  # noqa: E402
from tests.browser.storefront import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VISA,
    at_payment,
    pay,
    sees_order_paid,
    stack_with_storefront,
)

from local.storefront import DIST  # noqa: E402

BUDGET_BYTES = 100 * 1024
PAGES = {"home": "/", "category": "/c/t-shirts", "product": "/p/prd-0001", "cart": "/cart"}


def shipped(browser: Browser, base: str, visit: Callable[[Page], object]) -> tuple[int, int]:
    """Gzipped bytes of the scripts and stylesheets a visit fetches: (the storefront's, everyone else's)."""
    context = browser.new_context(base_url=base)
    page = context.new_page()
    sizes = [0, 0]

    def count(response: Response) -> None:
        if response.request.resource_type in ("script", "stylesheet") and response.ok:
            sizes[0 if response.url.startswith(base) else 1] += len(gzip.compress(response.body(), 9))

    page.on("response", count)
    visit(page)
    page.wait_for_load_state("networkidle")
    context.close()
    return sizes[0], sizes[1]


def to_payment(page: Page) -> None:
    """The payment step, which also loads Stripe.js: reached with a real order."""
    at_payment(page, "T-shirts", "Organic cotton tee", "bench@example.com")


def time_to_product_list(browser: Browser, base: str) -> float:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/c/t-shirts")
    page.wait_for_selector(".product-card")
    elapsed = float(page.evaluate("performance.now()"))  # since the navigation started
    context.close()
    return elapsed


def time_to_placed_order(browser: Browser, base: str) -> float:
    context = browser.new_context(base_url=base)
    page: Page = context.new_page()
    started = time.monotonic()
    # An email of its own each time: one buyer's rapid orders would trip fraud screening's velocity check.
    email = f"bench.{uuid.uuid4().hex[:8]}@example.com"
    order_id = at_payment(page, "T-shirts", "Organic cotton tee", email)
    pay(page, VISA)
    sees_order_paid(page, order_id)
    elapsed = (time.monotonic() - started) * 1000
    context.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/storefront.py", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each path (default 5)")
    args = parser.parse_args(argv)
    subprocess.run(["npm", "run", "--silent", "build"], cwd=DIST.parent, check=True)  # noqa: S607
    with (
        stack_with_storefront(REPO / ".local" / "bench-storefront-endpoints.json") as stack,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        base = stack.storefront_url
        print("page      own JS+CSS gzip   other (Stripe.js) gzip")
        worst = 0
        visits: dict[str, Callable[[Page], object]] = {
            name: (lambda page, path=path: page.goto(path)) for name, path in PAGES.items()
        }
        for name, visit in {**visits, "payment": to_payment}.items():
            own, other = shipped(browser, base, visit)
            worst = max(worst, own)
            print(f"{name:<9} {own / 1024:>10.1f} KB   {other / 1024:>10.1f} KB")
        time_to_product_list(browser, base)  # warm-up: the functions' first imports
        time_to_placed_order(browser, base)
        lists = [time_to_product_list(browser, base) for _ in range(args.runs)]
        orders = [time_to_placed_order(browser, base) for _ in range(args.runs)]
        print(f"\n{'path':<34} {'median ms':>10} {'worst ms':>10}  ({args.runs} runs after a warm-up)")
        print(
            f"{'usable product list (category)':<34} {statistics.median(lists):>10,.0f} {max(lists):>10,.0f}"
        )
        placed = "placed order, paid (home to paid)"
        print(f"{placed:<34} {statistics.median(orders):>10,.0f} {max(orders):>10,.0f}")
        browser.close()
    verdict = "within" if worst < BUDGET_BYTES else "OVER"
    print(f"\nOwn code per page at most {worst / 1024:.1f} KB gzipped: {verdict} the 100 KB budget.")
    return 0 if worst < BUDGET_BYTES else 1


if __name__ == "__main__":
    raise SystemExit(main())
