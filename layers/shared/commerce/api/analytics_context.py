"""Who a behaviour event is about, read off the request: channel (header `X-Channel`), currency, locale and
the signed-in customer's id. Nothing personal: no email, name or address."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from commerce.api.identity import optional_principal
from commerce.api.resolver import header
from commerce.domain.analytics import Audience, normal_channel


def audience(app: APIGatewayHttpResolver, currency: str | None, locale: str | None) -> Audience:
    principal = optional_principal(app)
    return Audience(
        channel=normal_channel(header(app, "x-channel")),
        currency=currency,
        locale=locale,
        customer_id=principal.subject if principal else None,
    )
