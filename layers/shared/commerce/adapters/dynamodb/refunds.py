"""An order's refund ledger: `ORDER#<id> / REFUNDS` holds the sum, `ORDER#<id> / REFUND#<id>` each refund.

The sum can only grow by a conditional write: `refunded <= :limit` with `:limit = captured - amount`
(DynamoDB conditions do no arithmetic, and `captured` is fixed once paid, so the limit is computed here and
the comparison is the store's), in the same transaction as the refund's own item (`attribute_not_exists`,
which makes a retried refund id change nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.batch import first_page, item_at, listed_before, queried
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import cancellation_reasons, translated
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.adapters.dynamodb.stock import back_on_hand, movement
from commerce.domain.errors import Conflict
from commerce.domain.order import Order
from commerce.domain.refunds import PendingRefund, RefundCompletion, RefundExceedsCaptured, RefundRecord

LEDGER_SK = "REFUNDS"
PENDING_REFUNDS = "REFUNDS#pending"  # GSI2: refunds committed but not yet confirmed by the provider
_OUTSIDE = {"outside_shop": "refunded_outside_shop", "bank": "taken_by_bank"}


def refund_row(client: Any, table: str, order_id: str, refund_id: str) -> dict[str, Any] | None:
    """One refund's record (`ORDER#<id> / REFUND#<refund id>`), read strongly consistent; None if absent."""
    with translated():
        found = client.get_item(
            TableName=table, Key=key(f"ORDER#{order_id}", f"REFUND#{refund_id}"), ConsistentRead=True
        ).get("Item")
    return from_item(found) if found else None


def refund_item(order_id: str, refund_id: str, amount: int, at: str, /, **more: Any) -> dict[str, Any]:
    """A refund's record as the ledger keeps it, beside its order; `more` as the refund's origin needs."""
    return {
        "PK": f"ORDER#{order_id}",
        "SK": f"REFUND#{refund_id}",
        "type": "refund",
        "refund_id": refund_id,
        "amount": amount,
        "at": at,
        **more,
    }


class DynamoRefundLedger:
    def __init__(self, client: Any, table: str, clock: Callable[[], datetime] | None = None) -> None:
        self._client, self._table = client, table
        self._clock = clock or (lambda: datetime.now(UTC))

    def reserve(self, order_id: str, refund_id: str, amount: int, captured: int) -> int:
        if amount > captured:
            raise RefundExceedsCaptured(f"{amount} is more than the {captured} captured", captured=captured)
        refund = refund_item(order_id, refund_id, amount, self._clock().isoformat())
        items = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(refund),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            _sum_update(self._table, order_id, amount, captured),
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = cancellation_reasons(error)
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return self.refunded(order_id)  # this refund was reserved already
            if reasons[1:2] == ["ConditionalCheckFailed"]:
                already = self.refunded(order_id)
                raise RefundExceedsCaptured(
                    f"{amount} more would refund more than the {captured} captured "
                    f"({already} refunded so far)",
                    captured=captured,
                    refunded=already,
                ) from error
            with translated():
                raise
        return self.refunded(order_id)

    def cancel(self, order_id: str, refund_id: str, amount: int) -> None:
        with translated():
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": key(f"ORDER#{order_id}", f"REFUND#{refund_id}"),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key(f"ORDER#{order_id}", LEDGER_SK),
                            "UpdateExpression": "ADD refunded :minus",
                            "ExpressionAttributeValues": {":minus": {"N": str(-amount)}},
                        }
                    },
                ]
            )

    def refunded(self, order_id: str) -> int:
        return int(self._ledger_row(order_id).get("refunded", 0))

    def reserved(self, order_id: str, refund_id: str) -> int | None:
        row = refund_row(self._client, self._table, order_id, refund_id)
        return int(row["amount"]) if row else None

    def for_order(self, order_id: str) -> list[RefundRecord]:
        """Every refund of the order, oldest first: one Query of its partition."""
        rows = queried(
            self._client,
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :refund)",
            ExpressionAttributeValues=to_item({":pk": f"ORDER#{order_id}", ":refund": "REFUND#"}),
        )
        records = [_record_from(from_item(row)) for row in rows]
        return sorted(records, key=lambda r: (r.created_at, r.id))

    def refunded_by_bank(self, order_id: str) -> int:
        return int(self._ledger_row(order_id).get("by_bank", 0))

    def _ledger_row(self, order_id: str) -> dict[str, Any]:
        return item_at(self._client, self._table, f"ORDER#{order_id}", LEDGER_SK, consistent=True) or {}

    def record_outside(
        self, order_id: str, refund_id: str, amount: int, seen_refunded: int, by_bank: bool = False
    ) -> bool:
        source = "bank" if by_bank else "outside_shop"
        refund = refund_item(order_id, refund_id, amount, self._clock().isoformat(), source=source)
        values: dict[str, Any] = {
            ":amount": {"N": str(amount)},
            ":seen": {"N": str(seen_refunded)},
            ":type": {"S": "refund_ledger"},
        }
        update = "SET #type = :type ADD refunded :amount"
        if by_bank:
            update += ", by_bank :amount"
        # The sum as it was read: a refund reserved or recorded meanwhile makes the caller read again.
        seen = "refunded = :seen" + (" OR attribute_not_exists(refunded)" if seen_refunded == 0 else "")
        items = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(refund),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key(f"ORDER#{order_id}", LEDGER_SK),
                    "UpdateExpression": update,
                    "ConditionExpression": seen,
                    "ExpressionAttributeNames": {"#type": "type"},
                    "ExpressionAttributeValues": values,
                }
            },
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = cancellation_reasons(error)
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return False
            with translated(Conflict, "the refund ledger changed meanwhile; read it again"):
                raise
        return True


