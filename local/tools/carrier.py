"""The simulated carrier's side of the local stack: `make carrier-advance ORDER=<id> [TO=...]` sends signed
tracking webhooks for the order's shipments to `POST /webhooks/carriers/simulated`, as a carrier would.

Without TO, each shipment moves one step: label_created -> in_transit -> delivered. TO=in_transit,
delivered, delivery_failed or returned_to_sender sends that status to every shipment not yet final.

Before it sends anything about a parcel the carrier scans it (`scan`): one conditional write on the parcel's
record, refused when a cancel voided the booking first. A voided parcel never moves (result `voided`).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import requests

from local.tools import ENDPOINTS_FILE, local_client, use_shared_layer

ENDPOINTS = ENDPOINTS_FILE
STACK = "commerce-local"
CARRIER = "simulated"
NEXT = {"label_created": "in_transit", "in_transit": "delivered", "delivery_failed": "in_transit"}
FINAL = {"delivered", "returned_to_sender"}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The carrier's signature (the backend checks it in commerce.adapters.carriers.verify)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _table(aws_url: str, stack: str) -> str:
    outputs = (
        local_client("cloudformation", aws_url)
        .describe_stacks(StackName=stack)["Stacks"][0]
        .get("Outputs", [])
    )
    return next(o["OutputValue"] for o in outputs if o["OutputKey"] == "MainTableName")


def webhook_secret(aws_url: str, stack: str = STACK) -> str:
    secrets = local_client("secretsmanager", aws_url)
    listed = secrets.list_secrets(Filters=[{"Key": "name", "Values": [f"{stack}-CarrierSecret"]}])[
        "SecretList"
    ]
    value = json.loads(secrets.get_secret_value(SecretId=listed[0]["ARN"])["SecretString"])
    return str(value["webhook_secret"])


def shipments(aws_url: str, order_id: str, stack: str = STACK) -> list[dict[str, Any]]:
    items = local_client("dynamodb", aws_url).query(
        TableName=_table(aws_url, stack),
        KeyConditionExpression="PK = :pk AND begins_with(SK, :s)",
        ExpressionAttributeValues={":pk": {"S": f"ORDER#{order_id}"}, ":s": {"S": "SHIPMENT#"}},
        ConsistentRead=True,
    )["Items"]
    return [
        {"id": i["id"]["S"], "tracking_number": i["tracking_number"]["S"], "status": i["status"]["S"]}
        for i in sorted(items, key=lambda i: i["SK"]["S"])
    ]


def scan(aws_url: str, tracking_number: str, stack: str = STACK) -> bool:
    """The carrier takes the parcel: False when its booking was voided first (then nothing moves)."""
    use_shared_layer()
    from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels  # noqa: PLC0415

    return DynamoParcels(local_client("dynamodb", aws_url), _table(aws_url, stack)).scan(tracking_number)


def send(api_url: str, secret: str, tracking_number: str, status: str) -> dict[str, Any]:
    body = json.dumps(
        {
            "event_id": f"evt_{uuid.uuid4().hex}",
            "tracking_number": tracking_number,
            "status": status,
            "occurred_at": datetime.now(UTC).isoformat(),
        }
    ).encode()
    response = requests.post(
        f"{api_url}/webhooks/carriers/{CARRIER}",
        data=body,
        headers={
            "content-type": "application/json",
            "x-carrier-signature": sign(secret, int(time.time()), body),
        },
        timeout=30,
    )
    response.raise_for_status()
    return dict(response.json())


def advance(
    api_url: str,
    aws_url: str,
    order_id: str,
    to: str | None = None,
    only: str | None = None,
    stack: str = STACK,
) -> list[tuple[str, str, str]]:
    """Moves the order's shipments (or the one with id `only`); [(shipment id, status sent, result)]."""
    secret = webhook_secret(aws_url, stack)
    sent = []
    for shipment in shipments(aws_url, order_id, stack):
        if (only and shipment["id"] != only) or shipment["status"] in FINAL:
            continue
        status = to or NEXT[shipment["status"]]
        if not scan(aws_url, shipment["tracking_number"], stack):
            sent.append((shipment["id"], status, "voided"))
            continue
        result = send(api_url, secret, shipment["tracking_number"], status)
        sent.append((shipment["id"], status, str(result.get("result"))))
    return sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.tools.carrier", description=__doc__)
    parser.add_argument("--order", required=True)
    parser.add_argument(
        "--to", choices=["in_transit", "delivered", "delivery_failed", "returned_to_sender"], default=None
    )
    parser.add_argument("--shipment", default=None, help="only this shipment id")
    args = parser.parse_args(argv)
    try:
        found = json.loads(ENDPOINTS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"no {ENDPOINTS}: start the local stack first (make dev)", file=sys.stderr)
        return 1
    sent = advance(found["api"], found["aws"], args.order, args.to, args.shipment)
    if not sent:
        print(f"order {args.order}: no shipment to move (none yet, or all delivered)")
    for shipment_id, status, result in sent:
        print(f"{shipment_id}: {status} ({result})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
