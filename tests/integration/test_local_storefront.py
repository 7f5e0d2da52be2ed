"""The local storefront server: the built files, index.html for the app's own paths, a config.json from the
running stack, and the deployed site's security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local.storefront import StorefrontServer, storefront_config

CONFIG = storefront_config(
    api_url="http://127.0.0.1:3000",
    issuer_url="http://127.0.0.1:3002",
    stripe_url="http://127.0.0.1:3004",
    client_id="local-storefront-client",
    publishable_key="pk_test_local",
)


@pytest.fixture
def storefront(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>shop</title>", encoding="utf-8")
    (tmp_path / "assets" / "app.1234.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("not served", encoding="utf-8")
    server = StorefrontServer(port=0, dist=tmp_path).start(lambda: CONFIG)
    yield server.url
    server.stop()


def test_config_json_points_the_app_at_the_running_stack_and_is_never_cached(storefront: str) -> None:
    response = requests.get(f"{storefront}/config.json", timeout=5)

    assert response.json()["auth"]["authorizeUrl"] == "http://127.0.0.1:3002/oauth2/authorize"
    assert response.json()["stripe"]["jsUrl"] == "http://127.0.0.1:3004/js.stripe.com/v3/"
    assert response.headers["cache-control"] == "no-cache"


def test_an_app_path_gets_index_html_and_hashed_assets_are_cached_for_good(storefront: str) -> None:
    page = requests.get(f"{storefront}/orders/ord_1?token=abc", timeout=5)
    script = requests.get(f"{storefront}/assets/app.1234.js", timeout=5)

    assert page.status_code == 200 and "<title>shop</title>" in page.text
    assert script.headers["content-type"] == "text/javascript"
    assert "immutable" in script.headers["cache-control"]


def test_a_path_out_of_the_build_folder_is_not_served(storefront: str) -> None:
    response = requests.get(f"{storefront}/../secret.txt", timeout=5)

    assert "not served" not in response.text


def test_the_content_security_policy_admits_the_api_the_issuer_and_stripe_only(storefront: str) -> None:
    policy = requests.get(storefront, timeout=5).headers["content-security-policy"]

    assert "script-src 'self' http://127.0.0.1:3004;" in policy
    assert "connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:3002 http://127.0.0.1:3004;" in policy
    assert "frame-ancestors 'none'" in policy
