"""The local console server: the built files, a config.json naming the console's own app client and index
URL, and a Content-Security-Policy that admits the API and the issuer only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local.console import ConsoleServer, console_config


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleServer]:
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>", encoding="utf-8")
    server = ConsoleServer(port=0, dist=tmp_path)
    config = console_config(
        api_url="http://127.0.0.1:3000",
        issuer_url="http://127.0.0.1:3002",
        client_id="local-console-client",
        index_url=server.index_url,
    )
    server.start(lambda: config)
    yield server
    server.stop()


def test_config_json_names_the_console_client_and_its_index_url_as_the_redirect(
    console: ConsoleServer,
) -> None:
    auth = requests.get(console.index_url + "config.json", timeout=5).json()["auth"]

    assert auth["clientId"] == "local-console-client"
    assert auth["redirectUri"] == console.index_url
    assert auth["tokenUrl"] == "http://127.0.0.1:3002/oauth2/token"


def test_the_policy_admits_the_api_and_the_issuer_and_no_third_party_script(console: ConsoleServer) -> None:
    page = requests.get(console.index_url, timeout=5)
    policy = page.headers["content-security-policy"]

    assert "<title>console</title>" in page.text
    assert "connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:3002;" in policy
    assert "script-src 'self';" in policy
    assert "stripe" not in policy
