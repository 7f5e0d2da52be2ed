"""Customer items (profile, addresses, cart pointer) under `CUSTOMER#<sub>`; their orders through GSI1."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from commerce.adapters.dynamodb.batch import batch_write, first_page, queried
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.keys import email_key
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.adapters.dynamodb.paging import cut_page, page_request
from commerce.adapters.dynamodb.pricing_codec import lines_from_item, totals_from_item
from commerce.domain import search
from commerce.domain.customer import Address, Consent, Profile
from commerce.domain.errors import Conflict, NotFound
from commerce.domain.events import DomainEvent
from commerce.domain.order_history import ERASED, OrderRecord, pseudonymised_address
from commerce.domain.ports import Page

PROFILE_SK = "PROFILE"
CART_POINTER_SK = "CART"
ADDRESS_PREFIX = "ADDRESS#"
ORDER_PREFIX = "ORDER#"
_ADDRESS_FIELDS = (
    "label",
    "recipient_name",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
)


def customer_pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# profile and addresses
CUSTOMER_NAMES = "CUSTOMERS"  # the GSI4 partition of every profile, by folded name


def directory_keys(profile: Profile) -> dict[str, str | None]:
    """Staff find a profile by its email's hash (GSI3, the key orders' email index uses) and by its folded
    name (GSI4); the keys go with the item, so an erasure removes them with it."""
    return {
        "GSI3PK": email_key(profile.email) if profile.email else None,
        "GSI3SK": customer_pk(profile.customer_id) if profile.email else None,
        "GSI4PK": CUSTOMER_NAMES,
        "GSI4SK": f"{search.name_key(profile.name or '')}#{profile.customer_id}",
    }


def profile_to_item(profile: Profile) -> dict[str, Any]:
    return {
        **directory_keys(profile),
        "PK": customer_pk(profile.customer_id),
        "SK": PROFILE_SK,
        "type": "customer_profile",
        "customer_id": profile.customer_id,
        "email": profile.email,
        "name": profile.name,
        "locale": profile.locale,
        "currency": profile.currency,
        "marketing_consent": profile.marketing_consent.granted,
        "marketing_consent_at": _iso(profile.marketing_consent.changed_at),
        "default_shipping_address_id": profile.default_shipping_address_id,
        "default_billing_address_id": profile.default_billing_address_id,
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
        "version": profile.version,
    }


def profile_from_item(row: Mapping[str, Any]) -> Profile:
    return Profile(
        customer_id=row["customer_id"],
        email=row.get("email"),
        name=row.get("name"),
        locale=row.get("locale"),
        currency=row.get("currency"),
        marketing_consent=Consent(bool(row.get("marketing_consent")), _time(row.get("marketing_consent_at"))),
        default_shipping_address_id=row.get("default_shipping_address_id"),
        default_billing_address_id=row.get("default_billing_address_id"),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        version=row.get("version", 0),
    )


def address_to_item(customer_id: str, address: Address) -> dict[str, Any]:
    return {
        "PK": customer_pk(customer_id),
        "SK": ADDRESS_PREFIX + address.id,
        "type": "customer_address",
        "id": address.id,
        **{name: getattr(address, name) for name in _ADDRESS_FIELDS},
        "created_at": _iso(address.created_at),
        "updated_at": _iso(address.updated_at),
    }


def address_from_item(row: Mapping[str, Any]) -> Address:
    return Address(
        id=row["id"],
        label=row.get("label"),
        recipient_name=row["recipient_name"],
        line1=row["line1"],
        line2=row.get("line2"),
        city=row["city"],
        region=row.get("region"),
        postal_code=row.get("postal_code"),
        country=row["country"],
        phone=row.get("phone"),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


class DynamoCustomers:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get_profile(self, customer_id: str) -> Profile | None:
        row = self._get(customer_pk(customer_id), PROFILE_SK)
        return profile_from_item(row) if row else None

    def save_profile(
        self, profile: Profile, expected_version: int | None, events: Sequence[DomainEvent] = ()
    ) -> None:
        condition: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(PK)"}
            if expected_version is None
            else {
                "ConditionExpression": "version = :expected",
                "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}},
            }
        )
        put = {"TableName": self._table, "Item": to_item(profile_to_item(profile)), **condition}
        with translated(Conflict, "the profile changed meanwhile; read it again"):
            if events:  # a consent change: announced in the profile's own transaction
                self._client.transact_write_items(
                    TransactItems=[{"Put": put}, *outbox_writes(self._table, events)]
                )
            else:
                self._client.put_item(**put)

    def list_addresses(self, customer_id: str) -> list[Address]:
        rows = self._query_partition(customer_id, ADDRESS_PREFIX)
        return [address_from_item(row) for row in rows]

    def get_address(self, customer_id: str, address_id: str) -> Address | None:
        row = self._get(customer_pk(customer_id), ADDRESS_PREFIX + address_id)
        return address_from_item(row) if row else None

    def add_address(self, customer_id: str, address: Address) -> None:
        with translated(Conflict, "an address with this id exists"):
            self._client.put_item(
                TableName=self._table,
                Item=to_item(address_to_item(customer_id, address)),
                ConditionExpression="attribute_not_exists(PK)",
            )

    def replace_address(self, customer_id: str, address: Address) -> None:
        with translated(NotFound, "no such address"):
            self._client.put_item(
                TableName=self._table,
                Item=to_item(address_to_item(customer_id, address)),
                ConditionExpression="attribute_exists(PK)",
            )

    def delete_address(self, customer_id: str, address_id: str) -> bool:
        with translated():
            result = self._client.delete_item(
                TableName=self._table,
                Key=key(customer_pk(customer_id), ADDRESS_PREFIX + address_id),
                ReturnValues="ALL_OLD",
            )
        return "Attributes" in result

    def active_cart_id(self, customer_id: str) -> str | None:
        row = self._get(customer_pk(customer_id), CART_POINTER_SK)
        cart_id = row.get("cart_id") if row else None
        return str(cart_id) if cart_id else None

    def delete_customer(self, customer_id: str) -> int:
        """Every item of the customer's partition (whatever later features put there), plus the cart the
        pointer names. Deleting what is already gone is no error, so erasing twice is fine."""
        keys: list[dict[str, Any]] = []
        for row in self._query_partition(customer_id, None, projection="PK, SK, cart_id"):
            keys.append(key(row["PK"], row["SK"]))
            if row["SK"] == CART_POINTER_SK and row.get("cart_id"):
                keys.append(key(f"CART#{row['cart_id']}", "CART"))
        batch_write(self._client, self._table, [{"DeleteRequest": {"Key": k}} for k in keys])
        return len(keys)

    # plumbing
    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        with translated():
            found = self._client.get_item(TableName=self._table, Key=key(pk, sk), ConsistentRead=True)
        return from_item(found["Item"]) if "Item" in found else None

    def _query_partition(
        self, customer_id: str, sk_prefix: str | None, projection: str | None = None
    ) -> Iterator[dict[str, Any]]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk" + (" AND begins_with(SK, :prefix)" if sk_prefix else ""),
            "ExpressionAttributeValues": {":pk": {"S": customer_pk(customer_id)}}
            | ({":prefix": {"S": sk_prefix}} if sk_prefix else {}),
            "ConsistentRead": True,
        }
        if projection:
            request["ProjectionExpression"] = projection
        yield from (from_item(i) for i in queried(self._client, **request))


# orders
def order_record_from_item(row: Mapping[str, Any]) -> OrderRecord:
    currency = row["currency"]
    totals = row.get("totals", {})
    return OrderRecord(
        id=row["id"],
        status=row["status"],
        currency=currency,
        totals=totals_from_item(totals, currency),
        lines=lines_from_item(row.get("lines"), currency),
        created_at=datetime.fromisoformat(row["created_at"]),
        customer_id=row.get("customer_id"),
        email=row.get("email"),
        shipping_address=row.get("shipping_address"),
        billing_address=row.get("billing_address"),
        erased_at=_time(row.get("erased_at")),
        disputed=any(str(e.get("event", "")).startswith("dispute_") for e in row.get("timeline", [])),
    )


def order_history_keys(customer_id: str, created_at: str, order_id: str) -> dict[str, str]:
    """The GSI1 keys an order carries while it belongs to a customer (the checkout writes them)."""
    return {"GSI1PK": customer_pk(customer_id), "GSI1SK": f"{ORDER_PREFIX}{created_at}#{order_id}"}


class DynamoOrderHistory:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def list_orders(
        self, customer_id: str, limit: int, position: Mapping[str, Any] | None
    ) -> Page[OrderRecord]:
        request = {**self._request(customer_id), **page_request(limit, position)}
        page, next_position = cut_page(first_page(self._client, **request), limit, "GSI1")
        return Page(items=tuple(order_record_from_item(r) for r in page), next_position=next_position)

    def pseudonymise_orders(self, customer_id: str, erased_at: datetime) -> int:
        """Each order rewritten from its index copy, conditioned on still belonging to the customer, so an
        index entry that lags behind an earlier erasure changes nothing. Works on the raw item, so an
        order of an older or newer shape is still erased."""
        request = self._request(customer_id)
        return sum(
            self._pseudonymise(customer_id, from_item(i), erased_at) for i in queried(self._client, **request)
        )

    def _pseudonymise(self, customer_id: str, row: Mapping[str, Any], erased_at: datetime) -> int:
        values = to_item(
            {
                ":cid": customer_id,
                ":at": erased_at.isoformat(),
                ":one": 1,
                ":email": ERASED if row.get("email") else None,
                ":ship": pseudonymised_address(row.get("shipping_address")),
                ":bill": pseudonymised_address(row.get("billing_address")),
            }
        )
        sets = ["erased_at = if_not_exists(erased_at, :at)"]
        sets += [f"{name} = {placeholder}" for name, placeholder in _ORDER_SETS if placeholder in values]
        removes = "customer_id, GSI1PK, GSI1SK"
        if (row.get("pricing") or {}).get("shopper_key"):
            removes += ", pricing.shopper_key"  # pricing: whose discount limits the order counted against
        try:
            with translated(Conflict, "the order no longer belongs to the customer"):
                self._client.update_item(
                    TableName=self._table,
                    Key=key(row["PK"], row["SK"]),
                    # The version moves too, so an order workflow holding the order as it was before the
                    # erasure cannot write the personal data back (its writes are conditioned on version).
                    UpdateExpression="SET " + ", ".join(sets) + f" REMOVE {removes} ADD version :one",
                    ConditionExpression="customer_id = :cid",
                    ExpressionAttributeValues=values,
                )
        except Conflict:
            return 0
        if row.get("email") and row.get("created_at"):
            # The fraud screen's index of orders by (hashed) email would still tie the order to the person.
            with translated():
                self._client.delete_item(
                    TableName=self._table,
                    Key=key(email_key(str(row["email"])), f"ORDER#{row['created_at']}#{row['id']}"),
                )
        return 1

    def _request(self, customer_id: str) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": customer_pk(customer_id)},
                ":prefix": {"S": ORDER_PREFIX},
            },
            "ScanIndexForward": False,
        }


_ORDER_SETS = (("email", ":email"), ("shipping_address", ":ship"), ("billing_address", ":bill"))
