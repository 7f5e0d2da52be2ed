"""Orders, their stock reservations and the ledger moves that settle them, each change one transaction.

Items written here (docs/data-model.md has the table):

- the order, `ORDER#<id> / ORDER`: GSI1 by customer (while it has one), GSI2 `ORDERS#<status>` by date
  (staff's lists: `order_lists.py`);
- its reservation marker, `ORDER#<id> / RESERVATION`, only while the order waits for payment, indexed in
  GSI2 under `RESERVATIONS#<shard>` by expiry so the sweeper finds expired ones with a Query;
- its flags marker, `ORDER#<id> / FLAGS`, while it carries a flag, indexed in GSI2 under `FLAGGED_ORDERS` by
  the order's date, so staff find flagged orders with a Query; written with every save of the order, and
  deleted in the save that resolves its last flag;
- the events a change announces, in the outbox (`adapters/dynamodb/outbox.py`), in the change's transaction;
- an email index entry, `EMAIL#<sha256 of the email>` / `ORDER#<created_at>#<id>`, for fraud screening
  and staff's search by email;
- a payment pointer, `PAYMENT_INTENT#<id> / ORDER`, naming the order of a PaymentIntent;
- stock levels `SKU#<sku> / STOCK#<location>` and their movements `SKU#<sku> / MOVE#<time>#<rand>`.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.batch import batch_get, first_page, in_partition, listed_before
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.customers import order_history_keys
from commerce.adapters.dynamodb.errors import cancellation_reasons, error_code, translated
from commerce.adapters.dynamodb.keys import email_key
from commerce.adapters.dynamodb.order_lists import DEFAULT_CHANNEL, email_page, status_page
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.adapters.dynamodb.pricing_codec import (
    line_extras,
    lines_from_item,
    pricing_from_item,
    pricing_to_item,
    totals_extras,
    totals_from_item,
)
from commerce.adapters.dynamodb.promotions import usage_items, usage_refusal, usage_return_items
from commerce.adapters.dynamodb.stock import DynamoStock, ledger_pk, stock_key
from commerce.domain.cart import Cart
from commerce.domain.channels import Channel
from commerce.domain.errors import Conflict, LimitExceeded, OutOfStock, Throttled
from commerce.domain.events import DomainEvent
from commerce.domain.flags import FlaggedOrder
from commerce.domain.hot_sku import SEPARATOR as SHARD_SEPARATOR
from commerce.domain.order import (
    FLAG_RESOLVED,
    DisputeCase,
    Order,
    OrderStatus,
    PaymentOutcome,
    Reservation,
    StockState,
    TimelineEntry,
)
from commerce.domain.ports import Page, Period

MAX_TRANSACTION_ITEMS = 100
PLACE_ATTEMPTS = 4
RESERVATION_SHARDS = 8
EMAIL_INDEX_TTL = timedelta(days=400)
ORDER_SK = "ORDER"
RESERVATION_SK = "RESERVATION"
FLAGS_SK = "FLAGS"
FLAGGED_ORDERS = "FLAGGED_ORDERS"
_TOTAL_PARTS = ("subtotal", "tax", "shipping", "discount", "total")


def reservation_shard(order_id: str) -> str:
    # Spread the pending orders over a few index partitions: one would cap checkouts at ~1,000 writes/s.
    return f"RESERVATIONS#{zlib.crc32(order_id.encode()) % RESERVATION_SHARDS}"


# order <-> item
def order_to_item(order: Order) -> dict[str, Any]:
    created = order.created_at.isoformat()
    currency = order.currency
    item: dict[str, Any] = {
        "PK": f"ORDER#{order.id}",
        "SK": ORDER_SK,
        "type": "order",
        "id": order.id,
        "status": order.status.value,
        "currency": currency,
        "totals": {
            **{part: getattr(order.totals, part).amount for part in _TOTAL_PARTS},
            **totals_extras(order.totals),
        },
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price.amount,
                "line_total": line.line_total.amount,
                **({"tax": line.tax.amount} if line.tax is not None else {}),
                **line_extras(line),
            }
            for line in order.lines
        ],
        "created_at": created,
        "customer_id": order.customer_id,
        "email": order.email,
        "shipping_address": dict(order.shipping_address),
        "billing_address": dict(order.billing_address),
        "cart_id": order.cart_id,
        "order_token_hash": order.order_token_hash,
        "reservations": [
            {"sku": r.sku, "location": r.location, "quantity": r.quantity} for r in order.reservations
        ],
        "reservation_expires_at": order.reservation_expires_at.isoformat(),
        "stock": order.stock.value,
        "payment_intent_id": order.payment_intent_id,
        "payment_outcome": order.payment_outcome.value if order.payment_outcome else None,
        "risk_level": order.risk_level,
        "task_token": order.task_token,
        "cancel_reason": order.cancel_reason,
        "hold_reasons": list(order.hold_reasons) or None,
        "status_before_dispute": order.status_before_dispute.value if order.status_before_dispute else None,
        "dispute": _dispute_to_item(order.dispute),
        "tax_country": order.tax_country,
        "pricing": pricing_to_item(order.pricing),
        "attribution": dict(order.attribution) or None,
        "channel": order.channel,  # inventory: the sales channel
        "flags": list(order.flags) or None,
        "refunded": order.refunded,
        "version": order.version,
        "timeline": [{"at": e.at.isoformat(), "event": e.event, "detail": e.detail} for e in order.timeline],
        "GSI2PK": f"ORDERS#{order.status.value}",
        "GSI2SK": f"{created}#{order.id}",
    }
    if order.customer_id:
        item.update(order_history_keys(order.customer_id, created, order.id))
    return item


def order_from_item(row: Mapping[str, Any]) -> Order:
    currency = row["currency"]
    totals = row.get("totals", {})
    outcome = row.get("payment_outcome")
    return Order(
        id=row["id"],
        status=OrderStatus(row["status"]),
        currency=currency,
        lines=lines_from_item(row.get("lines"), currency),
        totals=totals_from_item(totals, currency),
        email=row.get("email", ""),
        shipping_address=row.get("shipping_address", {}),
        billing_address=row.get("billing_address", {}),
        created_at=datetime.fromisoformat(row["created_at"]),
        reservations=tuple(
            Reservation(r["sku"], r["location"], r["quantity"]) for r in row.get("reservations", [])
        ),
        reservation_expires_at=datetime.fromisoformat(row["reservation_expires_at"]),
        order_token_hash=row.get("order_token_hash", ""),
        customer_id=row.get("customer_id"),
        cart_id=row.get("cart_id"),
        payment_intent_id=row.get("payment_intent_id"),
        cancel_reason=row.get("cancel_reason"),
        refunded=row.get("refunded", 0),
        version=row.get("version", 0),
        timeline=tuple(
            TimelineEntry(datetime.fromisoformat(e["at"]), e["event"], e.get("detail", ""))
            for e in row.get("timeline", [])
        ),
        stock=StockState(row.get("stock", StockState.RESERVED.value)),
        task_token=row.get("task_token"),
        payment_outcome=PaymentOutcome(outcome) if outcome else None,
        risk_level=row.get("risk_level"),
        hold_reasons=tuple(row.get("hold_reasons", ())),
        status_before_dispute=OrderStatus(before) if (before := row.get("status_before_dispute")) else None,
        dispute=_dispute_from_item(row.get("dispute")),
        tax_country=row.get("tax_country"),
        pricing=pricing_from_item(row.get("pricing"), currency),
        attribution=row.get("attribution", {}),
        channel=row.get("channel"),  # inventory: the sales channel
        flags=tuple(row.get("flags") or ()),
    )


class DynamoOrders:
    """The OrderRepository and the StockLedger: both write the order and the stock in one transaction."""

    def __init__(
        self,
        client: Any,
        table: str,
        stock: DynamoStock | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._client = client
        self._table = table
        self._stock = stock or DynamoStock(client, table)
        self._clock = clock or (lambda: datetime.now(UTC))

    # placing an order
    def place(self, order: Order, cart: Cart, channel: Channel | None = None) -> Order:
        wanted = {line.sku: line.quantity for line in order.lines}
        for attempt in range(PLACE_ATTEMPTS):
            levels = self._levels(list(wanted))
            if channel is not None:  # inventory: a channel reserves only from its locations
                levels = {
                    sku: {loc: lv for loc, lv in at.items() if channel.draws_from(loc)}
                    for sku, at in levels.items()
                }
            # inventory: a hot SKU (its levels include shards) starts from a random shard
            hot = {sku for sku, at in levels.items() if any(SHARD_SEPARATOR in loc for loc in at)}
            reservations, short = _allocate(wanted, levels, hot)
            if short:
                raise _out_of_stock(short, wanted)
            placed = Order(**{**_fields(order), "reservations": tuple(reservations)})
            items = self._place_items(placed, cart, levels)
            try:
                self._client.transact_write_items(TransactItems=items)
                return placed
            except ClientError as error:
                self._after_failed_place(error, items, attempt)
        raise Conflict("stock is changing fast; try again")

    def _after_failed_place(self, error: ClientError, items: list[dict[str, Any]], attempt: int) -> None:
        """Decides what a cancelled placement means; returning means: read the stock again and retry."""
        code = error_code(error)
        if code != "TransactionCanceledException":
            with translated():
                raise error
        reasons = cancellation_reasons(error)
        if any(
            r in ("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded") for r in reasons
        ):
            raise Throttled("the store is busy; retry shortly") from error
        failed = [items[i] for i, reason in enumerate(reasons) if reason == "ConditionalCheckFailed"]
        for item in failed:
            sk = _item_key(item)[1]
            if sk == "CART":
                raise Conflict("the cart changed meanwhile; read it again") from error
            if sk == ORDER_SK:
                raise Conflict("an order with this id exists") from error
            # pricing (promotions): a usage limit reached
            exhausted = usage_refusal(*_item_key(item))
            if exhausted is not None:
                raise exhausted from error
        # Only stock conditions (or a transaction conflict) failed: another checkout won the race.
        if attempt == PLACE_ATTEMPTS - 1:
            raise Conflict("stock is changing fast; try again") from error

    def _levels(self, skus: Sequence[str]) -> dict[str, dict[str, tuple[int, int]]]:
        """(on_hand, reserved) per location per SKU, read strongly consistent."""
        keys = [key(f"SKU#{sku}", f"STOCK#{loc}") for sku in skus for loc in self._stock.locations()]
        levels: dict[str, dict[str, tuple[int, int]]] = {sku: {} for sku in skus}
        for row in (from_item(i) for i in batch_get(self._client, self._table, keys, consistent=True)):
            levels[row["sku"]][row["location"]] = (row.get("on_hand", 0), row.get("reserved", 0))
        # inventory (docs/inventory.md): a hot SKU's shards are more places to reserve from, named
        # `<location>@<n>`; stock_key() and ledger_pk() below map them to their own partition keys.
        for sku, shards in self._stock.shard_levels(skus, consistent=True).items():
            levels[sku].update(shards)
        return levels

    def _place_items(
        self, order: Order, cart: Cart, levels: Mapping[str, Mapping[str, tuple[int, int]]]
    ) -> list[dict[str, Any]]:
        now = self._clock()
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(order_to_item(order)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": {"TableName": self._table, "Item": to_item(_reservation_marker(order))}},
            {"Put": {"TableName": self._table, "Item": to_item(email_index_entry(order))}},
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": key(f"CART#{cart.id}", "CART"),
                    "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": {":v": {"N": str(cart.version)}},
                }
            },
        ]
        for r in order.reservations:
            on_hand, _ = levels[r.sku][r.location]
            # No arithmetic in condition expressions, so: on_hand has not dropped since we read it and
            # reserved has not risen past what leaves r.quantity available. Concurrent reservations of
            # other units still go through; only one that takes the units we need makes us read again.
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": stock_key(r.sku, r.location),  # inventory: a shard has a key of its own
                        "UpdateExpression": "SET reserved = if_not_exists(reserved, :zero) + :q",
                        "ConditionExpression": "on_hand >= :seen AND "
                        "(attribute_not_exists(reserved) OR reserved <= :most)",
                        "ExpressionAttributeValues": to_item(
                            {":q": r.quantity, ":zero": 0, ":seen": on_hand, ":most": on_hand - r.quantity}
                        ),
                    }
                }
            )
            items.append(_movement(self._table, r, "reservation", order.id, now, ""))
        # pricing (promotions): each applied promotion's usage counter, conditioned on its limits,
        # in this same transaction, so a code's last use goes to one order only (see _after_failed_place).
        items += usage_items(self._table, order)
        if len(items) > MAX_TRANSACTION_ITEMS:
            raise LimitExceeded("the order needs too many stock locations; split it")
        return items

    # reading and changing an order
    def get(self, order_id: str) -> Order | None:
        with translated():
            found = self._client.get_item(
                TableName=self._table, Key=key(f"ORDER#{order_id}", ORDER_SK), ConsistentRead=True
            )
        return order_from_item(from_item(found["Item"])) if "Item" in found else None

    def save(self, order: Order, expected_version: int, events: Sequence[DomainEvent] = ()) -> None:
        items = self.order_writes(order, expected_version) + outbox_writes(self._table, events)
        self._transact(items, "the order changed meanwhile; read it again")

    def attach_payment_intent(self, order: Order, expected_version: int) -> None:
        if not order.payment_intent_id:
            raise ValueError("the order has no payment intent to attach")
        pointer = {
            "PK": f"PAYMENT_INTENT#{order.payment_intent_id}",
            "SK": ORDER_SK,
            "type": "payment_intent_pointer",
            "order_id": order.id,
        }
        items = self.order_writes(order, expected_version)
        items.append({"Put": {"TableName": self._table, "Item": to_item(pointer)}})
        self._transact(items, "the order changed meanwhile; read it again")

    def set_task_token(self, order_id: str, task_token: str | None) -> Order:
        values: dict[str, Any] = {":one": {"N": "1"}}
        if task_token is None:
            expression = "REMOVE task_token ADD version :one"
        else:
            expression = "SET task_token = :t ADD version :one"
            values[":t"] = {"S": task_token}
        with translated(Conflict, "no such order"):
            result = self._client.update_item(
                TableName=self._table,
                Key=key(f"ORDER#{order_id}", ORDER_SK),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        return order_from_item(from_item(result["Attributes"]))

    def find_by_payment_intent(self, payment_intent_id: str) -> Order | None:
        with translated():
            found = self._client.get_item(
                TableName=self._table,
                Key=key(f"PAYMENT_INTENT#{payment_intent_id}", ORDER_SK),
                ConsistentRead=True,
            )
        if "Item" not in found:
            return None
        return self.get(str(found["Item"]["order_id"]["S"]))

    def list_by_status(
        self,
        status: OrderStatus,
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        channel: str | None = None,
    ) -> Page[Order]:
        return status_page(
            self._client, self._table, status, created, limit, position, channel, order_from_item
        )

    def list_for_email(
        self,
        email: str,
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        status: OrderStatus | None = None,
        channel: str | None = None,
    ) -> Page[Order]:
        def keep(order: Order) -> bool:
            return (status is None or order.status is status) and (
                channel is None or (order.channel or DEFAULT_CHANNEL) == channel
            )

        return email_page(self._client, self._table, email, created, limit, position, keep, order_from_item)

    def count_by_status(self, status: OrderStatus) -> int:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI2",
            "KeyConditionExpression": "GSI2PK = :pk",
            "ExpressionAttributeValues": to_item({":pk": f"ORDERS#{status.value}"}),
            "Select": "COUNT",
        }
        counted = 0
        while True:
            with translated():
                result = self._client.query(**request)
            counted += int(result.get("Count", 0))
            if "LastEvaluatedKey" not in result:
                return counted
            request["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    def flagged(self, limit: int) -> list[FlaggedOrder]:
        with translated():
            items = self._client.query(
                TableName=self._table,
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk",
                ExpressionAttributeValues=to_item({":pk": FLAGGED_ORDERS}),
                ScanIndexForward=False,
                Limit=limit,
            ).get("Items", [])
        return [
            FlaggedOrder(row["order_id"], tuple(row["flags"]), datetime.fromisoformat(row["created_at"]))
            for row in map(from_item, items)
        ]

    def expired_reservations(self, now: datetime, limit: int) -> list[str]:
        expired: list[tuple[str, str]] = []
        for shard in range(RESERVATION_SHARDS):
            due = listed_before(f"RESERVATIONS#{shard}", now.astimezone(UTC).isoformat())
            rows = first_page(
                self._client,
                TableName=self._table,
                ProjectionExpression="order_id, GSI2SK",
                Limit=limit,
                **due,
            )
            expired += [(row["GSI2SK"], row["order_id"]) for row in rows]
        return [order_id for _, order_id in sorted(expired)[:limit]]

    def recent_orders_for_email(self, email: str, limit: int) -> list[tuple[datetime, str]]:
        partition = in_partition(email_key(email), "ORDER#")
        rows = first_page(
            self._client, TableName=self._table, ScanIndexForward=False, Limit=limit, **partition
        )
        return [(datetime.fromisoformat(row["created_at"]), row["order_id"]) for row in rows]

    # the stock ledger
    def sell(self, order: Order, expected_version: int) -> None:
        now = self._clock()
        items = self.order_writes(order, expected_version)
        for r in order.reservations:
            items.append(
                _stock_update(self._table, r, "SET on_hand = on_hand - :q, reserved = reserved - :q")
            )
            items.append(_movement(self._table, r, "sale", order.id, now, ""))
        self._transact(items, "the order changed meanwhile; read it again")

    def release(
        self, order: Order, expected_version: int, reason: str, events: Sequence[DomainEvent] = ()
    ) -> None:
        now = self._clock()
        items = self.order_writes(order, expected_version)
        for r in order.reservations:
            items.append(_stock_update(self._table, r, "SET reserved = reserved - :q"))
            items.append(_movement(self._table, r, "release", order.id, now, reason))
        items += usage_return_items(self._table, order)  # pricing: an unpaid order's code uses come back
        items += outbox_writes(self._table, events)
        self._transact(items, "the order changed meanwhile; read it again")

    def order_writes(self, order: Order, expected_version: int) -> list[dict[str, Any]]:
        """The order's Put under its version, plus the items that follow its state: transaction items
        another adapter may join to its own (a webhook's event record), so both land or neither."""
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(order_to_item(order)),
                    "ConditionExpression": "version = :expected",
                    "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}},
                }
            }
        ]
        if not order.is_pending:
            items.append(
                {"Delete": {"TableName": self._table, "Key": key(f"ORDER#{order.id}", RESERVATION_SK)}}
            )
        if order.flags:
            items.append({"Put": {"TableName": self._table, "Item": to_item(_flags_marker(order))}})
        elif any(entry.event == FLAG_RESOLVED for entry in order.timeline):
            # Its last flag resolved: off staff's list. Only orders that had one pay for the delete.
            items.append({"Delete": {"TableName": self._table, "Key": key(f"ORDER#{order.id}", FLAGS_SK)}})
        return items

    def _transact(self, items: list[dict[str, Any]], detail: str) -> None:
        with translated(Conflict, detail):
            self._client.transact_write_items(TransactItems=items)


