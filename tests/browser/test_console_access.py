"""What a support-level account may not do: no Integrations in its menu, and a 403 from the API."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Browser, expect

from local.stack import LocalStack

from .console import open_section, signed_in

pytestmark = pytest.mark.e2e


def test_a_support_account_sees_no_integrations_and_its_token_is_refused_there(
    browser: Browser, stack: LocalStack
) -> None:
    console = signed_in(browser, stack, "support")
    open_section(console, "Orders")

    expect(console.get_by_role("menuitem", name="Integrations")).to_have_count(0)
    token = console.evaluate("JSON.parse(sessionStorage.getItem('console.session')).idToken")
    refused = requests.get(
        f"{stack.api_url}/admin/webhooks", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )

    assert refused.status_code == 403
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert refused.json()["status"] == 403
    console.context.close()
