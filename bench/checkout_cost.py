"""What one order costs in AWS calls and dollars, and how long checkout takes, on the local stack.

    .venv/bin/python bench/checkout_cost.py [--orders 20] [--browse 50]

It starts a local stack in this process (moto, the template's functions, localstripe), then makes N whole
purchases one after the other as a storefront would (cart, line, POST /checkout, the PaymentIntent paid
with card 4242 in localstripe, its signed webhook, the workflow to `paid`), and counts, while they run:

- every AWS API call the functions make, by service and operation (botocore's `_make_api_call`, the one
  door of every client of the process; the bench's own calls are left out);
- DynamoDB capacity: each DynamoDB call is sent with ReturnConsumedCapacity=TOTAL and its
  ConsumedCapacity summed (read and write units as moto reports them: its patched transactions cost what
  they touch, as DynamoDB's do);
- Lambda invocations and their in-process duration (every call through the local Lambda runtime);
- Step Functions state transitions of each order's execution (moto's get_execution_history);
- EventBridge entries put by the functions and by the state machine's `events:putEvents` tasks (moto's
  engine makes those through botocore too, as it does the `lambda:invoke` tasks: both show in the call
  table, and a task's Lambda Invoke is billed as a Lambda request, not as an API call).

It then prices them per 1,000 orders at the published on-demand prices in PRICES, and prints checkout
latency (POST /checkout, median and p95) beside a plain GET /products in the same run. A measurement, not a
test: it asserts nothing. Local latencies are a laptop's, not Lambda's; they show the shape, not AWS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import requests
import stripe
from botocore.client import BaseClient

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "layers" / "shared")]

from local.lambdas import LambdaRuntime  # noqa: E402
from local.stack import LocalStack  # noqa: E402

PRICES_AS_OF = "2025-06 (us-east-1, on-demand, list prices)"
PRICES = {
    "lambda_request": 0.20 / 1e6,  # per invocation
    "lambda_gb_second_arm64": 0.0000133334,
    "api_http_request": 1.00 / 1e6,  # HTTP API, first 300 million a month
    "dynamodb_write_unit": 0.625 / 1e6,  # on-demand write request unit
    "dynamodb_read_unit": 0.125 / 1e6,  # on-demand read request unit
    "sfn_standard_transition": 0.025 / 1000,
    "eventbridge_custom_event": 1.00 / 1e6,
    "secrets_manager_call": 0.05 / 10_000,
    "sqs_request": 0.40 / 1e6,
    "kms_request": 0.03 / 10_000,
}
LAMBDA_MEMORY_GB = 1.0  # Globals: MemorySize 1024
VISA = "4242424242424242"
SHIPPING = {
    "recipient_name": "Bench Buyer",
    "line1": "1 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}
_CAPACITY_OPERATIONS = {
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactWriteItems",
    "TransactGetItems",
}


class Meter:
    """Counts the process's AWS calls (except the bench's own thread) and Lambda invocations."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        self.read_units = 0.0
        self.write_units = 0.0
        self.invocations: Counter[str] = Counter()
        self.lambda_seconds = 0.0
        self.event_entries = 0
        self.on = False
        self._lock = threading.Lock()
        self._bench_thread = threading.get_ident()

    @contextmanager
    def installed(self) -> Iterator[None]:
        original_call: Callable[..., Any] = BaseClient._make_api_call
        original_invoke: Callable[..., Any] = LambdaRuntime.invoke
        meter = self

        def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            counted = meter.on and threading.get_ident() != meter._bench_thread
            service = client.meta.service_model.service_id
            if counted and service == "DynamoDB" and operation in _CAPACITY_OPERATIONS:
                params = {**params, "ReturnConsumedCapacity": "TOTAL"}
            result = original_call(client, operation, params)
            if counted:
                meter._count(service, operation, params, result)
            return result

        def invoke(runtime: LambdaRuntime, name: str, event: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_invoke(runtime, name, event)
            finally:
                if meter.on:
                    spec = runtime.find(name)
                    with meter._lock:
                        meter.invocations[spec.logical_id if spec else name] += 1
                        meter.lambda_seconds += time.perf_counter() - started

        BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]
        LambdaRuntime.invoke = invoke  # type: ignore[method-assign]
        try:
            yield
        finally:
            BaseClient._make_api_call = original_call  # type: ignore[method-assign]
            LambdaRuntime.invoke = original_invoke  # type: ignore[method-assign]

    def _count(self, service: str, operation: str, params: dict[str, Any], result: Any) -> None:
        consumed = result.get("ConsumedCapacity") if isinstance(result, dict) else None
        entries = [consumed] if isinstance(consumed, dict) else list(consumed or [])
        with self._lock:
            self.calls[(service, operation)] += 1
            if operation == "PutEvents":
                self.event_entries += len(params.get("Entries", []))
            for entry in entries:
                read = entry.get("ReadCapacityUnits")
                write = entry.get("WriteCapacityUnits")
                total = float(entry.get("CapacityUnits", 0))
                if read is None and write is None:
                    # moto reports only the total: a write operation's units are write units.
                    is_read = operation in ("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems")
                    read, write = (total, 0.0) if is_read else (0.0, total)
                self.read_units += float(read or 0)
                self.write_units += float(write or 0)


