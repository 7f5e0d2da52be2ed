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

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import cancellation_reasons, error_code, translated
from commerce.domain.errors import Conflict
from commerce.domain.refunds import RefundExceedsCaptured

LEDGER_SK = "REFUNDS"


class DynamoRefundLedger:
    def __init__(self, client: Any, table: str, clock: Callable[[], datetime] | None = None) -> None:
        self._client, self._table = client, table
        self._clock = clock or (lambda: datetime.now(UTC))

    def reserve(self, order_id: str, refund_id: str, amount: int, captured: int) -> int:
        if amount > captured:
            raise RefundExceedsCaptured(f"{amount} is more than the {captured} captured", captured=captured)
        refund = {
            "PK": f"ORDER#{order_id}",
            "SK": f"REFUND#{refund_id}",
            "type": "refund",
            "refund_id": refund_id,
            "amount": amount,
            "at": self._clock().isoformat(),
        }
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
            },
        ]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = (
                cancellation_reasons(error) if error_code(error) == "TransactionCanceledException" else []
            )
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
        with translated():
            found = self._client.get_item(
                TableName=self._table, Key=key(f"ORDER#{order_id}", LEDGER_SK), ConsistentRead=True
            ).get("Item")
        return int(from_item(found).get("refunded", 0)) if found else 0

    def reserved(self, order_id: str, refund_id: str) -> int | None:
        with translated():
            found = self._client.get_item(
                TableName=self._table,
                Key=key(f"ORDER#{order_id}", f"REFUND#{refund_id}"),
                ConsistentRead=True,
            ).get("Item")
        return int(from_item(found)["amount"]) if found else None

    def refunded_by_bank(self, order_id: str) -> int:
        with translated():
            found = self._client.get_item(
                TableName=self._table, Key=key(f"ORDER#{order_id}", LEDGER_SK), ConsistentRead=True
            ).get("Item")
        return int(from_item(found).get("by_bank", 0)) if found else 0

    def record_outside(
        self, order_id: str, refund_id: str, amount: int, seen_refunded: int, by_bank: bool = False
    ) -> bool:
        refund = {
            "PK": f"ORDER#{order_id}",
            "SK": f"REFUND#{refund_id}",
            "type": "refund",
            "refund_id": refund_id,
            "amount": amount,
            "source": "bank" if by_bank else "outside_shop",
            "at": self._clock().isoformat(),
        }
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
            reasons = (
                cancellation_reasons(error) if error_code(error) == "TransactionCanceledException" else []
            )
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return False
            with translated(Conflict, "the refund ledger changed meanwhile; read it again"):
                raise
        return True
