"""Public catalog browse: product listings, keyword search, product pages and categories."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import PUBLIC
from commerce.api.analytics_context import audience
from commerce.api.models import CategoryListOut, CategoryOut, ProductListOut, ProductOut
from commerce.api.resolver import create_resolver, header
from commerce.bootstrap import now
from commerce.config import Settings
from commerce.domain import analytics
from commerce.domain import locale as locales
from commerce.domain.channels import CHANNEL_PATTERN
from commerce.domain.regions import default_currency
from commerce.observability import logger, metrics, tracer
from commerce.services.browse import ProductQuery

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
browse = bootstrap.browse(settings)
behaviour = bootstrap.behaviour_tracker(settings)

CurrencyParam = Annotated[
    str | None,
    Query(
        description="ISO 4217 code; absent: the channel's, else the country's default currency if offered, "
        "else the shop's."
    ),
]
# inventory: a sales channel (its products, price list and locations); the storefront's own when absent
ChannelParam = Annotated[
    str | None,
    Query(max_length=60, pattern=CHANNEL_PATTERN, description="web, app, marketplace:<name>, pos:<store>"),
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


def _locale(requested: str | None) -> str:
    return locales.negotiate(requested, header(app, "accept-language"), settings.default_locale)


@app.get("/products", access=PUBLIC, summary="List or search products")
@tracer.capture_method
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
        locale=_locale(locale),
        category=category,
        q=q,
        limit=limit,
        cursor=cursor,
        channel=channel,
    )
    page = browse.list_products(query)
    logger.info("products listed", category=category, searched=bool(q), count=len(page.items))
    if q:  # after the page is ready; never fails the request
        who = audience(app, query.currency, query.locale, channel)
        behaviour.track(analytics.search_made(who, q, len(page.items), now()))
    return ProductListOut.of(page)


@app.get("/products/<product_id>", access=PUBLIC, summary="Get one product")
@tracer.capture_method
def get_product(
    product_id: Annotated[str, Path(max_length=64)],
    currency: CurrencyParam = None,
    locale: LocaleParam = None,
    channel: ChannelParam = None,
    country: CountryParam = None,
) -> ProductOut:
    chosen, language = _currency(currency, channel, country), _locale(locale)
    view = browse.get_product(product_id, chosen, language, country=country, channel_id=channel)
    # after the product is found; never fails the request
    behaviour.track(analytics.product_viewed(audience(app, chosen, language, channel), product_id, now()))
    return ProductOut.of(view)


@app.get("/categories", access=PUBLIC, summary="List categories")
@tracer.capture_method
def list_categories(locale: LocaleParam = None) -> CategoryListOut:
    return CategoryListOut(items=[CategoryOut.of(c) for c in browse.list_categories(_locale(locale))])


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
