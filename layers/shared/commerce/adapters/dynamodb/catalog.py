"""Catalog items: products, their SKUs, categories and the keyword index; staff's listings on GSI3 (by
status) and GSI4 (by category and status), in name order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from commerce.adapters.dynamodb.batch import batch_get, batch_write, first_page, in_partition, queried
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.merged import Partitions, merged_page
from commerce.adapters.dynamodb.paging import cut_page, page_request
from commerce.domain import search
from commerce.domain.catalog import Category, Product, ProductStatus, SkuRecord, Text, Variant
from commerce.domain.errors import Conflict
from commerce.domain.money import Money
from commerce.domain.ports import Page
from commerce.domain.product_terms import ProductTerms


def _listing_sort_key(product: Product) -> str:
    return f"{product.rank:08d}#{product.id}"


def staff_listing_keys(product: Product, name: str) -> dict[str, str]:
    """Every product, whatever its status, under its status (GSI3) and its category and status (GSI4),
    sorted by its name in the default locale, folded."""
    by_name = f"{search.name_key(name)}#{product.id}"
    status = product.status.value
    return {
        "GSI3PK": f"PRODUCTS#{status}",
        "GSI3SK": by_name,
        "GSI4PK": f"PRODUCTS#CATEGORY#{product.category}#{status}",
        "GSI4SK": by_name,
    }


def product_to_item(product: Product, search_keys: list[str], name: str = "") -> dict[str, Any]:
    listed = product.status is ProductStatus.ACTIVE
    return {
        **staff_listing_keys(product, name),
        "PK": f"PRODUCT#{product.id}",
        "SK": "PRODUCT",
        "type": "product",
        "GSI1PK": f"CATEGORY#{product.category}" if listed else None,
        "GSI1SK": _listing_sort_key(product) if listed else None,
        "GSI2PK": "CATALOG" if listed else None,
        "GSI2SK": _listing_sort_key(product) if listed else None,
        "id": product.id,
        "slug": product.slug,
        "category": product.category,
        "status": product.status.value,
        "rank": product.rank,
        "images": list(product.images),
        "texts": {loc: {"name": t.name, "description": t.description} for loc, t in product.texts.items()},
        "variants": [
            {
                "sku": v.sku,
                "attributes": dict(v.attributes),
                "prices": {cur: m.amount for cur, m in v.prices.items()},
                "low_stock_threshold": v.low_stock_threshold,
            }
            for v in product.variants
        ],
        "search_keys": search_keys or None,
        "terms": product.terms.to_dict(),  # pricing
    }


def product_from_item(values: Mapping[str, Any]) -> Product:
    return Product(
        id=values["id"],
        slug=values["slug"],
        category=values["category"],
        status=ProductStatus(values["status"]),
        rank=values.get("rank", 0),
        images=tuple(values.get("images", [])),
        texts={loc: Text(t["name"], t.get("description", "")) for loc, t in values["texts"].items()},
        variants=tuple(
            Variant(
                sku=v["sku"],
                attributes=v.get("attributes", {}),
                prices={cur: Money(amount, cur) for cur, amount in v.get("prices", {}).items()},
                low_stock_threshold=v.get("low_stock_threshold", 5),
            )
            for v in values.get("variants", [])
        ),
        terms=ProductTerms.from_dict(values.get("terms")),
    )


def slug_key(slug: str) -> dict[str, Any]:
    """The item that reserves a slug for one product. Under `PRODUCT#` so that the staff function's
    IAM condition on leading keys (template.yaml) covers it."""
    return key(f"PRODUCT#SLUG#{slug}", "SLUG")


def _unchanged_since(previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """Condition for replacing the product item read as `previous` (None: it must not exist yet)."""
    if previous is None:
        return {"ConditionExpression": "attribute_not_exists(PK)"}
    if "revision" not in previous:  # written before revisions were kept
        return {
            "ConditionExpression": "attribute_not_exists(#rev)",
            "ExpressionAttributeNames": {"#rev": "revision"},
        }
    return {
        "ConditionExpression": "#rev = :rev",
        "ExpressionAttributeNames": {"#rev": "revision"},
        "ExpressionAttributeValues": {":rev": {"N": str(previous["revision"])}},
    }


def search_keys_of(product: Product) -> list[str]:
    shoppers = {f"SEARCH#{language}#{term}" for language, term in search.product_terms(product)}
    staff = {f"SEARCH#{search.STAFF}#{term}" for term in search.staff_terms(product)}
    return sorted(shoppers | staff)


def _category(row: Mapping[str, Any]) -> Category:
    return Category(row["slug"], row["names"], row.get("parent"), row.get("rank", 0))


class DynamoCatalog:
    def __init__(self, client: Any, table: str, default_locale: str = "en") -> None:
        self._client = client
        self._table = table
        self._default_locale = default_locale  # whose names order staff's listings

    # reads
    def get_product(self, product_id: str) -> Product | None:
        with translated():
            found = self._client.get_item(TableName=self._table, Key=key(f"PRODUCT#{product_id}", "PRODUCT"))
        item = found.get("Item")
        return product_from_item(from_item(item)) if item else None

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]:
        keys = [key(f"PRODUCT#{pid}", "PRODUCT") for pid in dict.fromkeys(product_ids)]
        return {p["id"]: product_from_item(p) for p in self._batch_get(keys)}

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]:
        index, pk_name, pk = (
            ("GSI1", "GSI1PK", f"CATEGORY#{category}") if category else ("GSI2", "GSI2PK", "CATALOG")
        )
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": pk_name},
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            **page_request(limit, position),
        }
        page, next_position = cut_page(first_page(self._client, **request), limit, index)
        return Page(items=tuple(product_from_item(r) for r in page), next_position=next_position)

    def list_for_staff(
        self,
        statuses: Sequence[ProductStatus],
        category: str | None,
        limit: int,
        position: Mapping[str, Any] | None,
    ) -> Page[Product]:
        where = (
            Partitions(
                "GSI4", "GSI4PK", "GSI4SK", [f"PRODUCTS#CATEGORY#{category}#{s.value}" for s in statuses]
            )
            if category
            else Partitions("GSI3", "GSI3PK", "GSI3SK", [f"PRODUCTS#{s.value}" for s in statuses])
        )
        after = str(position["after"]) if position else None
        rows, next_after = merged_page(self._client, self._table, where, limit, after)
        return Page(
            items=tuple(product_from_item(r) for r in rows),
            next_position={"after": next_after} if next_after else None,
        )

    def search(self, language: str, term: str) -> set[str]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"SEARCH#{language}#{term}"}},
            "ProjectionExpression": "SK",
        }
        return {i["SK"]["S"].removeprefix("PRODUCT#") for i in queried(self._client, **request)}

    def list_categories(self) -> list[Category]:
        rows = first_page(self._client, TableName=self._table, **in_partition("CATEGORY"))
        categories = [_category(row) for row in rows]
        return sorted(categories, key=lambda c: (c.rank, c.slug))

    def get_category(self, slug: str) -> Category | None:
        with translated():
            found = self._client.get_item(TableName=self._table, Key=key("CATEGORY", f"CAT#{slug}"))
        return _category(from_item(found["Item"])) if "Item" in found else None

    def get_skus(self, skus: Sequence[str]) -> dict[str, SkuRecord]:
        rows = self._batch_get([key(f"SKU#{sku}", "SKU") for sku in dict.fromkeys(skus)])
        return {
            r["sku"]: SkuRecord(
                sku=r["sku"],
                product_id=r["product_id"],
                status=ProductStatus(r["status"]),
                prices={cur: Money(amount, cur) for cur, amount in r.get("prices", {}).items()},
                names=r.get("names", {}),
                category=r.get("category", ""),
                terms=ProductTerms.from_dict(r.get("terms")),
            )
            for r in rows
        }

    # writes
    def save_product(self, product: Product) -> None:
        """Writes the product and claims its SKUs and its slug in one transaction, then brings the keyword
        index up to date. A SKU or slug owned by another product, or another write of the same product
        since it was read here, refuses the whole write (Conflict)."""
        previous = self._raw_product(product.id)
        old_keys = set(previous.get("search_keys", [])) if previous else set()
        new_keys = search_keys_of(product)
        old_skus = {v["sku"] for v in previous.get("variants", [])} if previous else set()
        revision = int(previous.get("revision", 0)) if previous else 0
        name = product.text(self._default_locale, self._default_locale).name
        item = {**product_to_item(product, new_keys, name), "revision": revision + 1}
        # Each write with the reason it would be refused, read back from the cancellation reasons.
        writes: list[tuple[dict[str, Any], str]] = [
            (
                {"Put": {"TableName": self._table, "Item": to_item(item), **_unchanged_since(previous)}},
                f"product {product.id} was changed by someone else meanwhile; read it again",
            )
        ]
        owned = {
            "ConditionExpression": "attribute_not_exists(PK) OR product_id = :pid",
            "ExpressionAttributeValues": {":pid": {"S": product.id}},
        }
        for variant in product.variants:
            record = SkuRecord.of(product, variant)
            sku_item = {
                "PK": f"SKU#{variant.sku}",
                "SK": "SKU",
                "type": "sku",
                "sku": variant.sku,
                "product_id": product.id,
                "status": record.status.value,
                "prices": {cur: m.amount for cur, m in record.prices.items()},
                "names": dict(record.names),
                "category": record.category,  # pricing: promotions by category
                "terms": record.terms.to_dict(),  # pricing: tax class, weight, restrictions
            }
            writes.append(
                (
                    {"Put": {"TableName": self._table, "Item": to_item(sku_item), **owned}},
                    f"SKU {variant.sku} belongs to another product",
                )
            )
        for dropped in sorted(old_skus - {v.sku for v in product.variants}):
            writes.append(({"Delete": {"TableName": self._table, "Key": key(f"SKU#{dropped}", "SKU")}}, ""))
        slug_item = {
            **slug_key(product.slug),
            **to_item({"type": "slug", "slug": product.slug, "product_id": product.id}),
        }
        writes.append(
            (
                {"Put": {"TableName": self._table, "Item": slug_item, **owned}},
                f"slug {product.slug} is used by another product",
            )
        )
        old_slug = previous.get("slug") if previous else None
        if old_slug and old_slug != product.slug:
            writes.append(
                (
                    {"Delete": {"TableName": self._table, "Key": slug_key(old_slug), **owned}},
                    f"slug {old_slug} is held by another product",
                )
            )
        self._transact(writes)
        entry_sk = f"PRODUCT#{product.id}"
        stale = [{"DeleteRequest": {"Key": key(pk, entry_sk)}} for pk in sorted(old_keys - set(new_keys))]
        fresh = [
            {"PutRequest": {"Item": to_item({"PK": pk, "SK": entry_sk, "type": "search"})}}
            for pk in new_keys
            if pk not in old_keys
        ]
        batch_write(self._client, self._table, stale + fresh)

    def save_category(self, category: Category) -> None:
        item = {
            "PK": "CATEGORY",
            "SK": f"CAT#{category.slug}",
            "type": "category",
            "slug": category.slug,
            "names": dict(category.names),
            "parent": category.parent,
            "rank": category.rank,
        }
        with translated():
            self._client.put_item(TableName=self._table, Item=to_item(item))

    # plumbing
    def _transact(self, writes: list[tuple[dict[str, Any], str]]) -> None:
        """One transaction; a refusal names the writes whose condition failed, not just "conflict"."""
        try:
            with translated():
                self._client.transact_write_items(TransactItems=[write for write, _ in writes])
        except Conflict as error:
            reasons = error.extensions.get("reasons", [])
            why = [
                blame
                for (_, blame), reason in zip(writes, reasons, strict=False)
                if blame and reason == "ConditionalCheckFailed"
            ]
            raise Conflict("; ".join(why) or "the catalog changed meanwhile; retry") from error

    def _raw_product(self, product_id: str) -> dict[str, Any] | None:
        with translated():
            found = self._client.get_item(
                TableName=self._table, Key=key(f"PRODUCT#{product_id}", "PRODUCT"), ConsistentRead=True
            )
        return from_item(found["Item"]) if "Item" in found else None

    def _batch_get(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [from_item(i) for i in batch_get(self._client, self._table, keys)]
