"""events/: every function has a sample, and every sample fills into an event of the shape its trigger sends
(`make event-sample`, local/tools/event_sample.py)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import stripe

from commerce.adapters import carriers
from local.samyaml import load_template
from local.tools import event_sample
from local.tools.event_sample import EVENTS, REQUIRED, SampleError
from tests.event_catalog import problems

REPO = Path(__file__).resolve().parents[2]
SECRETS = {"stripe": "whsec_sample", "carrier": "carrier_sample"}
SAMPLES = sorted(p.name for p in EVENTS.glob("*.json") if p != event_sample.INDEX)


@cache
def functions() -> dict[str, dict[str, Any]]:
    """Each function of template.yaml: its event sources by type."""
    template = load_template(REPO / "template.yaml")
    return {
        logical_id: resource["Properties"].get("Events") or {}
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def filled(name: str) -> dict[str, Any]:
    values = {placeholder: f"sample-{placeholder.lower().replace('_', '-')}" for placeholder in REQUIRED}
    return event_sample.fill(name, values, lambda signer, _secret_id: SECRETS[signer])


def sources(function: str, kind: str) -> list[dict[str, Any]]:
    return [e["Properties"] or {} for e in functions()[function].values() if e["Type"] == kind]


def test_every_function_of_the_template_has_a_sample() -> None:
    covered = {entry["function"] for entry in event_sample.index().values()}
    assert sorted(set(functions()) - covered) == []
    assert sorted(covered - set(functions())) == [], "events/index.json names functions the template lacks"


def test_every_sample_is_in_the_index_and_every_entry_has_its_file() -> None:
    assert sorted(event_sample.index()) == SAMPLES


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_fills_into_json_with_no_placeholder_left(name: str) -> None:
    text = json.dumps(filled(name))
    assert event_sample.placeholders(text) == set()


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_has_the_shape_of_the_event_its_trigger_sends(name: str) -> None:
    entry = event_sample.index()[name]
    check = {"http": _http, "sqs": _sqs, "schedule": _schedule, "workflow-task": _workflow_task}[
        entry["kind"]
    ]
    check(entry["function"], filled(name))


def _http(function: str, event: dict[str, Any]) -> None:
    routes = {f"{s['Method'].upper()} {s['Path']}": s for s in sources(function, "HttpApi")}
    assert event["version"] == "2.0"
    assert event["routeKey"] in routes, f"{function} serves no {event['routeKey']}"
    method, path = event["routeKey"].split(" ", 1)
    assert event["requestContext"]["http"]["method"] == method
    assert event["requestContext"]["routeKey"] == event["routeKey"]
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
    assert re.fullmatch(pattern, event["rawPath"]), (event["rawPath"], path)
    assert set(event.get("pathParameters") or {}) == set(re.findall(r"\{([^}+]+)\+?\}", path))
    assert isinstance(event.get("body", ""), str)
    signed_in = (routes[event["routeKey"]].get("Auth") or {}).get("Authorizer") != "NONE"
    assert ("authorizer" in event["requestContext"]) == signed_in


def _sqs(function: str, event: dict[str, Any]) -> None:
    queues = {s["Queue"]["Fn::GetAtt"][0] for s in sources(function, "SQS")}
    for record in event["Records"]:
        assert record["eventSource"] == "aws:sqs"
        queue_name = record["eventSourceARN"].rsplit(":", 1)[
            1
        ]  # CloudFormation names it after the logical id
        assert any(queue in queue_name for queue in queues), (queue_name, queues)
        body = json.loads(record["body"])
        if "detail-type" in body:  # a domain event as the bus delivers it
            assert problems([body]) == []


def _schedule(function: str, event: dict[str, Any]) -> None:
    [schedule] = sources(function, "ScheduleV2")
    assert event.items() >= json.loads(schedule.get("Input") or "{}").items()


def _workflow_task(function: str, event: dict[str, Any]) -> None:
    payloads = {
        p["step"]: p
        for machine in ("order", "fulfillment")
        for p in _task_payloads(json.loads((REPO / "statemachines" / f"{machine}.asl.json").read_text()))
    }
    assert event["step"] in payloads
    passed = {key.removesuffix(".$") for key in payloads[event["step"]]}
    assert passed <= set(event)


def _task_payloads(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = (
            [node["Payload"]] if isinstance(node.get("Payload"), dict) and "step" in node["Payload"] else []
        )
        return found + [p for value in node.values() for p in _task_payloads(value)]
    if isinstance(node, list):
        return [p for value in node for p in _task_payloads(value)]
    return []


def test_a_stripe_webhook_sample_is_signed_as_stripe_signs_it() -> None:
    event = filled("payment-webhook-succeeded")
    signature = event["headers"]["stripe-signature"]
    assert stripe.WebhookSignature.verify_header(event["body"], signature, SECRETS["stripe"])


def test_a_carrier_webhook_sample_is_signed_as_the_carrier_signs_it() -> None:
    event = filled("carrier-webhook")
    carriers.verify(SECRETS["carrier"], event["headers"]["x-carrier-signature"], event["body"].encode())


def test_a_value_given_is_used_and_a_missing_one_is_named() -> None:
    event = filled("cart-get")
    assert event["pathParameters"]["cart_id"] == "sample-cart-id"
    with pytest.raises(SampleError, match=r"CART_ID.*POST /carts"):
        event_sample.fill("cart-get", {}, lambda signer, _secret_id: SECRETS[signer])