class DynamoPendingRefunds:
    """The PendingRefunds port. A pending refund is its ledger item `ORDER#<id> / REFUND#<refund id>` with
    `state = pending`, indexed in GSI2 under `REFUNDS#pending` by request time while it is; `finish` marks it
    `sent` and drops it from the index, `abandon` deletes it and gives its amount back to the sum."""

    def __init__(
        self, client: Any, table: str, orders: DynamoOrders, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._client, self._table, self._orders = client, table, orders
        self._clock = clock or (lambda: datetime.now(UTC))

    def begin(
        self, refund: PendingRefund | None, captured: int, order: Order | None, expected_version: int
    ) -> None:
        if refund is not None and refund.amount > captured:
            raise RefundExceedsCaptured(
                f"{refund.amount} is more than the {captured} captured", captured=captured
            )
        items = self._reservation(refund, captured) if refund is not None else []
        if order is not None:
            items += self._orders.order_writes(order, expected_version)
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = cancellation_reasons(error)
            if refund is not None and reasons[:1] == ["ConditionalCheckFailed"]:
                if order is not None:  # reserved before: only the order's move is left to write
                    self.begin(None, captured, order, expected_version)
                return
            if refund is not None and reasons[1:2] == ["ConditionalCheckFailed"]:
                already = DynamoRefundLedger(self._client, self._table).refunded(refund.order_id)
                raise RefundExceedsCaptured(
                    f"{refund.amount} more would refund more than the {captured} captured "
                    f"({already} refunded so far)",
                    captured=captured,
                    refunded=already,
                ) from error
            with translated(Conflict, "the order changed meanwhile; read it again"):
                raise

    def finish(self, done: RefundCompletion) -> None:
        refund, order, now = done.refund, done.order, self._clock()
        items: list[dict[str, Any]] = []
        if refund is not None:
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": key(f"ORDER#{refund.order_id}", f"REFUND#{refund.refund_id}"),
                        "UpdateExpression": "SET #state = :sent, sent_at = :now REMOVE GSI2PK, GSI2SK",
                        "ConditionExpression": "#state = :pending",
                        "ExpressionAttributeNames": {"#state": "state"},
                        "ExpressionAttributeValues": to_item(
                            {":sent": "sent", ":pending": "pending", ":now": now.isoformat()}
                        ),
                    }
                }
            )
        items += self._orders.order_writes(order, done.expected_version)
        if done.restock:
            for r in order.reservations:
                items.append(back_on_hand(self._table, r.sku, r.location, r.quantity))
                items.append(
                    movement(
                        self._table, r.sku, r.location, r.quantity, "adjustment", order.id, "cancelled", now
                    )
                )
        items += outbox_writes(self._table, done.events)
        with translated(Conflict, "the order or its refund changed meanwhile; read it again"):
            self._client.transact_write_items(TransactItems=items)

    def abandon(self, refund: PendingRefund | None, order: Order | None, expected_version: int) -> None:
        items: list[dict[str, Any]] = []
        if refund is not None:
            items += [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": key(f"ORDER#{refund.order_id}", f"REFUND#{refund.refund_id}"),
                        "ConditionExpression": "#state = :pending",
                        "ExpressionAttributeNames": {"#state": "state"},
                        "ExpressionAttributeValues": {":pending": {"S": "pending"}},
                    }
                },
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": key(f"ORDER#{refund.order_id}", LEDGER_SK),
                        "UpdateExpression": "ADD refunded :minus",
                        "ExpressionAttributeValues": {":minus": {"N": str(-refund.amount)}},
                    }
                },
            ]
        if order is not None:
            items += self._orders.order_writes(order, expected_version)
        if items:
            with translated(Conflict, "the order or its refund changed meanwhile; read it again"):
                self._client.transact_write_items(TransactItems=items)

    def get(self, order_id: str, refund_id: str) -> PendingRefund | None:
        row = refund_row(self._client, self._table, order_id, refund_id)
        return _pending_from(row) if row and row.get("state") == "pending" else None

    def pending(self, requested_before: datetime, limit: int) -> list[PendingRefund]:
        waiting = listed_before(PENDING_REFUNDS, requested_before.astimezone(UTC).isoformat())
        rows = first_page(self._client, TableName=self._table, Limit=limit, **waiting)
        return [_pending_from(row) for row in rows]

    def _reservation(self, refund: PendingRefund, captured: int) -> list[dict[str, Any]]:
        requested = refund.requested_at.astimezone(UTC).isoformat()
        item = refund_item(
            refund.order_id,
            refund.refund_id,
            refund.amount,
            requested,
            order_id=refund.order_id,
            state="pending",
            payment_intent_id=refund.payment_intent_id,
            detail=refund.detail,
            GSI2PK=PENDING_REFUNDS,
            GSI2SK=f"{requested}#{refund.order_id}#{refund.refund_id}",
        )
        return [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(item),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            _sum_update(self._table, refund.order_id, refund.amount, captured),
        ]