class Storefront:
    def __init__(self, stack: LocalStack) -> None:
        self.api = stack.api_url
        self.session = requests.Session()
        self.stripe = stripe.StripeClient(stack.stripe_keys.api_key, base_addresses={"api": stack.stripe_url})

    def sku(self) -> str:
        products = self.session.get(f"{self.api}/products", params={"limit": "20"}, timeout=30).json()[
            "items"
        ]
        for product in products:
            for variant in product["variants"]:
                if variant["availability"] == "in_stock":
                    return str(variant["sku"])
        raise RuntimeError("no SKU in stock on the first page")

    def purchase(self, sku: str) -> tuple[str, float]:
        cart = self.session.post(f"{self.api}/carts", json={"currency": "EUR"}, timeout=30).json()
        headers = {"X-Cart-Token": cart["token"]}
        self.session.put(
            f"{self.api}/carts/{cart['id']}/lines/{sku}", json={"quantity": 1}, headers=headers, timeout=30
        )
        # One email per order: fraud screening holds many orders from one address for review.
        email = f"bench.{uuid.uuid4().hex[:8]}@example.com"
        body = {"cart_id": cart["id"], "email": email, "shipping_address": SHIPPING}
        started = time.perf_counter()
        response = self.session.post(
            f"{self.api}/checkout",
            json=body,
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            timeout=60,
        )
        latency = time.perf_counter() - started
        if response.status_code != 201:
            raise RuntimeError(f"checkout answered {response.status_code}: {response.text}")
        placed = response.json()
        intent_id = placed["payment"]["payment_intent_id"]
        method = self.stripe.v1.payment_methods.create(
            params={"type": "card", "card": {"number": VISA, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
        )
        self.stripe.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
        self.stripe.v1.payment_intents.confirm(intent_id)
        return str(placed["order_id"]), latency

    def browse_latency(self) -> float:
        started = time.perf_counter()
        self.session.get(f"{self.api}/products", params={"limit": "20"}, timeout=30).raise_for_status()
        return time.perf_counter() - started


def execution_arn(stack: LocalStack, order_id: str) -> str:
    assert stack.deployment is not None
    machine = stack.deployment.physical_ids["OrderStateMachine"]
    return machine.replace(":stateMachine:", ":execution:") + f":{order_id}"


def wait_until_done(sfn: Any, arn: str, seconds: float = 20.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status = str(sfn.describe_execution(executionArn=arn)["status"])
        except sfn.exceptions.ExecutionDoesNotExist:
            status = "STARTING"
        if status not in {"RUNNING", "STARTING"}:
            return status
        time.sleep(0.1)
    return "TIMED_OUT_WAITING"


def transitions(sfn: Any, arn: str) -> int:
    """State transitions as Step Functions bills them: one per state entered."""
    events: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = sfn.get_execution_history(
            executionArn=arn, maxResults=1000, **({"nextToken": token} if token else {})
        )
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            break
    return sum(1 for e in events if str(e["type"]).endswith("StateEntered"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def report(
    meter: Meter,
    orders: int,
    sfn_transitions: int,
    checkout: list[float],
    browse: list[float],
) -> None:
    per = 1000 / orders
    api_requests = sum(
        count for name, count in meter.invocations.items() if name not in ("OrderWorkflowFunction",)
    )
    costs = {
        "Lambda requests": sum(meter.invocations.values()) * PRICES["lambda_request"],
        "Lambda duration (arm64, 1 GB, local time)": meter.lambda_seconds
        * LAMBDA_MEMORY_GB
        * PRICES["lambda_gb_second_arm64"],
        "API Gateway HTTP API": api_requests * PRICES["api_http_request"],
        "DynamoDB writes": meter.write_units * PRICES["dynamodb_write_unit"],
        "DynamoDB reads": meter.read_units * PRICES["dynamodb_read_unit"],
        "Step Functions transitions": sfn_transitions * PRICES["sfn_standard_transition"],
        "EventBridge events": meter.event_entries * PRICES["eventbridge_custom_event"],
        "Secrets Manager": sum(c for (s, _), c in meter.calls.items() if s == "Secrets Manager")
        * PRICES["secrets_manager_call"],
        "SQS": sum(c for (s, _), c in meter.calls.items() if s == "SQS") * PRICES["sqs_request"],
    }
    today = dt.datetime.now(dt.UTC).date().isoformat()
    print(f"# Checkout cost, {today}, {platform.machine()} {platform.python_version()}")
    print(f"\n{orders} purchases (cart, line, checkout, card paid, webhook, workflow to paid).\n")
    print("| AWS API call | per order |\n| --- | ---: |")
    for (service, operation), count in sorted(meter.calls.items()):
        print(f"| {service} {operation} | {count / orders:.2f} |")
    print("\n| what | per order |\n| --- | ---: |")
    print(f"| Lambda invocations | {sum(meter.invocations.values()) / orders:.2f} |")
    for name, count in sorted(meter.invocations.items()):
        print(f"| ... {name} | {count / orders:.2f} |")
    print(f"| Lambda time in handlers (local) | {meter.lambda_seconds / orders * 1000:.0f} ms |")
    print(f"| DynamoDB read units | {meter.read_units / orders:.1f} |")
    print(f"| DynamoDB write units | {meter.write_units / orders:.1f} |")
    print(f"| Step Functions state transitions | {sfn_transitions / orders:.1f} |")
    entries = meter.event_entries / orders
    print(f"| EventBridge entries (functions + state machine) | {entries:.1f} |")
    print(f"\nPrices used ({PRICES_AS_OF}):\n\n| item | USD |\n| --- | ---: |")
    for item, price in PRICES.items():
        print(f"| {item} | {price:.10f} |")
    print("\n| cost per 1,000 orders | USD |\n| --- | ---: |")
    for item, cost in costs.items():
        print(f"| {item} | {cost * per:.4f} |")
    print(f"| **total** | **{sum(costs.values()) * per:.4f}** |")
    print("\n| latency (local, in-process) | median | p95 |\n| --- | ---: | ---: |")
    for route, times in (("POST /checkout", checkout), ("GET /products", browse)):
        median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        print(f"| {route} | {median:.0f} ms | {p95:.0f} ms |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/checkout_cost.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--browse", type=int, default=50, help="GET /products calls timed beside checkout")
    args = parser.parse_args(argv)
    meter = Meter()
    with (
        meter.installed(),
        LocalStack.quiet_on_free_ports("bench") as stack,
    ):
        shop = Storefront(stack)
        sfn = boto3.client("stepfunctions")
        sku = shop.sku()
        shop.purchase(sku)  # warm-up: every function's first call, out of the count
        meter.on = True
        order_ids, checkout = [], []
        for _ in range(args.orders):
            order_id, latency = shop.purchase(sku)
            order_ids.append(order_id)
            checkout.append(latency)
            status = wait_until_done(sfn, execution_arn(stack, order_id))
            if status != "SUCCEEDED":
                print(f"order {order_id}: execution {status}", file=sys.stderr)
        time.sleep(0.5)  # webhooks of the last order still in flight are part of its cost
        meter.on = False
        arns = [execution_arn(stack, order_id) for order_id in order_ids]
        sfn_transitions = sum(transitions(sfn, arn) for arn in arns)
        browse = [shop.browse_latency() for _ in range(args.browse)]
        report(meter, args.orders, sfn_transitions, checkout, browse)
    print(json.dumps({"orders": args.orders}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
