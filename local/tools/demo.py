"""`make demo`: one whole purchase against the running local stack, as a storefront would make it.

Browse, open a cart, add a line, check out (with an Idempotency-Key), pay the PaymentIntent with a test
card through the stripe SDK against localstripe, follow the order until it is paid; then until
fulfillment booked its shipments, move them with the simulated carrier's signed webhooks (as
`make carrier-advance` does) to in transit and delivered, and show the emails the order caused
(.local/mail/) and the documents the connectors sent about it (.local/webhooks/connectors_*/).
Start the stack first (`make dev`); its addresses come from .local/endpoints.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests
import stripe

from local.tools import ENDPOINTS_FILE, REPO, carrier

ENDPOINTS = ENDPOINTS_FILE
# localstripe checks only that a key looks like a secret key; a storefront's server would hold a real one.
DEMO_STRIPE_KEY = "sk_test_local_demo"
# The buyer, their address and the test cards (4242... pays, 0341 is declined at charge).
PURCHASE = json.loads((REPO / "local" / "demo_data" / "purchase.json").read_text(encoding="utf-8"))
CARDS: dict[str, str] = PURCHASE["cards"]
BUYER: dict[str, Any] = PURCHASE["buyer"]
FINAL = {"paid", "cancelled", "on_hold", "fulfilling", "shipped", "delivered"}


class DemoError(RuntimeError):
    pass


def _step(title: str, detail: str = "") -> None:
    print(f"\n== {title}" + (f"\n   {detail}" if detail else ""), flush=True)


def _check(response: requests.Response, expected: int) -> Any:
    if response.status_code != expected:
        raise DemoError(
            f"{response.request.method} {response.url} answered {response.status_code}: {response.text}"
        )
    return response.json() if response.content else None


def money(amount: dict[str, Any]) -> str:
    return f"{amount['amount']} {amount['currency']} (minor units)"


def endpoints(path: Path = ENDPOINTS) -> dict[str, str]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoError(f"no {path}: start the local stack first (make dev)") from None
    missing = {"api", "stripe"} - set(found)
    if missing:
        raise DemoError(f"{path} names no {', '.join(sorted(missing))}: is the stack up to date?")
    return {str(k): str(v) for k, v in found.items()}


def pick_variant(api: str, session: requests.Session) -> tuple[str, str, dict[str, Any]]:
    page = _check(session.get(f"{api}/products", params={"limit": "20"}, timeout=10), 200)
    for product in page["items"]:
        for variant in product["variants"]:
            if variant["availability"] != "out_of_stock":
                return product["name"], variant["sku"], variant["price"]
    raise DemoError("no product in stock on the first page")


def pay(stripe_url: str, intent_id: str, card: str) -> str:
    client = stripe.StripeClient(DEMO_STRIPE_KEY, base_addresses={"api": stripe_url})
    method = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    # localstripe does not implement confirm(payment_method=...): attach it with an update, then confirm.
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    try:
        return str(client.v1.payment_intents.confirm(intent_id).status)
    except stripe.CardError as error:
        return f"declined ({error.code})"


def follow(api: str, session: requests.Session, order_id: str, token: str, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    seen = ""
    while True:
        order: dict[str, Any] = _check(
            session.get(f"{api}/orders/{order_id}", headers={"X-Order-Token": token}, timeout=10), 200
        )
        if order["status"] != seen:
            seen = order["status"]
            print(f"   status: {seen} (payment {order['payment']['status']})", flush=True)
        # A declined card leaves the order waiting for another one (until its reservation ends).
        declined = order["payment"]["status"] == "failed"
        if order["status"] in FINAL or declined or time.monotonic() > deadline:
            return order
        time.sleep(0.25)


def run(card: str = CARDS["visa"], wait_seconds: float = 60.0, path: Path = ENDPOINTS) -> dict[str, Any]:
    urls = endpoints(path)
    api, session = urls["api"], requests.Session()

    name, sku, price = pick_variant(api, session)
    _step("Browse", f"{name}: SKU {sku} at {money(price)}")

    cart = _check(session.post(f"{api}/carts", json={"currency": price["currency"]}, timeout=10), 201)
    cart_headers = {"X-Cart-Token": cart["token"]}
    _step("Create a cart", f"cart {cart['id']}")

    cart = _check(
        session.put(
            f"{api}/carts/{cart['id']}/lines/{sku}", json={"quantity": 1}, headers=cart_headers, timeout=10
        ),
        200,
    )
    _step("Add a line", f"1 x {sku}; subtotal {money(cart['totals']['subtotal'])}")

    # shipping connector: the zone rate beside the simulated carrier's quotes
    rates = _check(
        session.get(
            f"{api}/carts/{cart['id']}/shipping-rates",
            params={k: BUYER["shipping_address"][k] for k in ("country", "postal_code")},
            headers=cart_headers,
            timeout=10,
        ),
        200,
    )
    _step(
        "Shipping rates",
        f"{rates['weight_grams']} g from {rates['origin_location']}, live rates {rates['live_rates']}",
    )
    for option in rates["options"]:
        days = f"{option['min_days']}-{option['max_days']} days"
        print(f"   {option['service_code']}: {money(option['price'])} ({days}, {option['source']})")

    key = str(uuid.uuid4())
    body = {"cart_id": cart["id"], **BUYER}
    checkout = _check(
        session.post(
            f"{api}/checkout", json=body, headers={**cart_headers, "Idempotency-Key": key}, timeout=30
        ),
        201,
    )
    order_id, intent_id = checkout["order_id"], checkout["payment"]["payment_intent_id"]
    total = money(checkout["totals"]["total"])
    _step("Check out", f"order {order_id}, {checkout['status']}, total {total}; PaymentIntent {intent_id}")

    _step(
        "Pay with card", f"{card[:4]} .... {card[-4:]}: PaymentIntent {pay(urls['stripe'], intent_id, card)}"
    )

    _step("Follow the order", f"GET /orders/{order_id} with its X-Order-Token")
    order = follow(api, session, order_id, checkout["order_token"], wait_seconds)

    if order["status"] in ("paid", "fulfilling") and "aws" in urls:
        order = deliver(urls, session, order_id, checkout["order_token"], wait_seconds)

    _step("Timeline")
    for entry in order["timeline"]:
        detail = f"  ({entry['detail']})" if entry.get("detail") else ""
        print(f"   {entry['at']}  {entry['event']}{detail}")

    show_emails(path.parent / "mail", order_id, wait_seconds)
    show_connector_documents(path.parent / "webhooks", order_id)
    return order


# fulfillment, the simulated carrier and the emails
def _until(check: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    raise DemoError(f"nothing after {seconds} s")


def deliver(
    urls: dict[str, str], session: requests.Session, order_id: str, token: str, seconds: float
) -> dict[str, Any]:
    def status() -> str:
        found = session.get(f"{urls['api']}/orders/{order_id}", headers={"X-Order-Token": token}, timeout=10)
        return str(_check(found, 200)["status"])

    parcels = _until(lambda: carrier.shipments(urls["aws"], order_id), seconds)
    _step("Fulfillment", f"status {status()}: {len(parcels)} shipment(s) booked with the simulated carrier")
    for parcel in parcels:
        print(f"   {parcel['id']}: tracking {parcel['tracking_number']} ({parcel['status']})")
    for to, expected in (("in_transit", "shipped"), ("delivered", "delivered")):
        sent = carrier.advance(urls["api"], urls["aws"], order_id, to)
        _step(f"Carrier webhook: {to}", ", ".join(f"{sid} {result}" for sid, _, result in sent))
        _until(lambda expected=expected: status() == expected, seconds)
        print(f"   status: {expected}")
    return dict(
        _check(
            session.get(f"{urls['api']}/orders/{order_id}", headers={"X-Order-Token": token}, timeout=10), 200
        )
    )


def show_emails(mail_dir: Path, order_id: str, seconds: float, expected: int = 3) -> list[Path]:
    """Prints the emails about the order the stack wrote to .local/mail/ (waiting for the last ones)."""

    def found() -> list[Path]:
        mine = [p for p in sorted(mail_dir.glob("*.eml")) if order_id in p.read_text(encoding="utf-8")]
        return mine if len(mine) >= expected else []

    try:
        emails = _until(found, min(seconds, 15.0))
    except DemoError:
        emails = [p for p in sorted(mail_dir.glob("*.eml")) if order_id in p.read_text(encoding="utf-8")]
    _step("Emails", f"{len(emails)} in {mail_dir}")
    for email in emails:
        print("   " + "-" * 72)
        print("\n".join("   " + line for line in email.read_text(encoding="utf-8").splitlines()))
    return list(emails)


def show_connector_documents(webhooks_dir: Path, order_id: str) -> list[Path]:
    """Lists what the connectors sent about the order to `make dev`'s receiver (docs/integrations.md)."""
    documents = sorted(
        p
        for p in webhooks_dir.glob("connectors_*/*.json")
        if order_id in p.name or order_id in p.read_text(encoding="utf-8")
    )
    _step("Connectors", f"{len(documents)} documents in {webhooks_dir}/connectors_*")
    for document in documents:
        record = json.loads(document.read_text(encoding="utf-8"))
        kind = record["headers"].get("commerce-event-type", "?")
        verified = "signature verified" if record.get("signature_verified") else "signature NOT verified"
        print(f"   {document.parent.name}: {kind} ({verified})")
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.tools.demo", description=__doc__)
    parser.add_argument(
        "--card", choices=sorted(CARDS), default="visa", help="visa pays; declined is refused"
    )
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the order to settle")
    parser.add_argument("--endpoints-file", type=Path, default=ENDPOINTS)
    args = parser.parse_args(argv)
    try:
        order = run(CARDS[args.card], args.wait, args.endpoints_file)
    except (DemoError, requests.RequestException, stripe.StripeError) as error:
        print(f"\nThe demo stopped: {error}", file=sys.stderr)
        return 1
    print(f"\nOrder {order['id']} is {order['status']}.")
    if args.card == "declined":
        print("The card was declined: the order waits for another card until its reservation ends.")
    expected = "delivered" if args.card == "visa" else "pending_payment"
    return 0 if order["status"] == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
