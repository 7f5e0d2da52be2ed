"""Staff catalog: a product (drafts and archived included) and its pricing terms."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import admin, finder

from commerce.api.access import staff
from commerce.api.admin_models import (
    AdminProductIn,
    AdminProductListOut,
    AdminProductOut,
    AdminProductPatchIn,
)
from commerce.api.params import PageCursor, PageLimit, ProductId
from commerce.api.promotion_models import ProductTermsIn, ProductTermsOut
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.catalog import ProductStatus
from commerce.domain.permissions import Permission
from commerce.observability import logger
from commerce.services.product_finder import StaffProductQuery

router = CommerceRouter()


@router.post(
    "/admin/products",
    access=staff(Permission.CATALOG),
    summary="Create a product (a draft unless said otherwise)",
    responses=responds(201, "Created", AdminProductOut),
)
def create_product(body: AdminProductIn) -> Response[AdminProductOut]:
    product = admin.create_product(body.to_new_product())
    logger.info("product created", product_id=product.id, status=product.status.value)
    return created(AdminProductOut.of(product), f"/admin/products/{product.id}")


@router.get(
    "/admin/products",
    access=staff(Permission.CATALOG),
    summary="List products in any status by name, or find them by words of their name, slug or SKUs",
)
def list_products(
    status: Annotated[ProductStatus | None, Query(description="draft, active or archived")] = None,
    category: Annotated[str | None, Query(max_length=100, description="A category's slug.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words of a name (any locale), the slug or a SKU.")
    ] = None,
    limit: PageLimit = 50,
    cursor: PageCursor = None,
) -> AdminProductListOut:
    query = StaffProductQuery(status=status, category=category, q=q, limit=limit, cursor=cursor)
    page = finder.find(query)
    logger.info("products listed for staff", status=status, category=category, searched=bool(q))
    return AdminProductListOut(
        items=[AdminProductOut.of(p) for p in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/admin/products/<product_id>",
    access=staff(Permission.CATALOG),
    summary="Get a product in any status, with every translation and price",
)
def get_product(product_id: ProductId) -> AdminProductOut:
    return AdminProductOut.of(admin.product(product_id))


@router.patch(
    "/admin/products/<product_id>",
    access=staff(Permission.CATALOG),
    summary="Change a product's slug, category, images, rank or status",
)
def update_product(product_id: ProductId, body: AdminProductPatchIn) -> AdminProductOut:
    product = admin.update_product(product_id, body.to_changes())
    logger.info("product updated", product_id=product_id, fields=sorted(body.model_fields_set))
    return AdminProductOut.of(product)


@router.post(
    "/admin/products/<product_id>/archive",
    access=staff(Permission.CATALOG),
    summary="Archive a product: off sale for good",
)
def archive_product(product_id: ProductId) -> AdminProductOut:
    product = admin.archive_product(product_id)
    logger.info("product archived", product_id=product_id)
    return AdminProductOut.of(product)


# A product's pricing terms: its tax class, weight and country restrictions.
@router.get(
    "/admin/products/<product_id>/pricing-terms",
    access=staff(Permission.CATALOG),
    summary="A product's tax class, weight and restrictions",
)
def get_pricing_terms(product_id: ProductId) -> ProductTermsOut:
    return ProductTermsOut.of(product_id, admin.product(product_id).terms)


@router.put(
    "/admin/products/<product_id>/pricing-terms",
    access=staff(Permission.CATALOG),
    summary="Set a product's tax class, weight and the countries it is not sold in or shipped to",
)
def put_pricing_terms(product_id: ProductId, body: ProductTermsIn) -> ProductTermsOut:
    product = admin.set_terms(product_id, body.terms())
    logger.info("pricing terms set", product_id=product_id, tax_class=body.tax_class)
    return ProductTermsOut.of(product_id, product.terms)