def _sum_update(table: str, order_id: str, amount: int, captured: int) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table,
            "Key": key(f"ORDER#{order_id}", LEDGER_SK),
            "UpdateExpression": "SET captured = :captured, #type = :type ADD refunded :amount",
            "ConditionExpression": "attribute_not_exists(refunded) OR refunded <= :limit",
            "ExpressionAttributeNames": {"#type": "type"},
            "ExpressionAttributeValues": {
                ":captured": {"N": str(captured)},
                ":type": {"S": "refund_ledger"},
                ":amount": {"N": str(amount)},
                ":limit": {"N": str(captured - amount)},
            },
        }
    }


def _pending_from(row: dict[str, Any]) -> PendingRefund:
    return PendingRefund(
        order_id=row["order_id"],
        refund_id=row["refund_id"],
        amount=int(row["amount"]),
        payment_intent_id=row.get("payment_intent_id", ""),
        requested_at=datetime.fromisoformat(row["at"]),
        detail=row.get("detail", ""),
    )


def _record_from(row: dict[str, Any]) -> RefundRecord:
    source = row.get("source")
    status = "pending" if row.get("state") == "pending" else _OUTSIDE.get(source or "", "refunded")
    return RefundRecord(
        id=row["refund_id"],
        amount=int(row["amount"]),
        status=status,
        reason=row.get("detail") or source or "",
        created_at=datetime.fromisoformat(row["at"]),
    )
