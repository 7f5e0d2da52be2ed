"""One paid order's world for the model-based test: the real services on the real DynamoDB adapters (moto
tables built from template.yaml), a Stripe double, a recording bus, and crashes at adapter boundaries.

- `FakeStripe` is the PaymentGateway as Stripe behaves where money is concerned: a refund's idempotency key
  names it (the same key again is the same refund, nothing more), `amount_refunded` is cumulative, a refund
  above what is left of the capture or of a disputed charge is refused. It queues the signed webhook
  events Stripe would send (payment_intent.succeeded, charge.refunded, charge.dispute.*), which the test
  delivers in any order, as often as it likes.
- `Bus` records every published DomainEvent (consumers drop a repeated event id; so do the invariants).
- `Faults` wraps every adapter a service is given: the n-th adapter call of the next operation raises
  `Crash` (a BaseException, as a Lambda that dies runs no `except Exception`) before or after its effect,
  or runs another whole operation at that boundary (two requests racing).
- `World` wires the services as commerce/bootstrap.py does, with these doubles in place of AWS' outside.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import stripe

from commerce import bootstrap
from commerce.adapters.carriers import SimulatedCarrier
from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.adapters.dynamodb.fulfillment import DynamoShipments
from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.payment_events import DynamoPaymentEventLog
from commerce.adapters.dynamodb.refunds import DynamoPendingRefunds, DynamoRefundLedger
from commerce.adapters.dynamodb.returns import DynamoReturns
from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels
from commerce.adapters.stripe_webhooks import StripeWebhookVerifier
from commerce.config import Settings
from commerce.domain.customer import AddressInput
from commerce.domain.errors import DependencyFailed, InvalidState, NotFound
from commerce.domain.events import DomainEvent
from commerce.domain.fraud import FraudPolicy
from commerce.domain.order import Order
from commerce.domain.ports import PaymentIntent
from commerce.services.after_sales import AfterSales
from commerce.services.checkout import Checkout, CheckoutRequest
from commerce.services.fulfillment import CarrierEvents, Fulfillment
from commerce.services.order_workflow import OrderWorkflow
from commerce.services.outbox import OutboxRelay
from commerce.services.payment_events import PaymentEvents
from commerce.services.returns import Returns
from tests.fakes.orders import InMemoryWorkflow

WEBHOOK_SECRET = "whsec_model"
LOCATION = "wh-model"


# Stripe
@dataclass
class StripeRefund:
    id: str
    amount: int
    key: str | None  # the idempotency key the shop sent; None for one made in the dashboard


@dataclass
class StripeCharge:
    intent_id: str
    order_id: str
    amount: int
    currency: str  # lower case, as Stripe writes it
    status: str = "requires_payment_method"
    refunds: list[StripeRefund] = field(default_factory=list)
    dispute: dict[str, Any] | None = None

    @property
    def captured(self) -> int:
        return self.amount if self.status == "succeeded" else 0

    @property
    def amount_refunded(self) -> int:
        return sum(r.amount for r in self.refunds)

    @property
    def lost_to_dispute(self) -> int:
        return int(self.dispute["amount"]) if self.dispute and self.dispute["status"] == "lost" else 0


class FakeStripe:
    """PaymentGateway double; `pending` holds the webhook events sent and not yet acknowledged."""

    def __init__(self) -> None:
        self.charges: dict[str, StripeCharge] = {}
        self._by_key: dict[str, tuple[str, StripeRefund]] = {}
        self.pending: list[str] = []  # signed bodies Stripe still (re)tries
        self.delivered: list[str] = []  # acknowledged once; Stripe may send them again

    # -- the PaymentGateway port
    def create_intent(self, order: Order) -> PaymentIntent:
        for charge in self.charges.values():
            if charge.order_id == order.id:
                return self._intent(charge)
        return self._intent(self.add_intent(order.id, order.totals.total.amount, order.currency))

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        charge = self._charge(intent_id)
        if charge.status == "succeeded":
            raise InvalidState("the payment is not in a state that allows this")
        charge.status = "canceled"
        return self._intent(charge)

    def refund(self, intent_id: str, amount: int, idempotency_key: str | None = None) -> str:
        charge = self._charge(intent_id)
        if idempotency_key and idempotency_key in self._by_key:
            seen_intent, refund = self._by_key[idempotency_key]
            if (seen_intent, refund.amount) != (intent_id, amount):
                raise DependencyFailed("idempotency key reused with other parameters")
            return refund.id  # Stripe answers the first request's result, and does nothing more
        refund = self._refund(charge, amount, idempotency_key)
        if idempotency_key:
            self._by_key[idempotency_key] = (intent_id, refund)
        return refund.id

    def retrieve(self, intent_id: str) -> PaymentIntent:
        return self._intent(self._charge(intent_id))

    # -- what happens at Stripe without the shop asking
    def add_intent(self, order_id: str, amount: int, currency: str) -> StripeCharge:
        intent_id = f"pi_{uuid.uuid4().hex[:14]}"
        self.charges[intent_id] = StripeCharge(intent_id, order_id, amount, currency.lower())
        return self.charges[intent_id]

    def capture(self, intent_id: str) -> None:
        """The buyer confirmed the payment: captured, and payment_intent.succeeded sent."""
        charge = self._charge(intent_id)
        charge.status = "succeeded"
        intent = {
            "id": charge.intent_id,
            "object": "payment_intent",
            "amount": charge.amount,
            "amount_received": charge.amount,
            "currency": charge.currency,
            "status": "succeeded",
            "metadata": {"order_id": charge.order_id},
        }
        self._send("payment_intent.succeeded", intent)

    def dashboard_refund(self, intent_id: str, amount: int) -> None:
        """Someone refunds in the Stripe dashboard: no idempotency key of the shop's."""
        self._refund(self._charge(intent_id), amount, None)

    def open_dispute(self, intent_id: str) -> None:
        charge = self._charge(intent_id)
        if charge.status != "succeeded" or charge.dispute is not None:
            raise InvalidState("nothing to dispute")
        amount = charge.amount - charge.amount_refunded
        if amount <= 0:
            raise InvalidState("refunded in full: nothing to dispute")
        charge.dispute = {
            "id": f"dp_{uuid.uuid4().hex[:12]}",
            "object": "dispute",
            "charge": f"ch_{charge.intent_id}",
            "payment_intent": charge.intent_id,
            "amount": amount,
            "currency": charge.currency,
            "status": "needs_response",
            "reason": "fraudulent",
            "metadata": {},
        }
        self._send("charge.dispute.created", dict(charge.dispute))

    def close_dispute(self, intent_id: str, status: str) -> None:
        charge = self._charge(intent_id)
        if charge.dispute is None or charge.dispute["status"] != "needs_response":
            raise InvalidState("no open dispute")
        charge.dispute["status"] = status
        self._send("charge.dispute.closed", dict(charge.dispute))

    # -- reading it
    def of_order(self, intent_id: str | None) -> StripeCharge | None:
        return self.charges.get(intent_id or "")

    def shop_refund_ids(self, intent_id: str, order_id: str) -> dict[str, int]:
        """{shop refund id: amount} from the idempotency keys `<order id>-<refund id>` the shop sent."""
        prefix = f"{order_id}-"
        return {
            key[len(prefix) :]: refund.amount
            for key, (seen, refund) in self._by_key.items()
            if seen == intent_id and key.startswith(prefix)
        }

    # -- plumbing
    def _refund(self, charge: StripeCharge, amount: int, key: str | None) -> StripeRefund:
        if charge.status != "succeeded":
            raise DependencyFailed("the payment provider refused the request")  # nothing captured
        if charge.dispute is not None and charge.dispute["status"] in ("needs_response", "lost"):
            raise DependencyFailed("the payment provider refused the request")  # charge_disputed
        if amount <= 0 or charge.amount_refunded + amount > charge.amount:
            raise DependencyFailed("the payment provider refused the request")  # amount_too_large
        refund = StripeRefund(f"re_{uuid.uuid4().hex[:12]}", amount, key)
        charge.refunds.append(refund)
        self._send(
            "charge.refunded",
            {
                "id": f"ch_{charge.intent_id}",
                "object": "charge",
                "payment_intent": charge.intent_id,
                "amount": charge.amount,
                "amount_refunded": charge.amount_refunded,
                "currency": charge.currency,
                "refunded": charge.amount_refunded == charge.amount,
                "metadata": {"order_id": charge.order_id},
            },
        )
        return refund

    def _send(self, kind: str, obj: Mapping[str, Any]) -> None:
        event = {
            "id": f"evt_{uuid.uuid4().hex[:16]}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": obj},
        }
        self.pending.append(json.dumps(event))

    def _charge(self, intent_id: str) -> StripeCharge:
        if intent_id not in self.charges:
            raise NotFound("no such payment")
        return self.charges[intent_id]

    def _intent(self, charge: StripeCharge) -> PaymentIntent:
        return PaymentIntent(
            id=charge.intent_id,
            status=charge.status,
            amount=charge.amount,
            currency=charge.currency.upper(),
            client_secret=f"{charge.intent_id}_secret",
            order_id=charge.order_id,
        )


