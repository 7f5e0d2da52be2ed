"""What a payment provider's notification means for an order, read from a verified Stripe event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from commerce.domain.errors import ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order, PaymentOutcome

ORDER_ID_METADATA = "order_id"  # checkout puts the order id in the PaymentIntent's metadata


_INTENT_OUTCOMES = {
    "payment_intent.succeeded": PaymentOutcome.SUCCEEDED,
    "payment_intent.payment_failed": PaymentOutcome.FAILED,
    "payment_intent.canceled": PaymentOutcome.CANCELED,
}
DISPUTE_OPENED = "charge.dispute.created"
DISPUTE_CLOSED = "charge.dispute.closed"
REFUNDED = "charge.refunded"
# A closed dispute with one of these statuses left the money with the shop.
DISPUTE_WON = frozenset({"won", "warning_closed"})
DISPUTE_LOST = "lost"  # the bank gave the money back to the buyer


@dataclass(frozen=True, slots=True)
class PaymentNotice:
    """How a PaymentIntent ended, as the provider told us."""

    outcome: PaymentOutcome
    payment_intent_id: str
    event_id: str
    amount: int
    currency: str
    risk_level: str | None = None  # Radar's verdict on the charge, for fraud screening
    failure_code: str | None = None
    # A decline after which Stripe keeps the intent open (`requires_payment_method`) for another card.
    retryable: bool = False


@dataclass(frozen=True, slots=True)
class Refund:
    """The charge's refunds so far: `amount_refunded` is cumulative, so a late event cannot lower it."""

    payment_intent_id: str
    charge_id: str
    amount_refunded: int
    currency: str


@dataclass(frozen=True, slots=True)
class Dispute:
    payment_intent_id: str | None
    charge_id: str
    dispute_id: str
    opened: bool
    status: str
    reason: str
    amount: int = 0  # minor units disputed
    currency: str = ""
    due_by: datetime | None = None  # when the evidence must reach the bank

    @property
    def won(self) -> bool:
        return not self.opened and self.status in DISPUTE_WON

    @property
    def lost(self) -> bool:
        return not self.opened and self.status == DISPUTE_LOST


@dataclass(frozen=True, slots=True)
class StripeEvent:
    id: str
    type: str
    created: int
    object: Mapping[str, Any]

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> StripeEvent:
        try:
            data = payload["data"]["object"]
            event = cls(str(payload["id"]), str(payload["type"]), int(payload.get("created", 0)), data)
        except (KeyError, TypeError, ValueError) as error:
            raise ValidationFailed("not a Stripe event") from error
        if not event.id.startswith("evt_") or not isinstance(data, Mapping):
            raise ValidationFailed("not a Stripe event")
        return event

    @property
    def order_id(self) -> str | None:
        """The order the object names in its metadata (PaymentIntents and charges made by checkout)."""
        metadata = self.object.get("metadata") or {}
        value = metadata.get(ORDER_ID_METADATA) if isinstance(metadata, Mapping) else None
        return str(value) if value else None

    @property
    def payment_intent_id(self) -> str | None:
        if self.object.get("object") == "payment_intent":
            return str(self.object["id"])
        value = self.object.get("payment_intent")
        return str(value) if isinstance(value, str) and value else None

    def payment_notice(self) -> PaymentNotice | None:
        outcome = _INTENT_OUTCOMES.get(self.type)
        if outcome is None:
            return None
        intent = self.object
        error = intent.get("last_payment_error") or {}
        return PaymentNotice(
            outcome=outcome,
            payment_intent_id=str(intent["id"]),
            event_id=self.id,
            amount=int(intent.get("amount_received") or intent.get("amount") or 0),
            currency=str(intent.get("currency", "")).upper(),
            risk_level=_risk_level(intent),
            failure_code=str(error["code"]) if isinstance(error, Mapping) and error.get("code") else None,
            retryable=outcome is PaymentOutcome.FAILED and intent.get("status") == "requires_payment_method",
        )

    def refund(self) -> Refund | None:
        if self.type != REFUNDED or self.payment_intent_id is None:
            return None
        return Refund(
            payment_intent_id=self.payment_intent_id,
            charge_id=str(self.object["id"]),
            amount_refunded=int(self.object.get("amount_refunded") or 0),
            currency=str(self.object.get("currency", "")).upper(),
        )

    def dispute(self) -> Dispute | None:
        if self.type not in (DISPUTE_OPENED, DISPUTE_CLOSED):
            return None
        return Dispute(
            payment_intent_id=self.payment_intent_id,
            charge_id=str(self.object.get("charge", "")),
            dispute_id=str(self.object["id"]),
            opened=self.type == DISPUTE_OPENED,
            status=str(self.object.get("status", "")),
            reason=str(self.object.get("reason", "")),
            amount=int(self.object.get("amount") or 0),
            currency=str(self.object.get("currency", "")).upper(),
            due_by=_evidence_due_by(self.object),
        )


def _evidence_due_by(dispute: Mapping[str, Any]) -> datetime | None:
    details = dispute.get("evidence_details")
    due_by = details.get("due_by") if isinstance(details, Mapping) else None
    return datetime.fromtimestamp(int(due_by), UTC) if isinstance(due_by, int | float) and due_by else None


def other_intent(order: Order, notice: PaymentNotice) -> bool:
    """The event is about a PaymentIntent that is not the order's (its metadata names the order anyway)."""
    return notice.payment_intent_id != order.payment_intent_id


def payment_mismatch(order: Order, notice: PaymentNotice) -> str | None:
    """Why a successful payment does not pay `order`: another PaymentIntent, or an amount received or a
    currency other than the order's total. None when it pays the order exactly."""
    if notice.outcome is not PaymentOutcome.SUCCEEDED:
        return None
    if other_intent(order, notice):
        return f"payment intent {notice.payment_intent_id} is not the order's ({order.payment_intent_id})"
    total = order.totals.total
    if notice.amount != total.amount or notice.currency != total.currency:
        return f"received {notice.amount} {notice.currency}, expected {total.amount} {total.currency}"
    return None


def _risk_level(intent: Mapping[str, Any]) -> str | None:
    """Radar's risk level of the intent's charge, when the event carries the charge (expanded, or in the
    `charges` list of older API versions)."""
    charges: list[Any] = []
    latest = intent.get("latest_charge")
    if isinstance(latest, Mapping):
        charges.append(latest)
    listed = intent.get("charges")
    if isinstance(listed, Mapping) and isinstance(listed.get("data"), list):
        charges.extend(listed["data"])
    for charge in charges:
        outcome = charge.get("outcome") if isinstance(charge, Mapping) else None
        if isinstance(outcome, Mapping) and outcome.get("risk_level"):
            return str(outcome["risk_level"])
    return None


class DuplicateEvent(Exception):
    """This provider event was applied before; applying it again must change nothing."""


class PaymentEventLog(Protocol):
    """Remembers which provider events were applied, in the same transaction as their effect on an order."""

    def apply(
        self,
        event_id: str,
        order: Order,
        expected_version: int,
        events: Sequence[DomainEvent] = (),
    ) -> None:
        """Saves `order` if it is still at `expected_version`, records the event and writes `events` into the
        outbox, all or nothing. DuplicateEvent if the event was recorded before; Conflict if the order
        changed meanwhile."""
        ...

    def remember(self, event_id: str) -> bool:
        """Records an event that changes no order; False if it was recorded before."""
        ...


class InvalidSignature(ValidationFailed, title="Invalid signature", slug="invalid-signature"):
    """The webhook's signature is missing, wrong, or too old: it did not come from the provider as sent."""
