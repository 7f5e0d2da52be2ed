"""Least privilege, read from template.yaml: no wildcard action, no write on any resource, no shared role."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from local.samyaml import load_template

TEMPLATE = load_template(Path(__file__).resolve().parents[2] / "template.yaml")
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE["Resources"]

# Action names that change something; on `Resource: "*"` each one needs an entry below.
WRITE_ACTION = re.compile(r"^(Put|Update|Delete|Create|Send|Start)|Write", re.IGNORECASE)

# Write actions allowed on every resource, each because the API offers nothing narrower.
WRITE_ON_ANY_RESOURCE_ALLOWED = {
    "states:SendTaskSuccess": "answers a task token; the API takes no state machine or execution ARN",
    "states:SendTaskFailure": "answers a task token; the API takes no state machine or execution ARN",
    "logs:CreateLogDelivery": "Step Functions log delivery: vended-log APIs take no resource ARN",
    "logs:UpdateLogDelivery": "Step Functions log delivery: vended-log APIs take no resource ARN",
    "logs:DeleteLogDelivery": "Step Functions log delivery: vended-log APIs take no resource ARN",
    "logs:PutResourcePolicy": "Step Functions log delivery: vended-log APIs take no resource ARN",
}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def identity_statements() -> Iterator[tuple[str, dict[str, Any]]]:
    """(resource name, statement) of every identity policy: functions', state machines', IAM resources'."""
    for name, resource in RESOURCES.items():
        props = resource.get("Properties", {})
        if resource["Type"] in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            for policy in as_list(props.get("Policies", [])):
                if isinstance(policy, dict) and "Statement" in policy:
                    yield from ((name, s) for s in as_list(policy["Statement"]))
        elif resource["Type"] in ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
            documents += [props["PolicyDocument"]] if "PolicyDocument" in props else []
            for document in documents:
                yield from ((name, s) for s in as_list(document["Statement"]))


def all_statements() -> Iterator[tuple[str, dict[str, Any]]]:
    """Identity statements plus resource policies (the KMS key policy, where `Resource: "*"` is the key)."""
    yield from identity_statements()
    for name, resource in RESOURCES.items():
        key_policy = resource.get("Properties", {}).get("KeyPolicy")
        if key_policy:
            yield from ((name, s) for s in as_list(key_policy["Statement"]))


FUNCTIONS = {name: r for name, r in RESOURCES.items() if r["Type"] == "AWS::Serverless::Function"}


def test_the_template_has_policies_to_check() -> None:
    assert len(FUNCTIONS) >= 9
    assert sum(1 for _ in identity_statements()) >= 40


def test_no_statement_allows_every_action() -> None:
    wildcards = [
        (name, s.get("Sid"))
        for name, s in all_statements()
        if "*" in as_list(s.get("Action", [])) or "NotAction" in s
    ]
    assert wildcards == []


def writes_on_every_resource(statements: Iterable[tuple[str, dict[str, Any]]]) -> list[str]:
    """`resource Sid: action` of each write allowed on `Resource: "*"` that the allow-list does not excuse."""
    broad = []
    for name, statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        if "NotResource" in statement:
            broad.append(f"{name} {statement.get('Sid')}: NotResource")
            continue
        if "*" not in as_list(statement["Resource"]):
            continue
        for action in as_list(statement["Action"]):
            service_action = action.split(":", 1)[-1]
            # A wildcard action on every resource may cover writes: it needs narrowing, not an exception.
            if ("*" in service_action or WRITE_ACTION.search(service_action)) and (
                action not in WRITE_ON_ANY_RESOURCE_ALLOWED
            ):
                broad.append(f"{name} {statement.get('Sid')}: {action}")
    return broad


@pytest.mark.parametrize(
    "action",
    [
        "dynamodb:PutItem",
        "sqs:SendMessage",
        "states:StartExecution",
        "s3:Put*",
        "dynamodb:BatchWriteItem",
        "sns:*",
    ],
)
def test_a_planted_write_on_every_resource_is_caught(action: str) -> None:
    planted = {"Sid": "Planted", "Effect": "Allow", "Action": ["dynamodb:GetItem", action], "Resource": "*"}
    assert writes_on_every_resource([("Fn", planted)]) == [f"Fn Planted: {action}"]


def test_a_read_on_every_resource_or_a_write_on_one_resource_passes() -> None:
    read = {"Effect": "Allow", "Action": ["logs:DescribeLogGroups"], "Resource": "*"}
    scoped = {
        "Effect": "Allow",
        "Action": ["dynamodb:PutItem"],
        "Resource": {"Fn::GetAtt": ["MainTable", "Arn"]},
    }
    assert writes_on_every_resource([("Fn", read), ("Fn", scoped)]) == []


def test_no_statement_writes_to_every_resource_unless_the_api_has_no_resource() -> None:
    assert writes_on_every_resource(identity_statements()) == []


def test_the_allow_list_holds_only_actions_the_template_uses() -> None:
    used = {
        a for _, s in identity_statements() if "*" in as_list(s["Resource"]) for a in as_list(s["Action"])
    }
    assert set(WRITE_ON_ANY_RESOURCE_ALLOWED) <= used


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_has_its_own_policies_and_no_shared_role(name: str) -> None:
    props = FUNCTIONS[name]["Properties"]
    assert "Role" not in props and "Role" not in TEMPLATE.get("Globals", {}).get("Function", {})
    assert "Policies" not in TEMPLATE.get("Globals", {}).get("Function", {})
    policies = as_list(props.get("Policies", []))
    assert policies, f"{name} has no policies of its own"
    # A managed policy given by name is shared by design and grants what it grants; only inline ones here.
    assert all(isinstance(p, dict) for p in policies), f"{name} uses a managed policy by name"
