"""The order workflow with a Lambda task crashing at each step in turn, before or after it did its work.

The state machine is the template's, executed by moto (`execute_state_machine`), its Lambda tasks the real
OrderWorkflow handler in-process; checkout starts it. A crash is the function failing as a timed-out Lambda
does (`Sandbox.Timedout`, which no Retry names), once. Whatever the step, the execution ends, the order is
paid or cancelled, no reservation is left behind, the stock ledger balances, and the event that says how
the order ended is on the bus."""

from __future__ import annotations

import contextlib
import inspect
import json
import time
import types
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto.core.config import default_user_config
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

from commerce import bootstrap
from commerce.config import Settings
from local.lambdas import patch_moto_invoke
from tests.fakes.payments import InMemoryPayments
from tests.polling import poll

from .conftest import Stack, checkout_event
from .faults import Ledger

WORKFLOW = "OrderWorkflowFunction"
UNITS = 4


class TaskCrashed(Exception):
    """The function died mid-step: Step Functions sees Lambda's error, not one of ours."""

    error_type = "Sandbox.Timedout"


@dataclass
class Crash:
    step: str | None = None
    when: str = "after"  # "before": nothing done yet; "after": the step's writes are in, its answer lost
    left: int = 0
    seen: list[str] = field(default_factory=list)