def signed(body: str) -> str:
    """The Stripe-Signature header Stripe would send with the body."""
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", WEBHOOK_SECRET)
    return f"t={timestamp},v1={signature}"


# the bus
class Bus:
    """The EventPublisher: every event published, in order (repeats included)."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self.published.extend(events)

    def distinct(self, kind: str, order_id: str) -> list[DomainEvent]:
        """Events of a type about the order, one per event id (consumers drop a repeat)."""
        seen: dict[str, DomainEvent] = {}
        for event in self.published:
            if event.type == kind and event.data.get("order_id") == order_id:
                seen.setdefault(event.event_id, event)
        return list(seen.values())


# crashes and races at adapter boundaries
class Crash(BaseException):
    """The function died at an adapter boundary (as a Lambda timing out does): no handler of ours runs."""


@dataclass
class Faults:
    """Counts the adapter calls of the operation under way; at call `at` it crashes (`before` the call takes
    effect, or `after` it did and its answer is lost) or runs `race` (another operation) first."""

    at: int = 0
    when: str = "before"
    race: Callable[[], Any] | None = None
    calls: int = 0
    trace: list[str] = field(default_factory=list)

    def arm(self, at: int, when: str = "before", race: Callable[[], Any] | None = None) -> None:
        self.at, self.when, self.race, self.calls = at, when, race, 0
        self.trace.clear()

    def disarm(self) -> None:
        self.at, self.race = 0, None

    def boundary(self, label: str, call: Callable[[], Any]) -> Any:
        self.calls += 1
        self.trace.append(label)
        hit = self.at and self.calls == self.at
        if hit and self.race is not None:
            race, self.race, self.at = self.race, None, 0
            race()  # the other request runs to its end between two steps of this one
        elif hit and self.when == "before":
            self.at = 0
            raise Crash(f"crashed before {label}")
        result = call()
        if hit and self.when == "after" and self.at:
            self.at = 0
            raise Crash(f"crashed after {label}")
        return result


class Faulty:
    """An adapter whose every method call is a boundary of `faults`."""

    def __init__(self, target: Any, name: str, faults: Faults) -> None:
        self._target, self._name, self._faults = target, name, faults

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._target, attribute)
        if not callable(value) or attribute.startswith("_"):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._faults.boundary(f"{self._name}.{attribute}", lambda: value(*args, **kwargs))

        return call


# the services, wired
@dataclass
class World:
    settings: Settings
    stripe: FakeStripe
    bus: Bus
    faults: Faults
    workflow: InMemoryWorkflow
    orders: DynamoOrders  # unwrapped, for the invariants' reads
    refund_ledger: DynamoRefundLedger
    returns_repo: DynamoReturns
    shipments_repo: DynamoShipments
    inventory: DynamoInventory
    verifier: StripeWebhookVerifier
    checkout: Checkout
    order_workflow: OrderWorkflow
    payment_events: PaymentEvents
    fulfillment: Fulfillment
    carrier_events: CarrierEvents
    after_sales: AfterSales
    returns: Returns
    relay: OutboxRelay
    parcels: DynamoParcels
    carrier_name: str = SimulatedCarrier.name

    @classmethod
    def build(cls) -> World:
        settings = Settings.from_env()
        client = boto3.client("dynamodb", region_name="us-east-1")
        table = settings.table_name
        stripe_double, bus, faults, workflow = FakeStripe(), Bus(), Faults(), InMemoryWorkflow()

        def faulty(target: Any, name: str) -> Any:
            return Faulty(target, name, faults)

        orders = DynamoOrders(client, table)
        ledger = DynamoRefundLedger(client, table)
        returns_repo = DynamoReturns(client, table)
        shipments = DynamoShipments(client, table, orders)
        parcels = DynamoParcels(client, table)
        carrier = SimulatedCarrier(parcels=parcels)
        # Every use case commits its events in the outbox; the relay publishes them right after, or the
        # sweeper does (a crash, or the bus down, between the commit and the publish).
        relay = OutboxRelay(faulty(DynamoOutbox(client, table), "outbox"), faulty(bus, "bus"), bootstrap.now)
        f_orders, f_stripe, f_bus = (
            faulty(orders, "orders"),
            faulty(stripe_double, "stripe"),
            faulty(bus, "bus"),
        )
        f_shipments = faulty(shipments, "shipments")
        f_ledger = faulty(ledger, "refund_ledger")
        after_sales = AfterSales(
            orders=f_orders,
            ledger=f_ledger,
            refunds=faulty(DynamoPendingRefunds(client, table, orders), "pending_refunds"),
            payments=f_stripe,
            relay=relay,
            clock=bootstrap.now,
            shipments=f_shipments,
            fulfillment_workflow=workflow,
            carrier=faulty(carrier, "carrier"),
        )
        return cls(
            settings=settings,
            stripe=stripe_double,
            bus=bus,
            faults=faults,
            workflow=workflow,
            orders=orders,
            refund_ledger=ledger,
            returns_repo=returns_repo,
            shipments_repo=shipments,
            inventory=DynamoInventory(client, table),
            verifier=StripeWebhookVerifier(lambda: {"webhook_secret": WEBHOOK_SECRET}),
            checkout=Checkout(
                carts=DynamoCarts(client, table),
                catalog=DynamoCatalog(client, table),
                orders=orders,
                ledger=orders,
                payments=stripe_double,
                workflow=workflow,
                clock=bootstrap.now,
                policy=bootstrap.cart_policy(settings),
                payment_timeout=timedelta(seconds=settings.payment_timeout_seconds),
                default_locale=settings.default_locale,
                pricer=bootstrap.pricer(settings, client),
                channels=bootstrap.channel_scope(settings, client),
            ),
            order_workflow=OrderWorkflow(
                orders=f_orders,
                ledger=f_orders,
                payments=f_stripe,
                workflow=workflow,
                relay=relay,
                clock=bootstrap.now,
                fraud=FraudPolicy(review_amount=settings.fraud_review_amount),
            ),
            payment_events=PaymentEvents(
                orders=f_orders,
                log=faulty(DynamoPaymentEventLog(client, table, orders), "payment_event_log"),
                workflow=workflow,
                relay=relay,
                payments=f_stripe,
                clock=bootstrap.now,
                refund_ledger=f_ledger,
            ),
            fulfillment=Fulfillment(
                f_orders, f_shipments, faulty(carrier, "carrier"), f_bus, workflow, bootstrap.now, {}
            ),
            carrier_events=CarrierEvents(f_orders, f_shipments, relay, workflow, bootstrap.now),
            after_sales=after_sales,
            returns=Returns(faulty(returns_repo, "returns"), after_sales, relay, bootstrap.now),
            relay=relay,
            parcels=parcels,
        )

    # the table as it was before, so each example starts on a table of the same size
    def keys(self) -> set[tuple[str, str]]:
        """The (PK, SK) of every item in the table."""
        client = boto3.client("dynamodb", region_name="us-east-1")
        pages = client.get_paginator("scan").paginate(
            TableName=self.settings.table_name, ProjectionExpression="PK, SK"
        )
        return {(i["PK"]["S"], i["SK"]["S"]) for page in pages for i in page["Items"]}

    def remove_all_but(self, kept: set[tuple[str, str]]) -> None:
        """Deletes the items written since `kept` was read (moto copies the whole table on every
        transaction: a table that keeps growing makes each example slower than the last)."""
        client = boto3.client("dynamodb", region_name="us-east-1")
        for pk, sk in self.keys() - kept:
            client.delete_item(TableName=self.settings.table_name, Key={"PK": {"S": pk}, "SK": {"S": sk}})

    # a checkout, as a guest buys one SKU of their own
    def new_sku(self, units: int) -> str:
        """A product of its own with `units` received at LOCATION (a `receipt` movement)."""
        from tests.unit.catalog_builders import product, variant  # noqa: PLC0415

        product_id = f"MDL{uuid.uuid4().hex[:8].upper()}"
        sku = f"{product_id}-M"
        admin = bootstrap.catalog_admin(self.settings)
        admin.save_product(product(product_id, category="shoes", variants=(variant(sku, eur=2500),)))
        admin.receive_stock(sku, LOCATION, units, note="model test")
        return sku

    def check_out(self, sku: str, quantity: int) -> Order:
        carts = bootstrap.carts(self.settings)
        cart, token = carts.create("EUR", "en", "FR")
        carts.set_line(cart.cart.id, token, sku, quantity, "en")
        address = AddressInput("Ada Buyer", "1 rue de la Paix", "Paris", "FR", postal_code="75002")
        request = CheckoutRequest(
            email=f"model.{uuid.uuid4().hex[:10]}@example.com", shipping_address=address
        )
        return self.checkout.guest(cart.cart.id, token, request).order

    def later(self, minutes: int) -> datetime:
        return datetime.now(UTC) + timedelta(minutes=minutes)
