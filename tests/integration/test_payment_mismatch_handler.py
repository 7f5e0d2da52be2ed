"""A signed `payment_intent.succeeded` that does not pay its order, through the webhook function against
moto built from template.yaml: the order is held with the reason and flagged, never paid, and the
mismatch is counted for its alarm."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import stripe

from .conftest import Stack
from .test_payment_webhook_handler import WEBHOOK, a_pending_order, delivery, stored, webhook_secret


def _changed(
    stack: Stack, order_id: str, event_id: str, change: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    event = delivery(stack, order_id, event_id)
    body = json.loads(event["body"])
    change(body["data"]["object"])
    event["body"] = json.dumps(body)
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{event['body']}", webhook_secret(stack)
    )
    event["headers"]["stripe-signature"] = f"t={timestamp},v1={signature}"
    return event


def _one_cent(intent: dict[str, Any]) -> None:
    intent.update(amount=1, amount_received=1)


def _dollars(intent: dict[str, Any]) -> None:
    intent.update(currency="usd")


@pytest.mark.parametrize(
    ("change", "reason"),
    [(_one_cent, "received 1 EUR, expected 2500 EUR"), (_dollars, "received 2500 USD, expected 2500 EUR")],
    ids=["one cent", "another currency"],
)
def test_a_mismatched_success_holds_the_order_with_the_reason_and_counts_it(
    stack: Stack, capsys: pytest.CaptureFixture[str], change: Callable[[dict[str, Any]], None], reason: str
) -> None:
    order_id = a_pending_order(stack)
    capsys.readouterr()

    status, _, body = stack.call(WEBHOOK, _changed(stack, order_id, f"evt_mm_{order_id}", change))

    assert (status, body["result"]) == (200, "payment_mismatch")
    order = stored(stack, order_id)
    assert order["status"] == "on_hold" and order["payment_outcome"] == "mismatched"
    assert order["hold_reasons"] == [f"payment_mismatch: {reason}"]
    assert order["flags"] == ["payment_mismatch"]
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [blob.get("PaymentMismatches") for blob in emitted if "PaymentMismatches" in blob] == [[1.0]]


def test_another_intents_success_flags_the_order_and_leaves_it_waiting_for_its_own(stack: Stack) -> None:
    order_id = a_pending_order(stack)

    def other(intent: dict[str, Any]) -> None:
        intent.update(id="pi_someone_else")

    status, _, body = stack.call(WEBHOOK, _changed(stack, order_id, f"evt_other_{order_id}", other))
    own = stack.call(WEBHOOK, delivery(stack, order_id, f"evt_own_{order_id}"))

    assert (status, body["result"]) == (200, "payment_mismatch")
    assert own[2]["result"] == "applied"
    order = stored(stack, order_id)
    assert order["flags"] == ["payment_mismatch"] and order["payment_outcome"] == "succeeded"
    assert order["status"] == "pending_payment"  # the workflow confirms it as usual