def _fields(order: Order) -> dict[str, Any]:
    return {name: getattr(order, name) for name in Order.__dataclass_fields__}


def _allocate(
    wanted: Mapping[str, int],
    levels: Mapping[str, Mapping[str, tuple[int, int]]],
    hot: Collection[str] = (),
) -> tuple[list[Reservation], dict[str, int]]:
    """Reservations taking each line from the locations with the most available first; the SKUs that
    cannot be covered, with what is available of them."""
    reservations: list[Reservation] = []
    short: dict[str, int] = {}
    for sku, quantity in wanted.items():
        available = {loc: max(0, on_hand - reserved) for loc, (on_hand, reserved) in levels[sku].items()}
        total = sum(available.values())
        if total < quantity:
            short[sku] = total
            continue
        remaining = quantity
        ranked = sorted(available.items(), key=lambda kv: (-kv[1], kv[0]))
        if sku in hot:  # inventory: spread a flash sale's checkouts over the shards, then fall back
            stocked = [kv for kv in ranked if kv[1] > 0]
            first = random.choice(stocked)  # noqa: S311 - spreading load, not a secret
            ranked = [first, *(kv for kv in ranked if kv is not first)]
        for loc, units in ranked:
            take = min(units, remaining)
            if take > 0:
                reservations.append(Reservation(sku, loc, take))
                remaining -= take
            if remaining == 0:
                break
    return reservations, short


