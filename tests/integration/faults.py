"""Faults injected at the adapter boundary: DynamoDB errors answered in place of moto's, on the wire.

A `before-send` handler on a botocore client answers a request with an error response before it leaves,
so botocore's own retry policy, the adapter's translation of the error and the use case's handling of it
all run as they do against AWS. Plus the stock-ledger audit the fault tests end with."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import stripe
from botocore.awsrequest import AWSResponse
from botocore.retries import standard

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from tests.stocked import stocked_sku

LOCATION = "wh-faults"
Predicate = Callable[[dict[str, Any]], bool]
Answer = Callable[[dict[str, Any]], AWSResponse]


def any_request(_request: dict[str, Any]) -> bool:
    return True


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def dynamodb_error(code: str, message: str = "injected", **fields: Any) -> AWSResponse:
    """DynamoDB's JSON error response for `code` (fields such as CancellationReasons beside it)."""
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message, **fields})
    headers = {"x-amzn-RequestId": uuid.uuid4().hex, "Content-Type": "application/x-amz-json-1.0"}
    return AWSResponse("https://dynamodb.local/", 400, headers, _Body(body.encode()))


def throttled(
    code: str = "ProvisionedThroughputExceededException",
) -> Answer:
    return lambda _request: dynamodb_error(code, "Rate of requests exceeds the allowed throughput.")


def cancelled(reason: str) -> Answer:
    """TransactionCanceledException with `reason` for every item of the transaction."""

    def answer(request: dict[str, Any]) -> AWSResponse:
        items = request.get("TransactItems", [])
        reasons = [{"Code": reason, "Message": "injected"} for _ in items]
        return dynamodb_error(
            "TransactionCanceledException",
            f"Transaction cancelled, please refer cancellation reasons for specific reasons [{reason}]",
            CancellationReasons=reasons,
        )

    return answer


class DynamoFaults:
    """Answers the next `times` requests of `operation` matching `when` with an injected error."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._rules: list[tuple[str, Predicate, Answer, list[int]]] = []
        self.injected: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()
        client.meta.events.register("before-send.dynamodb", self._before_send)

    def fail(
        self,
        operation: str,
        answer: Answer,
        times: int = 1,
        when: Predicate = any_request,
    ) -> None:
        self._rules.append((operation, when, answer, [times]))

    def clear(self) -> None:
        self._rules.clear()

    def _before_send(self, request: Any, **_: Any) -> AWSResponse | None:
        target = request.headers.get("X-Amz-Target", b"")
        operation = (target.decode() if isinstance(target, bytes) else str(target)).rsplit(".", 1)[-1]
        body = json.loads(request.body or b"{}")
        with self._lock:
            self.sent[operation] += 1
            for name, when, answer, left in self._rules:
                if name == operation and left[0] > 0 and when(body):
                    left[0] -= 1
                    self.injected[operation] += 1
                    # botocore calls every before-send handler and uses the first answer, so moto's
                    # would still apply the request: it gets a harmless read to answer instead.
                    request.headers["X-Amz-Target"] = b"DynamoDB_20120810.ListTables"
                    request.body = b"{}"
                    return answer(body)
        return None


def writes_key_prefix(prefix: str) -> Predicate:
    """A transaction touching an item whose PK starts with `prefix`."""

    def matches(request: dict[str, Any]) -> bool:
        for item in request.get("TransactItems", []):
            (operation,) = item.values()
            raw = operation.get("Key") or operation.get("Item") or {}
            if str(raw.get("PK", {}).get("S", "")).startswith(prefix):
                return True
        return False

    return matches


@pytest.fixture
def instant_botocore_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's standard retry mode waits up to 1, 2, 4 s between attempts: no waiting in tests."""
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


