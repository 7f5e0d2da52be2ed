"""`make event-sample NAME=<sample> [ARGS="CART_ID=... CART_TOKEN=..."]`: one sample from events/, filled
in and signed, ready for `sam local invoke <Function> -e -` against a deployed stack.

Placeholder words (CART_ID, SKU, ...) take the values given as NAME=VALUE, else a default; the ones naming
something of the deployed stack (a cart, an order) have none and must be given. Signed samples get their
signature from `--secret stripe=whsec_...` (or `carrier=...`), else STRIPE_WEBHOOK_SECRET or
CARRIER_WEBHOOK_SECRET in the environment, else the stack's own secret read with boto3 (`--stack`, the
deployed stack of samconfig.toml by default; `--local` for the running local stack).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import tomllib
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from local.tools import ENDPOINTS_FILE, REPO, local_client
from local.tools.carrier import sign

EVENTS = REPO / "events"
INDEX = EVENTS / "index.json"

DEFAULTS: dict[str, Callable[[], str]] = {
    "EVENT_ID": lambda: f"evt_{uuid.uuid4().hex}",
    "EB_ID": lambda: str(uuid.uuid4()),
    "MESSAGE_ID": lambda: str(uuid.uuid4()),
    "RECEIPT": lambda: uuid.uuid4().hex,
    "IDEMPOTENCY_KEY": lambda: str(uuid.uuid4()),
    "BATCH_ID": lambda: f"batch-{uuid.uuid4().hex[:8]}",
    "ETAG": lambda: uuid.uuid4().hex,
    "VERSION_ID": lambda: uuid.uuid4().hex,
    "DAY": lambda: str(datetime.now(UTC).date() - timedelta(days=1)),
    "SKU": lambda: "TEE-ORG-BLK-S",
    "PRODUCT_ID": lambda: "prd-0001",
    "LOCALE": lambda: "fr",
    "COUNTRY": lambda: "FR",
    "POSTAL_CODE": lambda: "75001",
    "DISCOUNT_CODE": lambda: "WELCOME10",
    "STATUS": lambda: "in_transit",
    "CHANNEL_ID": lambda: "marketplace:demo-market",
    "CUSTOMER_SUB": lambda: "demo-customer",
    # API Gateway checks the token and hands the function its claims; `sam local invoke` checks nothing.
    "CUSTOMER_JWT": lambda: "checked-by-api-gateway",
}
# Things of the deployed stack: no default would name one that exists.
REQUIRED = {
    "CART_ID": "a cart's id (POST /carts answers it)",
    "CART_TOKEN": "that cart's token (POST /carts answers it)",
    "ORDER_ID": "an order's id (POST /checkout answers it)",
    "ORDER_TOKEN": "that order's token (POST /checkout answers it)",
    "PAYMENT_INTENT_ID": "the order's PaymentIntent (POST /checkout answers it)",
    "SHIPMENT_ID": "a shipment's id (GET /orders/{id} lists them)",
    "TRACKING_NUMBER": "a shipment's tracking number",
    "TASK_TOKEN": "the Step Functions task token of a waiting execution",
    "BUCKET": "the ERP drop bucket's name",
    "OBJECT_KEY": "the dropped file's key, under erp/stock/",
    "ERP_KEY": "an ERP API key (POST /admin/integrations/erp/keys answers it)",
    "CHANNEL_KEY": "the channel's API key (POST /admin/channels/{id}/api-keys answers it)",
}
# Signature placeholder: (the signer's name, the template's secret holding its webhook_secret).
SIGNATURES = {
    "STRIPE_SIGNATURE": ("stripe", "StripeSecret"),
    "CARRIER_SIGNATURE": ("carrier", "CarrierSecret"),
}
PLACEHOLDER = re.compile(rf"(?<![A-Z_])({'|'.join((*DEFAULTS, *REQUIRED, *SIGNATURES))})(?![A-Z_])")


class SampleError(ValueError):
    """Why the sample cannot be filled, in words for the person at the terminal."""


def index() -> dict[str, dict[str, str]]:
    """Each sample's file name: the template function it is for and the kind of event it is."""
    return dict(json.loads(INDEX.read_text(encoding="utf-8")))


