"""The storefront's products: listed and read, priced and translated for the shopper."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from wiring import activity, browse, settings

from commerce.api.access import PUBLIC
from commerce.api.analytics_context import shopper_context
from commerce.api.models import ProductListOut, ProductOut
from commerce.api.params import ChannelParam
from commerce.api.routing import CommerceRouter
from commerce.composition.adapters import now
from commerce.domain import analytics
from commerce.domain.regions import default_currency
from commerce.observability import logger
from commerce.services.browse import ProductQuery

router = CommerceRouter()

CurrencyParam = Annotated[
    str | None,
    Query(
        description="ISO 4217 code; absent: the channel's, else the country's default currency if offered, "
        "else the shop's."
    ),
]

CountryParam = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Z]{2}$",
        description="The shopper's country (ISO 3166-1): products not sold or shipped there are hidden.",
    ),
]

LocaleParam = Annotated[
    str | None, Query(description="BCP 47 tag such as fr-CA; overrides Accept-Language.", max_length=35)
]


def _currency(requested: str | None, channel: str | None, country: str | None) -> str:
    """The asked currency, else the channel's, else the country's default if the shop offers it."""
    return (
        requested
        or browse.channel_currency(channel)
        or default_currency(country, settings.supported_currencies)
    )


@router.get("/products", access=PUBLIC, summary="List or search products")
def list_products(
    category: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Keywords searched in the request's language.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    currency: CurrencyParam = None,
    locale: LocaleParam = None,
    channel: ChannelParam = None,
    country: CountryParam = None,
) -> ProductListOut:
    query = ProductQuery(
        currency=_currency(currency, channel, country),
        country=country,
        locale=router.locale(locale),
        category=category,
        q=q,
        limit=limit,
        cursor=cursor,
        channel=channel,
    )
    page = browse.list_products(query)
    logger.info("products listed", category=category, searched=bool(q), count=len(page.items))
    if q:  # after the page is ready; never fails the request
        who = shopper_context(router, query.currency, query.locale, channel)
        activity.track(analytics.search_made(who, q, len(page.items), now()))
    return ProductListOut.of(page)


@router.get("/products/<product_id>", access=PUBLIC, summary="Get one product")
def get_product(
    product_id: Annotated[str, Path(max_length=64)],
    currency: CurrencyParam = None,
    locale: LocaleParam = None,
    channel: ChannelParam = None,
    country: CountryParam = None,
) -> ProductOut:
    chosen, language = _currency(currency, channel, country), router.locale(locale)
    view = browse.get_product(product_id, chosen, language, country=country, channel_id=channel)
    # after the product is found; never fails the request
    activity.track(
        analytics.product_viewed(shopper_context(router, chosen, language, channel), product_id, now())
    )
    return ProductOut.of(view)
