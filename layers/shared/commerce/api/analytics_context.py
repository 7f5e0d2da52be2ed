"""Who a shopper activity event is about, read off the request: channel (the route's `channel` parameter,
else the `X-Channel` header), currency, locale and the signed-in customer's id. Nothing personal: no email,
name or address."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from commerce.api.identity import optional_principal
from commerce.api.routing import header
from commerce.domain.analytics import ShopperContext, normal_channel


def shopper_context(
    app: BaseRouter, currency: str | None, locale: str | None, channel: str | None = None
) -> ShopperContext:
    principal = optional_principal(app)
    return ShopperContext(
        channel=normal_channel(channel or header(app, "x-channel")),
        currency=currency,
        locale=locale,
        customer_id=principal.subject if principal else None,
    )
