"""The built back-office console (web/console/dist/) served on 127.0.0.1, as CloudFront serves it under
/console/ deployed: its files, index.html for any other path, and a `config.json` made from the running
stack. It signs in at the local issuer with its own app client, whose callback is the console's index URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from local.storefront import StorefrontServer, hosted_ui, origin_of

DIST = Path(__file__).resolve().parent.parent / "web" / "console" / "dist"
CLIENT_ID = "local-console-client"  # the template's ConsoleClient, locally (local.auth.local_client_id)
DEFAULT_PORT = 3007


def console_config(*, api_url: str, issuer_url: str, client_id: str, index_url: str) -> dict[str, Any]:
    """The runtime config.json (web/console/src/config.ts reads it; docs/console.md lists it)."""
    return {
        "apiUrl": api_url,
        "auth": hosted_ui(issuer_url, client_id) | {"redirectUri": index_url},
        "currencies": ["EUR", "USD", "JPY"],
        "locales": ["en", "fr"],
    }


def console_policy(config: dict[str, Any]) -> str:
    """Our own files, the API and the issuer's token endpoint; no third party at all. Styles inline: the
    component library writes its styles into <style> elements at run time."""
    connect = " ".join(sorted({origin_of(config["apiUrl"]), origin_of(config["auth"]["tokenUrl"])}))
    return (
        f"default-src 'self'; script-src 'self'; connect-src 'self' {connect}; "
        "img-src 'self' https: data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
        "base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
    )


class ConsoleServer(StorefrontServer):
    """The storefront's static server, with the console's files and policy."""

    def __init__(self, port: int = DEFAULT_PORT, dist: Path = DIST) -> None:
        super().__init__(port, dist)

    @property
    def index_url(self) -> str:
        return self.url + "/"

    def policy(self, config: dict[str, Any]) -> str:
        return console_policy(config)