# Stripe's side of the wire
class StripeWire(stripe.HTTPClient):
    """Stripe's API as the SDK's transport sees it: PaymentIntents kept by idempotency key as Stripe keeps
    them, with scripted faults. `faults` is consumed one per request: "timeout" (no answer; nothing done),
    "timeout_after" (done at Stripe, but the answer is lost), "500", "503", or "ok"."""

    name = "faults"

    def __init__(self, faults: list[str] | None = None) -> None:
        super().__init__()
        self.faults = list(faults or [])
        self.requests: list[tuple[str, str, str | None]] = []  # method, path, Idempotency-Key
        self.intents: dict[str, dict[str, Any]] = {}
        self._by_key: dict[str, str] = {}

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0  # the SDK waits 0.5 s, then 1 s, between its retries

    def created(self, order_id: str) -> list[dict[str, Any]]:
        return [i for i in self.intents.values() if i["metadata"].get("order_id") == order_id]

    def request(
        self, method: str, url: str, headers: Any, post_data: Any = None, *, _usage: Any = None
    ) -> tuple[str, int, dict[str, str]]:
        path = urlsplit(url).path
        key = (headers or {}).get("Idempotency-Key")
        self.requests.append((method, path, key))
        fault = self.faults.pop(0) if self.faults else "ok"
        if fault == "timeout":
            raise stripe.APIConnectionError("Request timed out", should_retry=True)
        if fault in ("500", "503"):
            error = {"error": {"type": "api_error", "message": "injected"}}
            return json.dumps(error), int(fault), {}
        answer = self._answer(method, path, key, parse_qs(post_data or ""))
        if fault == "timeout_after":
            raise stripe.APIConnectionError("Request timed out", should_retry=True)
        return json.dumps(answer[0]), answer[1], {}

    def _answer(
        self, method: str, path: str, key: str | None, form: dict[str, list[str]]
    ) -> tuple[dict[str, Any], int]:
        parts = path.strip("/").split("/")  # v1, payment_intents, [id, [cancel]]
        if method == "post" and parts == ["v1", "payment_intents"]:
            if key and key in self._by_key:
                return self.intents[self._by_key[key]], 200  # Stripe replays the first answer
            intent_id = f"pi_{uuid.uuid4().hex[:14]}"
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "status": "requires_payment_method",
                "amount": int(form["amount"][0]),
                "currency": form["currency"][0],
                "client_secret": f"{intent_id}_secret",
                "metadata": {"order_id": form.get("metadata[order_id]", [""])[0]},
            }
            if key:
                self._by_key[key] = intent_id
            return self.intents[intent_id], 200
        if len(parts) >= 3 and parts[1] == "payment_intents" and parts[2] in self.intents:
            intent = self.intents[parts[2]]
            if method == "post" and parts[3:] == ["cancel"]:
                intent["status"] = "canceled"
            return intent, 200
        return {"error": {"type": "invalid_request_error", "code": "resource_missing"}}, 404

    def close(self) -> None:
        return None


# stock and its ledger
class Ledger:
    """The auditor's view of one table: stock levels and the movements that must explain them."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.client = boto3.client("dynamodb", region_name="us-east-1")

    def new_sku(self, units: int) -> str:
        """A product of its own with `units` received at LOCATION, through the catalog admin use case."""
        return stocked_sku("FLT", "fault test", **{LOCATION: units})

    def _sku_rows(self, sku: str, sort_prefix: str) -> list[dict[str, Any]]:
        rows = self.client.query(
            TableName=self.table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=to_item({":pk": f"SKU#{sku}", ":prefix": sort_prefix}),
            ConsistentRead=True,
        )["Items"]
        return [from_item(r) for r in rows]

    def level(self, sku: str) -> tuple[int, int]:
        """(on_hand, reserved) summed over every location."""
        levels = self._sku_rows(sku, "STOCK#")
        return sum(int(r.get("on_hand", 0)) for r in levels), sum(int(r.get("reserved", 0)) for r in levels)

    def movements(self, sku: str) -> Counter[str]:
        moves = Counter[str]()
        for row in self._sku_rows(sku, "MOVE#"):
            moves[row["reason"]] += int(row["quantity"])
        return moves

    def balances(self, sku: str) -> bool:
        """on_hand is what the movements add up to; reserved is what open reservations still hold."""
        moves = self.movements(sku)
        on_hand, reserved = self.level(sku)
        return (
            on_hand == moves["receipt"] + moves["adjustment"] + moves["return"] - moves["sale"]
            and reserved == moves["reservation"] - moves["release"] - moves["sale"]
        )

    def order(self, order_id: str) -> dict[str, Any] | None:
        found = self.client.get_item(
            TableName=self.table, Key=key(f"ORDER#{order_id}", "ORDER"), ConsistentRead=True
        )
        return from_item(found["Item"]) if "Item" in found else None

    def has_reservation_marker(self, order_id: str) -> bool:
        found = self.client.get_item(
            TableName=self.table, Key=key(f"ORDER#{order_id}", "RESERVATION"), ConsistentRead=True
        )
        return "Item" in found

    def orders_of_cart(self, cart_id: str) -> list[dict[str, Any]]:
        """Orders placed from the cart (no Scan on a request path; a test may scan)."""
        rows = self.client.scan(
            TableName=self.table,
            FilterExpression="#type = :order AND cart_id = :cart",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({":order": "order", ":cart": cart_id}),
            ConsistentRead=True,
        )["Items"]
        return [from_item(r) for r in rows]
