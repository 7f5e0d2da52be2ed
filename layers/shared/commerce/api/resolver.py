"""The HTTP resolver every function uses: validation on, errors mapped to problem details."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from commerce.api import problems


def create_resolver() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    problems.register(app)
    return app


def header(app: APIGatewayHttpResolver, name: str) -> str | None:
    """A request header by case-insensitive name (HTTP API payload 2.0 lower-cases them)."""
    return app.current_event.headers.get(name.lower())
