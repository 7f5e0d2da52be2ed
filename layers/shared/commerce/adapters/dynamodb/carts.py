"""Carts, one item each, replaced under an optimistic version check; a customer's active cart is
pointed at by `CUSTOMER#<sub> / CART`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commerce.adapters.dynamodb.batch import item_at
from commerce.adapters.dynamodb.codec import key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.domain.cart import Cart
from commerce.domain.errors import Conflict
from commerce.domain.marketing import WATCH_PREFIX, index_time, is_watched, watch_shard


def _to_item(cart: Cart, expires_at_epoch: int) -> dict[str, Any]:
    return to_item(
        {
            "PK": f"CART#{cart.id}",
            "SK": "CART",
            "type": "cart",
            "id": cart.id,
            "token_hash": cart.token_hash,
            "customer_id": cart.customer_id,
            "currency": cart.currency,
            "lines": dict(cart.lines),
            "created_at": cart.created_at.isoformat(),
            "updated_at": cart.updated_at.isoformat(),
            "version": cart.version,
            "expires_at": expires_at_epoch,
            # pricing: where the cart ships (for tax and shipping) and its discount code
            "country": cart.country,
            "subdivision": cart.subdivision,
            "discount_code": cart.discount_code,
            "attribution": dict(cart.attribution) or None,
            # the guest's contact, and the sparse abandoned-cart index entry while
            # the cart has lines and a way to reach its shopper (docs/marketing-events.md). Every save is
            # a touch: it moves the entry to the new time and re-arms a cart announced before.
            "email": cart.email,
            "marketing_consent": cart.marketing_consent or None,
            "locale": cart.locale,
            **watch_entry(cart),
        }
    )


def watch_entry(cart: Cart) -> dict[str, Any]:
    """GSI2 keys listing the cart among those that could be abandoned, or none."""
    if not is_watched(cart):
        return {}
    return {
        "GSI2PK": f"{WATCH_PREFIX}{watch_shard(cart.id)}",
        "GSI2SK": f"{index_time(cart.updated_at)}#{cart.id}",
    }


def cart_from_item(row: dict[str, Any]) -> Cart:
    return Cart(
        id=row["id"],
        token_hash=row.get("token_hash", ""),
        currency=row["currency"],
        lines=row.get("lines", {}),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        country=row.get("country"),
        subdivision=row.get("subdivision"),
        discount_code=row.get("discount_code"),
        version=row["version"],
        customer_id=row.get("customer_id"),
        attribution=row.get("attribution", {}),
        email=row.get("email"),
        marketing_consent=bool(row.get("marketing_consent", False)),
        locale=row.get("locale"),
    )


def _version_is(expected: int) -> dict[str, Any]:
    return {
        "ConditionExpression": "version = :expected",
        "ExpressionAttributeValues": {":expected": {"N": str(expected)}},
    }


class DynamoCarts:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, cart_id: str) -> Cart | None:
        found = item_at(self._client, self._table, f"CART#{cart_id}", "CART", consistent=True)
        return cart_from_item(found) if found else None

    def add(self, cart: Cart, expires_at_epoch: int) -> None:
        with translated(Conflict, "a cart with this id exists"):
            self._client.put_item(
                TableName=self._table,
                Item=_to_item(cart, expires_at_epoch),
                ConditionExpression="attribute_not_exists(PK)",
            )

    def save(self, cart: Cart, expected_version: int, expires_at_epoch: int) -> None:
        with translated(Conflict, "the cart changed meanwhile; read it again"):
            self._client.put_item(
                TableName=self._table, Item=_to_item(cart, expires_at_epoch), **_version_is(expected_version)
            )

    def customer_cart_id(self, customer_id: str) -> str | None:
        with translated():
            found = self._client.get_item(
                TableName=self._table, Key=key(f"CUSTOMER#{customer_id}", "CART"), ConsistentRead=True
            )
        return str(found["Item"]["cart_id"]["S"]) if "Item" in found else None

    def add_for_customer(self, cart: Cart, expires_at_epoch: int, replacing: str | None = None) -> None:
        pointer = {
            "PK": f"CUSTOMER#{cart.customer_id}",
            "SK": "CART",
            "type": "cart_pointer",
            "cart_id": cart.id,
        }
        with translated(Conflict, "the customer got an active cart meanwhile"):
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": _to_item(cart, expires_at_epoch),
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(pointer),
                            "ConditionExpression": "attribute_not_exists(PK) OR cart_id = :replacing",
                            "ExpressionAttributeValues": {":replacing": {"S": replacing or "-"}},
                        }
                    },
                ]
            )

    def absorb(self, cart: Cart, expected_version: int, expires_at_epoch: int, guest: Cart) -> None:
        with translated(Conflict, "a cart changed meanwhile; read it again"):
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": _to_item(cart, expires_at_epoch),
                            **_version_is(expected_version),
                        }
                    },
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": key(f"CART#{guest.id}", "CART"),
                            **_version_is(guest.version),
                        }
                    },
                ]
            )
