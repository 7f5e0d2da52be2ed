"""Staff catalog: a product's variants, their prices and its translations, each put at the path that names
it (201 when the PUT created it)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import admin

from commerce.api.access import staff
from commerce.api.admin_models import (
    AdminPriceIn,
    AdminProductOut,
    AdminTranslationIn,
    AdminVariantIn,
)
from commerce.api.params import ProductId, Sku
from commerce.api.routing import DELETED, CommerceRouter, responds
from commerce.domain import locale as locales
from commerce.domain.errors import ValidationFailed
from commerce.domain.permissions import Permission
from commerce.observability import logger
from commerce.services.catalog_admin import Saved

router = CommerceRouter()

LocaleTag = Annotated[str, Path(max_length=35, description="BCP 47 tag such as fr or fr-CA.")]
CurrencyCode = Annotated[str, Path(max_length=3, description="ISO 4217 code.")]

PRODUCT_RESPONSES = {
    **responds(200, "Replaced", AdminProductOut),
    **responds(201, "Created", AdminProductOut),
}


def _product(saved: Saved, location: str) -> Response[AdminProductOut]:
    """200 with the product, or 201 and its Location when the PUT created what it named."""
    return Response(
        status_code=201 if saved.created else 200,
        content_type="application/json",
        body=AdminProductOut.of(saved.product),
        headers={"Location": location} if saved.created else None,
    )


@router.put(
    "/admin/products/<product_id>/variants/<sku>",
    access=staff(Permission.CATALOG),
    summary="Create or replace a variant (SKU unique across the catalog)",
    responses=PRODUCT_RESPONSES,
)
def put_variant(product_id: ProductId, sku: Sku, body: AdminVariantIn) -> Response[AdminProductOut]:
    saved = admin.put_variant(product_id, body.to_spec(sku))
    logger.info("variant saved", product_id=product_id, sku=sku, added=saved.created)
    return _product(saved, f"/admin/products/{product_id}/variants/{sku}")


@router.delete(
    "/admin/products/<product_id>/variants/<sku>",
    access=staff(Permission.CATALOG),
    summary="Delete a variant",
    responses=DELETED,
)
def delete_variant(product_id: ProductId, sku: Sku) -> Response[None]:
    admin.delete_variant(product_id, sku)
    logger.info("variant deleted", product_id=product_id, sku=sku)
    return Response(status_code=204)


@router.put(
    "/admin/products/<product_id>/variants/<sku>/prices/<currency>",
    access=staff(Permission.CATALOG),
    summary="Set a variant's price in one currency",
    responses=PRODUCT_RESPONSES,
)
def put_price(
    product_id: ProductId, sku: Sku, currency: CurrencyCode, body: AdminPriceIn
) -> Response[AdminProductOut]:
    if body.currency != currency:
        raise ValidationFailed(f"the body prices in {body.currency}, the path names {currency[:3]}")
    saved = admin.set_price(product_id, sku, currency, body.amount)
    logger.info("price set", product_id=product_id, sku=sku, currency=currency)
    return _product(saved, f"/admin/products/{product_id}/variants/{sku}/prices/{currency}")


@router.put(
    "/admin/products/<product_id>/translations/<locale>",
    access=staff(Permission.CATALOG),
    summary="Create or replace a translation",
    responses=PRODUCT_RESPONSES,
)
def put_translation(
    product_id: ProductId, locale: LocaleTag, body: AdminTranslationIn
) -> Response[AdminProductOut]:
    saved = admin.put_translation(product_id, locale, body.name, body.description)
    tag = locales.normalize(locale) or locale  # as the service stored it: fr_ca is fr-CA
    logger.info("translation saved", product_id=product_id, locale=tag, added=saved.created)
    return _product(saved, f"/admin/products/{product_id}/translations/{tag}")


@router.delete(
    "/admin/products/<product_id>/translations/<locale>",
    access=staff(Permission.CATALOG),
    summary="Delete a translation (not the last one)",
    responses=DELETED,
)
def delete_translation(product_id: ProductId, locale: LocaleTag) -> Response[None]:
    admin.delete_translation(product_id, locale)
    logger.info("translation deleted", product_id=product_id, locale=locale)
    return Response(status_code=204)
