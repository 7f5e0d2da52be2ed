"""The abandoned-cart job against moto built from template.yaml: the sparse index entry a cart
gets and loses, the job's index query, and one announcement under two overlapping runs."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.abandoned_carts import DynamoAbandonedCarts
from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.adapters.dynamodb.customers import DynamoCustomers
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.domain.events import DomainEvent
from commerce.services.abandoned_carts import AbandonedCarts
from commerce.services.outbox import OutboxRelay
from local.tools import jobs
from tests.fakes.events import InMemoryEvents

from .conftest import Stack, sample_event
from .test_cart_handler import _new_cart, _sku_with_all_prices

JOB = "AbandonedCartsFunction"


def _table(stack: Stack) -> str:
    return str(stack.deployment.outputs["MainTableName"])


def _cart_item(stack: Stack, cart_id: str) -> dict[str, Any]:
    found = boto3.client("dynamodb").get_item(
        TableName=_table(stack), Key={"PK": {"S": f"CART#{cart_id}"}, "SK": {"S": "CART"}}
    )
    return dict(found.get("Item", {}))


def _guest_cart_with_contact(stack: Stack, email: str = "guest@example.com") -> tuple[str, dict[str, str]]:
    cart_id, token = _new_cart(stack)
    sku, _ = _sku_with_all_prices()
    ids = {"CART_ID": cart_id, "CART_TOKEN": token, "SKU": sku}
    status, _, body = stack.call("CartFunction", sample_event("cart-set-line.json", **ids))
    assert status == 200, body
    event = sample_event("cart-set-contact.json", **ids)
    event["body"] = json.dumps({"email": email, "marketing_consent": True})
    status, _, body = stack.call("CartFunction", event)
    assert status == 200, body
    return cart_id, ids


def test_a_cart_is_listed_in_the_index_only_with_lines_and_an_email(stack: Stack) -> None:
    cart_id, token = _new_cart(stack)
    sku, _ = _sku_with_all_prices()
    ids = {"CART_ID": cart_id, "CART_TOKEN": token, "SKU": sku}
    stack.call("CartFunction", sample_event("cart-set-line.json", **ids))
    assert "GSI2PK" not in _cart_item(stack, cart_id)  # lines, but nobody to write to
    stack.call("CartFunction", sample_event("cart-set-contact.json", **ids))
    item = _cart_item(stack, cart_id)
    assert item["GSI2PK"]["S"].startswith("ABANDONED_CARTS#")
    assert item["GSI2SK"]["S"].endswith(f"#{cart_id}")
    stack.call("CartFunction", sample_event("cart-remove-line.json", **ids))
    assert "GSI2PK" not in _cart_item(stack, cart_id)  # emptied: off the index


@pytest.mark.parametrize("email", ["not-an-email", "a@b", ""])
def test_a_bad_contact_is_a_4xx_problem_and_changes_nothing(stack: Stack, email: str) -> None:
    cart_id, ids = _guest_cart_with_contact(stack)
    event = sample_event("cart-set-contact.json", **ids)
    event["body"] = json.dumps({"email": email})
    status, headers, body = stack.call("CartFunction", event)
    assert 400 <= status < 500 and headers["Content-Type"] == "application/problem+json", body
    assert _cart_item(stack, cart_id)["email"]["S"] == "guest@example.com"


def test_the_scheduled_job_announces_an_idle_cart_once(stack: Stack) -> None:
    cart_id, _ = _guest_cart_with_contact(stack)
    schedule = jobs.schedules()["abandoned-carts"]
    assert (schedule.function, schedule.expression) == (JOB, "rate(15 minutes)")
    # the configured hour has not passed: nothing to announce
    assert cart_id not in jobs.run("abandoned-carts", stack.runtime.invoke)["announced"]
    run_now = {**sample_event("abandoned-carts-run.json"), "after_minutes": 0}
    assert cart_id in stack.runtime.invoke(JOB, run_now)["announced"]
    assert cart_id not in stack.runtime.invoke(JOB, run_now)["announced"]
    item = _cart_item(stack, cart_id)
    assert "GSI2PK" not in item  # announced, and off the index until touched


class _Overlapping(DynamoAbandonedCarts):
    """Both runs list the idle carts before either claims one: the worst overlap."""

    def __init__(self, client: Any, table: str, barrier: threading.Barrier) -> None:
        super().__init__(client, table)
        self._barrier = barrier

    def idle(self, touched_before: datetime, limit: int) -> list[str]:
        found = super().idle(touched_before, limit)
        self._barrier.wait(timeout=30)
        return found


def test_two_overlapping_runs_announce_each_idle_cart_once(stack: Stack) -> None:
    carts = [_guest_cart_with_contact(stack, f"overlap{i}@example.com")[0] for i in range(3)]
    client, table = boto3.client("dynamodb"), _table(stack)
    barrier = threading.Barrier(2)
    events = InMemoryEvents()
    later = datetime.now(UTC) + timedelta(hours=2)

    def run() -> None:
        AbandonedCarts(
            index=_Overlapping(client, table, barrier),
            carts=DynamoCarts(client, table),
            catalog=DynamoCatalog(client, table),
            customers=DynamoCustomers(client, table),
            relay=OutboxRelay(DynamoOutbox(client, table), events, lambda: later),
            clock=lambda: later,
            after=timedelta(hours=1),
            default_locale="en",
        ).run()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    announced = [e.data["cart_id"] for e in events.published if e.data["cart_id"] in carts]
    assert sorted(announced) == sorted(carts)


def test_a_claim_writes_its_event_into_the_outbox_with_it_and_a_refused_claim_writes_nothing(
    stack: Stack,
) -> None:
    cart_id, _ = _guest_cart_with_contact(stack, "claimed@example.com")
    client, table = boto3.client("dynamodb"), _table(stack)
    cart = DynamoCarts(client, table).get(cart_id)
    assert cart is not None
    index, outbox = DynamoAbandonedCarts(client, table), DynamoOutbox(client, table)
    won, lost = (DomainEvent("CartAbandoned", datetime.now(UTC), {"cart_id": cart_id}) for _ in range(2))

    assert index.claim(cart, won) is True
    assert index.claim(cart, lost) is False  # the same idle period, claimed already

    waiting = {e.event_id for e in outbox.pending(datetime.now(UTC) + timedelta(days=1), 1000)}
    assert won.event_id in waiting and lost.event_id not in waiting
    assert "GSI2PK" not in _cart_item(stack, cart_id)
    outbox.done([won])