@dataclass
class Flow:
    stack: Stack
    sfn: Any
    machine: str
    payments: InMemoryPayments
    ledger: Ledger
    crash: Crash
    queue_url: str

    def place(self, sku: str, quantity: int = 1) -> dict[str, Any]:
        email = f"flow.{uuid.uuid4().hex[:10]}@example.com"  # no earlier orders: no hold
        event = checkout_event(*self.stack.cart({sku: quantity}), email=email)
        status, _, body = self.stack.call("CheckoutFunction", event)
        assert status == 201, body
        return dict(body)

    def execution(self, order_id: str) -> str:
        return self.machine.replace(":stateMachine:", ":execution:") + f":{order_id}"

    def status(self, order_id: str) -> str:
        try:
            return str(self.sfn.describe_execution(executionArn=self.execution(order_id))["status"])
        except self.sfn.exceptions.ExecutionDoesNotExist:
            return "STARTING"

    def waiting_token(self, order_id: str, order_status: str, not_token: str | None = None) -> str | None:
        """The task token parked on the order once it has this status; None if the execution ended."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            order = self.ledger.order(order_id) or {}
            token = order.get("task_token")
            if order.get("status") == order_status and token and token != not_token:
                return str(token)
            if self.status(order_id) not in ("RUNNING", "STARTING"):
                return None
            time.sleep(0.05)
        raise AssertionError(f"no task waiting for order {order_id} in {order_status}")

    def finished(self, order_id: str) -> str:
        return str(poll(lambda: (s := self.status(order_id)) not in ("RUNNING", "STARTING") and s))

    def answer(self, token: str | None, send: Callable[[str], Any]) -> None:
        if token is None:
            return
        with contextlib.suppress(self.sfn.exceptions.ClientError):
            send(token)  # refused if the task stopped waiting meanwhile (its step crashed)

    def announced(self, order_id: str) -> set[str]:
        """Types of the events about the order that reached the bus (the queue drained into SEEN)."""
        sqs = boto3.client("sqs", region_name="us-east-1")
        while batch := sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages"):
            for message in batch:
                body = json.loads(message["Body"])
                about = str(body["detail"].get("data", {}).get("order_id", ""))
                SEEN.setdefault(about, set()).add(str(body["detail-type"]))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return SEEN.get(order_id, set())


SEEN: dict[str, set[str]] = {}


@pytest.fixture(scope="module")
def flow(stack: Stack) -> Iterator[Flow]:
    settings = Settings.from_env()
    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    machine = stack.deployment.physical_ids["OrderStateMachine"]
    described = sfn.describe_state_machine(stateMachineArn=machine)
    payments = InMemoryPayments()
    crash = Crash()
    checkout_module = vars(stack.runtime.module("CheckoutFunction").checkouts)
    workflow_module = inspect.unwrap(stack.runtime._handlers[WORKFLOW]).__globals__
    originals = (
        checkout_module["checkout"],
        workflow_module["workflow"],
        default_user_config["stepfunctions"],
    )
    real_invoke = stack.runtime.invoke

    def invoke(name: str, event: Any) -> Any:
        spec = stack.runtime.find(name)
        step = event.get("step") if isinstance(event, dict) else None
        if spec is None or spec.logical_id != WORKFLOW or step != crash.step or crash.left <= 0:
            return real_invoke(name, event)
        crash.left -= 1
        crash.seen.append(step)
        if crash.when == "after":
            real_invoke(name, event)
        raise TaskCrashed(f"the {step} step crashed {crash.when} its work")

    with pytest.MonkeyPatch.context() as patch:
        # Executions run in moto's second Step Functions backend: the template's machine is created there.
        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        sfn.create_state_machine(
            name=machine.rsplit(":", 1)[1], definition=described["definition"], roleArn=described["roleArn"]
        )
        patch.setattr(retrier_decl, "time", types.SimpleNamespace(sleep=lambda _seconds: None))
        patch.setattr(stack.runtime, "invoke", invoke)
        checkout_module["checkout"] = bootstrap.checkout(settings, payment_gateway=payments)
        workflow_module["workflow"] = bootstrap.order_workflow(settings, payment_gateway=payments)
        queue_url = _queue_of_order_events(settings.event_bus_name)
        moto_patch = patch_moto_invoke(stack.runtime)
        try:
            yield Flow(stack, sfn, machine, payments, Ledger(settings.table_name), crash, queue_url)
        finally:
            moto_patch.undo()
            checkout_module["checkout"], workflow_module["workflow"], default_user_config["stepfunctions"] = (
                originals
            )


def _queue_of_order_events(bus: str) -> str:
    sqs = boto3.client("sqs", region_name="us-east-1")
    events = boto3.client("events", region_name="us-east-1")
    name = f"flow-{uuid.uuid4().hex[:8]}"
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": ["commerce"]}))
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    return str(url)


def settled(flow: Flow, order: dict[str, Any], sku: str) -> dict[str, Any]:
    """The execution ended; the order paid or cancelled, its reservation gone, the ledger balanced, and
    its ending announced."""
    order_id = order["order_id"]
    execution = flow.finished(order_id)
    stored = flow.ledger.order(order_id) or {}
    assert stored["status"] in ("paid", "cancelled"), (execution, stored["status"], stored.get("timeline"))
    assert not flow.ledger.has_reservation_marker(order_id)
    on_hand, reserved = flow.ledger.level(sku)
    assert reserved == 0
    assert on_hand == UNITS - (1 if stored["status"] == "paid" else 0)
    assert flow.ledger.balances(sku)
    intent = flow.payments.intents[order["payment"]["payment_intent_id"]]
    if stored["status"] == "paid":
        assert intent.status == "succeeded"
        expected = {"OrderPlaced", "OrderPaid", "FulfillmentRequested"}
    else:
        assert intent.status == "canceled" or stored.get("refunded") == stored["totals"]["total"]
        expected = {"OrderCancelled"}
    assert poll(lambda: flow.announced(order_id) >= expected), (flow.announced(order_id), stored["timeline"])
    return stored


def crash_at(flow: Flow, step: str | None, when: str) -> None:
    flow.crash.step, flow.crash.when, flow.crash.left = step, when, 1


def pay(flow: Flow, order: dict[str, Any], risk_level: str | None = None) -> None:
    order_id, intent_id = order["order_id"], order["payment"]["payment_intent_id"]
    token = flow.waiting_token(order_id, "pending_payment")
    if token is None:
        return  # the order was compensated before its payment came: the buyer is never asked to pay
    if flow.payments.intents[intent_id].status == "canceled":
        return  # compensation (after a crash) cancelled the intent first: Stripe refuses to charge it
    flow.payments.succeed(intent_id, risk_level)
    output = {"order_id": order_id, "payment_outcome": "succeeded", "payment_intent_id": intent_id}
    flow.answer(
        token,
        lambda t: flow.sfn.send_task_success(
            taskToken=t, output=json.dumps({**output, "risk_level": risk_level})
        ),
    )


def held_for_review(flow: Flow, order: dict[str, Any], risk_level: str) -> str | None:
    """Pays the order with a payment screening holds; the token of the staff review that then waits."""
    pay(flow, order, risk_level=risk_level)
    payment_token = (flow.ledger.order(order["order_id"]) or {}).get("task_token")
    return flow.waiting_token(order["order_id"], "on_hold", not_token=payment_token)


STEPS_OF_A_PAID_ORDER = ["order_placed", "await_payment", "confirm"]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("step", STEPS_OF_A_PAID_ORDER)
def test_a_crash_on_the_way_to_paid_ends_paid_or_cancelled_with_the_ledger_balanced(
    flow: Flow, step: str, when: str
) -> None:
    sku = flow.ledger.new_sku(UNITS)
    crash_at(flow, step, when)

    order = flow.place(sku)
    pay(flow, order)

    stored = settled(flow, order, sku)
    assert flow.crash.seen[-1:] == [step]
    if step == "confirm" and when == "after":
        assert stored["status"] == "paid"  # the sale stands; its events are still announced
    if step in ("order_placed", "await_payment"):
        # Steps safe to repeat are retried after a crash (the ASL's Sandbox.Timedout retry): the order lives.
        assert stored["status"] == "paid"


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("step", ["await_review", "approve"])
def test_a_crash_while_a_held_order_is_approved_ends_paid_or_cancelled_with_the_ledger_balanced(
    flow: Flow, step: str, when: str
) -> None:
    sku = flow.ledger.new_sku(UNITS)
    crash_at(flow, step, when)

    order = flow.place(sku)
    review = held_for_review(flow, order, "elevated")
    flow.answer(
        review, lambda t: flow.sfn.send_task_success(taskToken=t, output=json.dumps({"decision": "approve"}))
    )

    stored = settled(flow, order, sku)
    assert flow.crash.seen[-1:] == [step]
    if step == "approve" and when == "after":
        assert stored["status"] == "paid"


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("step", ["reject", "compensate"])
def test_a_crash_while_an_order_is_undone_is_retried_and_undoes_it_once(
    flow: Flow, step: str, when: str
) -> None:
    sku = flow.ledger.new_sku(UNITS)
    crash_at(flow, step, when)

    order = flow.place(sku)
    if step == "reject":
        review = held_for_review(flow, order, "highest")
        flow.answer(
            review,
            lambda t: flow.sfn.send_task_failure(
                taskToken=t, error="OrderRejected", cause="staff rejected it"
            ),
        )
    else:
        token = flow.waiting_token(order["order_id"], "pending_payment")
        flow.answer(
            token, lambda t: flow.sfn.send_task_failure(taskToken=t, error="PaymentFailed", cause="declined")
        )

    stored = settled(flow, order, sku)
    assert stored["status"] == "cancelled"
    assert flow.crash.seen[-1:] == [step]
    if step == "reject":
        assert stored["refunded"] == stored["totals"]["total"]
        intent_id = order["payment"]["payment_intent_id"]
        refunds = [r for r in flow.payments.refunds.values() if r[0] == intent_id]
        assert refunds == [(intent_id, stored["totals"]["total"])]
