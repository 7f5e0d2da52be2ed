"""Browser tests: the storefront and the console in headless Chromium (Debian's, driven by Playwright) on one
local stack, which serves both built apps beside the API, the issuer's sign-in page and localstripe's
Stripe.js."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright

from local import console
from local.stack import LocalStack
from local.storefront import DIST

from .storefront import CHROMIUM, CHROMIUM_ARGS, stack_with_storefront

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    for dist in (DIST, console.DIST):
        if not (dist / "index.html").is_file():  # `make browser-test` builds them first
            subprocess.run(["npm", "run", "--silent", "build"], cwd=dist.parent, check=True)  # noqa: S607
    endpoints = Path(tmp_path_factory.mktemp("local")) / "endpoints.json"
    with stack_with_storefront(endpoints) as running:
        # Each function's first request imports it: out of the first test's step timeouts.
        for path in ("/categories", "/products?limit=1", "/products/prd-0001"):
            requests.get(running.api_url + path, timeout=120)
        yield running


# Two shared cores run the stack, the browser and more: each step waits up to 20 s, the payment 60 s.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, stack: LocalStack, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh visitor (no cart, no session), speaking the language the test's `locale` marker names."""
    marker = request.node.get_closest_marker("locale")
    context = browser.new_context(
        base_url=stack.storefront_url,
        locale=marker.args[0] if marker else "en-GB",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(20_000)
    visitor = context.new_page()
    yield visitor
    context.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "locale(tag): the browser's language (its Accept-Language)")