def _out_of_stock(short: Mapping[str, int], wanted: Mapping[str, int]) -> OutOfStock:
    unavailable = [{"sku": sku, "requested": wanted[sku], "available": short[sku]} for sku in sorted(short)]
    return OutOfStock("not enough stock for some lines", unavailable=unavailable)


def _reservation_marker(order: Order) -> dict[str, Any]:
    expires = order.reservation_expires_at.astimezone(UTC).isoformat()
    return {
        "PK": f"ORDER#{order.id}",
        "SK": RESERVATION_SK,
        "type": "reservation_marker",
        "order_id": order.id,
        "GSI2PK": reservation_shard(order.id),
        "GSI2SK": f"{expires}#{order.id}",
    }


def _flags_marker(order: Order) -> dict[str, Any]:
    created = order.created_at.isoformat()
    return {
        "PK": f"ORDER#{order.id}",
        "SK": FLAGS_SK,
        "type": "order_flags",
        "order_id": order.id,
        "flags": list(order.flags),
        "created_at": created,
        "GSI2PK": FLAGGED_ORDERS,
        "GSI2SK": f"{created}#{order.id}",
    }


def email_index_entry(order: Order) -> dict[str, Any]:
    created = order.created_at.isoformat()
    return {
        "PK": email_key(order.email),
        "SK": f"ORDER#{created}#{order.id}",
        "type": "email_order",
        "order_id": order.id,
        "created_at": created,
        "expires_at": int((order.created_at + EMAIL_INDEX_TTL).timestamp()),
    }


