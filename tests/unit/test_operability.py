"""Alarms and dead-letter queues, read from template.yaml: nothing can fail without someone being told."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local.samyaml import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE["Resources"]
RUNBOOKS = ROOT / "docs" / "operations.md"


def of_type(resource_type: str) -> list[str]:
    return sorted(name for name, res in RESOURCES.items() if res["Type"] == resource_type)


ALARMS = of_type("AWS::CloudWatch::Alarm")
FUNCTIONS = of_type("AWS::Serverless::Function")
QUEUES = of_type("AWS::SQS::Queue")
STATE_MACHINES = of_type("AWS::Serverless::StateMachine")


def walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def referenced(node: Any) -> set[str]:
    """Logical ids a node refers to with Ref or GetAtt."""
    names: set[str] = set()
    for item in walk(node):
        if isinstance(item, dict):
            if isinstance(item.get("Ref"), str):
                names.add(item["Ref"])
            attribute = item.get("Fn::GetAtt")
            if attribute:
                names.add(attribute[0] if isinstance(attribute, list) else attribute.split(".")[0])
    return names


def watched_metrics(alarm: str) -> set[tuple[str, str]]:
    """(metric name, logical id in its dimensions) for every metric the alarm watches."""
    props = RESOURCES[alarm]["Properties"]
    metrics = [props] + [m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m]
    return {
        (metric["MetricName"], name)
        for metric in metrics
        if "MetricName" in metric
        for name in referenced(metric.get("Dimensions", [])) or {""}
    }


def dead_letter_queues() -> set[str]:
    """Queues that something sends its failures to: a queue's redrive, a rule target's or a function's DLQ."""
    found: set[str] = set()
    for item in walk(RESOURCES):
        if isinstance(item, dict):
            for key in ("deadLetterTargetArn", "DeadLetterConfig", "DeadLetterQueue"):
                if key in item:
                    found |= referenced(item[key]) & set(QUEUES)
    return found


def receive_count(value: Any) -> int:
    """A number, or a Ref to a parameter: its default."""
    if isinstance(value, dict) and "Ref" in value:
        value = TEMPLATE["Parameters"][value["Ref"]].get("Default")
    return int(value or 0)


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#{1,6} +(.+?) *$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_has_an_alarm_on_its_errors_and_its_throttles(function: str) -> None:
    watched = set().union(*(watched_metrics(alarm) for alarm in ALARMS))
    assert ("Errors", function) in watched
    assert ("Throttles", function) in watched


@pytest.mark.parametrize("machine", STATE_MACHINES)
def test_every_state_machine_has_an_alarm_on_failed_and_timed_out_executions(machine: str) -> None:
    watched = set().union(*(watched_metrics(alarm) for alarm in ALARMS))
    assert ("ExecutionsFailed", machine) in watched
    assert ("ExecutionsTimedOut", machine) in watched


def test_every_queue_sends_what_it_cannot_deliver_to_a_dead_letter_queue() -> None:
    dead_letters = dead_letter_queues()
    for queue in sorted(set(QUEUES) - dead_letters):
        redrive = RESOURCES[queue]["Properties"].get("RedrivePolicy", {})
        assert referenced(redrive.get("deadLetterTargetArn")) & dead_letters, f"{queue} has no DLQ"
        assert receive_count(redrive.get("maxReceiveCount")) >= 1, f"{queue} sets no maxReceiveCount"


def test_every_dead_letter_queue_has_an_alarm_on_the_messages_in_it() -> None:
    watched = set().union(*(watched_metrics(alarm) for alarm in ALARMS))
    for queue in sorted(dead_letter_queues()):
        assert ("ApproximateNumberOfMessagesVisible", queue) in watched, f"no alarm on {queue}"


@pytest.mark.parametrize("alarm", ALARMS)
def test_every_alarm_tells_the_alarm_topic_and_links_its_runbook(alarm: str) -> None:
    props = RESOURCES[alarm]["Properties"]
    assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    description = json.dumps(props["AlarmDescription"])
    links = re.findall(r"docs/operations\.md#([\w-]+)", description)
    assert links, f"{alarm} names no runbook"
    assert set(links) <= anchors(RUNBOOKS.read_text(encoding="utf-8")), f"{alarm}: no such runbook {links}"


def test_the_alarm_anchors_are_computed_as_github_does() -> None:
    assert anchors("## A function fails, or is throttled\n### The API answers 5xx") == {
        "a-function-fails-or-is-throttled",
        "the-api-answers-5xx",
    }