def sample_path(name: str) -> Path:
    path = EVENTS / (name if name.endswith(".json") else f"{name}.json")
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in EVENTS.glob("*.json") if p != INDEX))
        raise SampleError(f"no sample {name!r} in events/; there are: {known}")
    return path


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fill(name: str, values: Mapping[str, str], secrets: Callable[[str, str], str]) -> dict[str, Any]:
    """The sample with every placeholder replaced (in one pass: a value put in is never scanned again) and
    its signature header computed over the filled body with `secrets(signer, secret_logical_id)`."""
    text = sample_path(name).read_text(encoding="utf-8")
    found = placeholders(text)
    missing = sorted(p for p in found & set(REQUIRED) if p not in values)
    if missing:
        needs = "; ".join(f"{p}: {REQUIRED[p]}" for p in missing)
        raise SampleError(f"{name} needs {', '.join(missing)} (as NAME=VALUE): {needs}")
    chosen = {p: values[p] if p in values else DEFAULTS[p]() for p in found - set(SIGNATURES)}
    chosen |= {p: p for p in found & set(SIGNATURES)}
    unsafe = sorted(p for p, value in chosen.items() if re.search(r'["\\\x00-\x1f]', value))
    if unsafe:
        raise SampleError(f"{', '.join(unsafe)}: a value may hold no quote, backslash or control character")
    event: dict[str, Any] = json.loads(PLACEHOLDER.sub(lambda m: chosen[m.group(0)], text))
    headers = event.get("headers") or {}
    for header, value in headers.items():
        if value in SIGNATURES:
            signer, secret_id = SIGNATURES[value]
            body = str(event.get("body") or "").encode()
            # Stripe signs as the carrier does: t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>">.
            headers[header] = sign(secrets(signer, secret_id), int(time.time()), body)
    return event


def secret_finder(given: Mapping[str, str], stack: str, endpoint: str | None) -> Callable[[str, str], str]:
    def secret(signer: str, secret_id: str) -> str:
        found = given.get(signer) or os.environ.get(f"{signer.upper()}_WEBHOOK_SECRET")
        return found or stack_secret(stack, secret_id, endpoint)

    return secret


def stack_secret(stack: str, secret_id: str, endpoint: str | None) -> str:
    """The webhook_secret in one of the stack's Secrets Manager secrets, with the caller's AWS credentials
    (or, with an endpoint, the local stack's dummy ones)."""
    try:
        if endpoint:
            # The local stack creates secrets beside the stack, named after it (local/template_secrets.py).
            secrets = local_client("secretsmanager", endpoint)
            listed = secrets.list_secrets(Filters=[{"Key": "name", "Values": [f"{stack}-{secret_id}"]}])
            arn = listed["SecretList"][0]["ARN"]
        else:
            secrets = boto3.client("secretsmanager")
            arn = boto3.client("cloudformation").describe_stack_resource(
                StackName=stack, LogicalResourceId=secret_id
            )["StackResourceDetail"]["PhysicalResourceId"]
        value = secrets.get_secret_value(SecretId=arn)["SecretString"]
    except (BotoCoreError, ClientError, IndexError) as error:
        raise SampleError(f"no {secret_id} of stack {stack} to sign with ({error}): give --secret") from error
    return str(json.loads(value)["webhook_secret"])


def deployed_stack() -> str:
    config = tomllib.loads((REPO / "samconfig.toml").read_text(encoding="utf-8"))
    return str(
        config.get("default", {}).get("deploy", {}).get("parameters", {}).get("stack_name", "commerce")
    )


def _pairs(items: list[str], what: str) -> dict[str, str]:
    pairs = dict(item.split("=", 1) for item in items if "=" in item)
    if len(pairs) != len(items):
        raise SampleError(f"give {what} as NAME=VALUE: {' '.join(i for i in items if '=' not in i)}")
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.tools.event_sample", description=__doc__)
    parser.add_argument("name", help="a sample of events/, with or without .json")
    parser.add_argument("values", nargs="*", metavar="NAME=VALUE", help="placeholder values")
    parser.add_argument("--secret", action="append", default=[], metavar="stripe=|carrier=SECRET")
    parser.add_argument("--stack", default=None, help="the deployed stack to read secrets from")
    parser.add_argument("--local", action="store_true", help="read secrets from the running local stack")
    args = parser.parse_args(argv)
    try:
        endpoint = None
        if args.local:
            endpoint = json.loads(ENDPOINTS_FILE.read_text(encoding="utf-8"))["aws"]
        stack = args.stack or ("commerce-local" if args.local else deployed_stack())
        secrets = secret_finder(_pairs(args.secret, "--secret"), stack, endpoint)
        event = fill(args.name, _pairs(args.values, "placeholder values"), secrets)
    except (SampleError, OSError, KeyError) as error:
        print(f"event-sample: {error}", file=sys.stderr)
        return 1
    entry = index().get(sample_path(args.name).name, {})
    print(json.dumps(event, indent=2, ensure_ascii=False))
    if entry:
        print(f"# sam local invoke {entry['function']} -e -", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