def _stock_update(table: str, r: Reservation, expression: str) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table,
            "Key": stock_key(r.sku, r.location),  # inventory: a shard has a key of its own
            "UpdateExpression": expression,
            "ConditionExpression": "reserved >= :q",
            "ExpressionAttributeValues": {":q": {"N": str(r.quantity)}},
        }
    }


def _movement(
    table: str, r: Reservation, reason: str, order_id: str, now: datetime, note: str
) -> dict[str, Any]:
    movement = {
        "PK": ledger_pk(r.sku, r.location),  # inventory: a shard's movements stay in its partition
        "SK": f"MOVE#{now.isoformat()}#{uuid.uuid4().hex[:8]}",
        "type": "movement",
        "sku": r.sku,
        "location": r.location,
        "reason": reason,
        "quantity": r.quantity,
        "order_id": order_id,
        "note": note,
        "at": now.isoformat(),
    }
    return {"Put": {"TableName": table, "Item": to_item(movement)}}


def _item_key(item: Mapping[str, Any]) -> tuple[str, str]:
    (operation,) = item.values()
    raw = operation.get("Key") or operation.get("Item")
    return str(raw["PK"]["S"]), str(raw["SK"]["S"])


def _dispute_to_item(case: DisputeCase | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {
        "dispute_id": case.dispute_id,
        "reason": case.reason,
        "amount": case.amount,
        "due_by": case.due_by.isoformat() if case.due_by else None,
    }


def _dispute_from_item(row: Mapping[str, Any] | None) -> DisputeCase | None:
    if not row:
        return None
    due_by = row.get("due_by")
    return DisputeCase(
        dispute_id=row["dispute_id"],
        reason=row.get("reason", ""),
        amount=int(row.get("amount", 0)),
        due_by=datetime.fromisoformat(due_by) if due_by else None,
    )
