"""Staff catalog: products (drafts and archived included), variants, prices, translations, categories."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import staff
from commerce.api.admin_models import (
    AdminCategoryIn,
    AdminCategoryOut,
    AdminCategoryRenameIn,
    AdminPriceIn,
    AdminProductIn,
    AdminProductOut,
    AdminProductPatchIn,
    AdminTranslationIn,
    AdminVariantIn,
)
from commerce.api.promotion_models import ProductTermsIn, ProductTermsOut
from commerce.api.resolver import create_resolver, created
from commerce.config import Settings
from commerce.domain import locale as locales
from commerce.domain.errors import ValidationFailed
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer
from commerce.services.catalog_admin import Saved

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
admin = bootstrap.staff_catalog(settings)

ProductId = Annotated[str, Path(max_length=64)]
Sku = Annotated[str, Path(max_length=64)]
CurrencyCode = Annotated[str, Path(max_length=3, description="ISO 4217 code.")]
LocaleTag = Annotated[str, Path(max_length=35, description="BCP 47 tag such as fr or fr-CA.")]
CategorySlug = Annotated[str, Path(max_length=100)]

PRODUCT_RESPONSES: dict[int, OpenAPIResponse] = {
    200: {"description": "Replaced", "content": {"application/json": {"model": AdminProductOut}}},
    201: {"description": "Created", "content": {"application/json": {"model": AdminProductOut}}},
}
PRODUCT_CREATED: dict[int, OpenAPIResponse] = {
    201: {"description": "Created", "content": {"application/json": {"model": AdminProductOut}}},
}
DELETED: dict[int, OpenAPIResponse] = {204: {"description": "Deleted"}}


def _product(saved: Saved, location: str) -> Response[AdminProductOut]:
    """200 with the product, or 201 and its Location when the PUT created what it named."""
    return Response(
        status_code=201 if saved.created else 200,
        content_type="application/json",
        body=AdminProductOut.of(saved.product),
        headers={"Location": location} if saved.created else None,
    )


@app.post(
    "/admin/products",
    access=staff(Permission.CATALOG),
    summary="Create a product (a draft unless said otherwise)",
    responses=PRODUCT_CREATED,
)
@tracer.capture_method
def create_product(body: AdminProductIn) -> Response[AdminProductOut]:
    product = admin.create_product(body.to_new_product())
    logger.info("product created", product_id=product.id, status=product.status.value)
    return _product(Saved(product, created=True), f"/admin/products/{product.id}")


@app.get(
    "/admin/products/<product_id>",
    access=staff(Permission.CATALOG),
    summary="Get a product in any status, with every translation and price",
)
@tracer.capture_method
def get_product(product_id: ProductId) -> AdminProductOut:
    return AdminProductOut.of(admin.product(product_id))


@app.patch(
    "/admin/products/<product_id>",
    access=staff(Permission.CATALOG),
    summary="Change a product's slug, category, images, rank or status",
)
@tracer.capture_method
def update_product(product_id: ProductId, body: AdminProductPatchIn) -> AdminProductOut:
    product = admin.update_product(product_id, body.to_changes())
    logger.info("product updated", product_id=product_id, fields=sorted(body.model_fields_set))
    return AdminProductOut.of(product)


@app.post(
    "/admin/products/<product_id>/archive",
    access=staff(Permission.CATALOG),
    summary="Archive a product: off sale for good",
)
@tracer.capture_method
def archive_product(product_id: ProductId) -> AdminProductOut:
    product = admin.archive_product(product_id)
    logger.info("product archived", product_id=product_id)
    return AdminProductOut.of(product)


@app.put(
    "/admin/products/<product_id>/variants/<sku>",
    access=staff(Permission.CATALOG),
    summary="Create or replace a variant (SKU unique across the catalog)",
    responses=PRODUCT_RESPONSES,
)
@tracer.capture_method
def put_variant(product_id: ProductId, sku: Sku, body: AdminVariantIn) -> Response[AdminProductOut]:
    saved = admin.put_variant(product_id, body.to_spec(sku))
    logger.info("variant saved", product_id=product_id, sku=sku, added=saved.created)
    return _product(saved, f"/admin/products/{product_id}/variants/{sku}")


@app.delete(
    "/admin/products/<product_id>/variants/<sku>",
    access=staff(Permission.CATALOG),
    summary="Delete a variant",
    responses=DELETED,
)
@tracer.capture_method
def delete_variant(product_id: ProductId, sku: Sku) -> Response[None]:
    admin.delete_variant(product_id, sku)
    logger.info("variant deleted", product_id=product_id, sku=sku)
    return Response(status_code=204)


@app.put(
    "/admin/products/<product_id>/variants/<sku>/prices/<currency>",
    access=staff(Permission.CATALOG),
    summary="Set a variant's price in one currency",
    responses=PRODUCT_RESPONSES,
)
@tracer.capture_method
def put_price(
    product_id: ProductId, sku: Sku, currency: CurrencyCode, body: AdminPriceIn
) -> Response[AdminProductOut]:
    if body.currency != currency:
        raise ValidationFailed(f"the body prices in {body.currency}, the path names {currency[:3]}")
    saved = admin.set_price(product_id, sku, currency, body.amount)
    logger.info("price set", product_id=product_id, sku=sku, currency=currency)
    return _product(saved, f"/admin/products/{product_id}/variants/{sku}/prices/{currency}")


@app.put(
    "/admin/products/<product_id>/translations/<locale>",
    access=staff(Permission.CATALOG),
    summary="Create or replace a translation",
    responses=PRODUCT_RESPONSES,
)
@tracer.capture_method
def put_translation(
    product_id: ProductId, locale: LocaleTag, body: AdminTranslationIn
) -> Response[AdminProductOut]:
    saved = admin.put_translation(product_id, locale, body.name, body.description)
    tag = locales.normalize(locale) or locale  # as the service stored it: fr_ca is fr-CA
    logger.info("translation saved", product_id=product_id, locale=tag, added=saved.created)
    return _product(saved, f"/admin/products/{product_id}/translations/{tag}")


@app.delete(
    "/admin/products/<product_id>/translations/<locale>",
    access=staff(Permission.CATALOG),
    summary="Delete a translation (not the last one)",
    responses=DELETED,
)
@tracer.capture_method
def delete_translation(product_id: ProductId, locale: LocaleTag) -> Response[None]:
    admin.delete_translation(product_id, locale)
    logger.info("translation deleted", product_id=product_id, locale=locale)
    return Response(status_code=204)


@app.post(
    "/admin/categories",
    access=staff(Permission.CATALOG),
    summary="Create a category",
    responses={201: {"description": "Created", "content": {"application/json": {"model": AdminCategoryOut}}}},
)
@tracer.capture_method
def create_category(body: AdminCategoryIn) -> Response[AdminCategoryOut]:
    category = admin.create_category(body.slug, body.names, body.parent, body.rank)
    logger.info("category created", category=category.slug)
    return created(AdminCategoryOut.of(category), f"/admin/categories/{category.slug}")


@app.put(
    "/admin/categories/<slug>",
    access=staff(Permission.CATALOG),
    summary="Rename a category (its slug never changes)",
)
@tracer.capture_method
def rename_category(slug: CategorySlug, body: AdminCategoryRenameIn) -> AdminCategoryOut:
    category = admin.rename_category(slug, body.names, body.rank)
    logger.info("category renamed", category=slug)
    return AdminCategoryOut.of(category)


# pricing: a product's tax class, weight and country restrictions
@app.get(
    "/admin/products/<product_id>/pricing-terms",
    access=staff(Permission.CATALOG),
    summary="A product's tax class, weight and restrictions",
)
@tracer.capture_method
def get_pricing_terms(product_id: ProductId) -> ProductTermsOut:
    return ProductTermsOut.of(product_id, admin.product(product_id).terms)


@app.put(
    "/admin/products/<product_id>/pricing-terms",
    access=staff(Permission.CATALOG),
    summary="Set a product's tax class, weight and the countries it is not sold in or shipped to",
)
@tracer.capture_method
def put_pricing_terms(product_id: ProductId, body: ProductTermsIn) -> ProductTermsOut:
    product = admin.set_terms(product_id, body.terms())
    logger.info("pricing terms set", product_id=product_id, tax_class=body.tax_class)
    return ProductTermsOut.of(product_id, product.terms)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
