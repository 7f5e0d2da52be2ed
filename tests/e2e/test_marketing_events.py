"""The email-marketing event sources over HTTP on the local stack: a guest gives a cart an email,
the abandoned-cart job announces it once; a consent change through /me publishes one event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.stack import LocalStack
from local.tools import jobs
from tests.polling import poll

from .conftest import Api, Tokens, unique_email
from .test_purchase import Shop

pytestmark = pytest.mark.e2e

JOB = "AbandonedCartsFunction"
TYPES = ["CartAbandoned", "CustomerConsentChanged"]


class Bus:
    """A queue of our own behind a rule on the stack's bus, for the two marketing event types."""

    def __init__(self, stack: LocalStack) -> None:
        assert stack.deployment is not None
        options: dict[str, Any] = {
            "endpoint_url": stack.aws_url,
            "region_name": "us-east-1",
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }
        self._sqs = boto3.client("sqs", **options)
        self._events = boto3.client("events", **options)
        self._bus = stack.deployment.outputs["EventBusName"]
        self._url = self._sqs.create_queue(QueueName="e2e-marketing-events")["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        pattern = {"source": ["commerce"], "detail-type": TYPES}
        self._events.put_rule(Name="e2e-marketing", EventBusName=self._bus, EventPattern=json.dumps(pattern))
        self._events.put_targets(
            Rule="e2e-marketing", EventBusName=self._bus, Targets=[{"Id": "marketing", "Arn": arn}]
        )
        self.seen: list[dict[str, Any]] = []

    def received(self, event_type: str, **data: Any) -> list[dict[str, Any]]:
        """Every event of the type whose data holds these values, received so far."""
        while messages := self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            for message in messages:
                self.seen.append(json.loads(message["Body"])["detail"])
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
        return [
            e
            for e in self.seen
            if e["type"] == event_type and all(e["data"].get(k) == v for k, v in data.items())
        ]

    def close(self) -> None:
        self._events.remove_targets(Rule="e2e-marketing", EventBusName=self._bus, Ids=["marketing"])
        self._events.delete_rule(Name="e2e-marketing", EventBusName=self._bus)


@pytest.fixture(scope="module")
def bus(stack: LocalStack) -> Iterator[Bus]:
    listening = Bus(stack)
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Shop:
    return Shop(stack, api)


def _run_job_now(stack: LocalStack) -> dict[str, Any]:
    """The scheduled job as `make run-job JOB=abandoned-carts INPUT='{"after_minutes": 0}'` runs it."""

    def invoke(function: str, payload: dict[str, Any]) -> Any:
        return jobs.invoke_running_stack(function, payload, stack.endpoints_file)

    return dict(jobs.run("abandoned-carts", invoke, extra={"after_minutes": 0}))


def test_a_guest_cart_with_an_email_left_idle_is_announced_once(
    stack: LocalStack, api: Api, shop: Shop, bus: Bus
) -> None:
    sku = shop.new_sku(5)
    cart_id, token = shop.cart_with(sku, 2)
    email = unique_email("guest")
    contact = api.put(
        f"/carts/{cart_id}/contact",
        json={"email": email, "marketing_consent": True},
        headers={"X-Cart-Token": token},
    )
    assert contact.status_code == 200, contact.text
    shown = api.get(f"/carts/{cart_id}", headers={"X-Cart-Token": token})
    assert shown.json()["contact"] == {"email": email, "marketing_consent": True}

    assert cart_id in _run_job_now(stack)["announced"]
    (event,) = poll(lambda: bus.received("CartAbandoned", cart_id=cart_id))
    data = event["data"]
    assert (data["email"], data["marketing_consent"], data["customer_id"], data["currency"]) == (
        email,
        True,
        None,
        "EUR",
    )
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in data["lines"]] == [(sku, 2, 2500)]
    assert data["subtotal"] == 5000

    assert cart_id not in _run_job_now(stack)["announced"]  # the same idle period
    assert len(bus.received("CartAbandoned", cart_id=cart_id)) == 1


def test_a_checked_out_cart_is_never_announced(stack: LocalStack, api: Api, shop: Shop, bus: Bus) -> None:
    sku = shop.new_sku(5)
    cart_id, token = shop.cart_with(sku)
    api.put(
        f"/carts/{cart_id}/contact", json={"email": unique_email("buyer")}, headers={"X-Cart-Token": token}
    )
    placed = shop.checkout(cart_id, token)
    assert placed.status_code in (201, 202), placed.text
    assert cart_id not in _run_job_now(stack)["announced"]
    assert bus.received("CartAbandoned", cart_id=cart_id) == []


@pytest.mark.parametrize(
    "body", [{"email": "nope"}, {"email": "a@example.com", "marketing_consent": "yes"}, {}]
)
def test_a_bad_contact_is_a_4xx_problem(api: Api, shop: Shop, body: dict[str, Any]) -> None:
    cart = api.post("/carts", json={"currency": "EUR"}).json()
    answer = api.put(f"/carts/{cart['id']}/contact", json=body, headers={"X-Cart-Token": cart["token"]})
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_a_consent_change_through_me_publishes_one_event(api: Api, tokens: Tokens, bus: Bus) -> None:
    email = unique_email("consent")
    headers = tokens.headers(email=email)
    me = api.get("/me", headers=headers).json()
    for _ in range(2):  # the same answer twice: one change
        answer = api.put("/me", json={"marketing_consent": True, "locale": "fr-FR"}, headers=headers)
        assert answer.status_code == 200, answer.text
    (event,) = poll(lambda: bus.received("CustomerConsentChanged", customer_id=me["customer_id"]))
    assert (event["data"]["marketing_consent"], event["data"]["reason"], event["data"]["locale"]) == (
        True,
        "profile",
        "fr-FR",
    )
    assert api.delete("/me", headers=headers).status_code == 204
    withdrawn = poll(
        lambda: bus.received("CustomerConsentChanged", customer_id=me["customer_id"], reason="erased")
    )
    assert [e["data"]["marketing_consent"] for e in withdrawn] == [False]
    assert len(bus.received("CustomerConsentChanged", customer_id=me["customer_id"])) == 2
