"""Create a CloudFormation stack in moto, wait for it with a bound, and read back what it built."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from local import aws

logger = logging.getLogger(__name__)

STACK_TIMEOUT_SECONDS = 120.0
_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


class DeploymentError(RuntimeError):
    """The stack did not reach CREATE_COMPLETE."""


def _stack_failure(cloudformation: Any, stack_name: str, status: str) -> DeploymentError:
    try:
        events = cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
    except Exception:  # the failure being reported matters more than its events
        events = []
    fields = ("LogicalResourceId", "ResourceType", "ResourceStatus", "ResourceStatusReason")
    lines = ["  " + " ".join(str(event.get(field, "")) for field in fields) for event in reversed(events)]
    return DeploymentError(f"stack {stack_name} ended {status}; events:\n" + "\n".join(lines))


def create_stack(stack_name: str, template: dict[str, Any], parameters: dict[str, str]) -> None:
    """Create the stack and wait for CREATE_COMPLETE; raise DeploymentError with its events otherwise."""
    cloudformation = aws.client("cloudformation")
    try:
        cloudformation.create_stack(
            StackName=stack_name,
            TemplateBody=json.dumps(template),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=_CAPABILITIES,
        )
    except Exception as error:
        raise _stack_failure(cloudformation, stack_name, f"in create_stack ({error})") from error
    deadline = time.monotonic() + STACK_TIMEOUT_SECONDS
    status = "CREATE_IN_PROGRESS"
    while status.endswith("_IN_PROGRESS") and time.monotonic() < deadline:
        status = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
        if status.endswith("_IN_PROGRESS"):
            time.sleep(0.1)
    if status != "CREATE_COMPLETE":
        raise _stack_failure(cloudformation, stack_name, status)


def _pseudo_sub(text: str, stack_name: str) -> str:
    pseudo = {"AWS::StackName": stack_name, "AWS::Region": aws.REGION, "AWS::AccountId": aws.ACCOUNT_ID}
    return re.sub(r"\$\{(AWS::[A-Za-z]+)\}", lambda m: pseudo.get(m.group(1), m.group(0)), text)


def physical_ids(stack_name: str, template: dict[str, Any]) -> dict[str, str]:
    """{logical id: physical id}; moto leaves an event bus's id empty, so it is filled with the bus name."""
    paginator = aws.client("cloudformation").get_paginator("list_stack_resources")
    ids = {
        summary["LogicalResourceId"]: summary.get("PhysicalResourceId", "")
        for page in paginator.paginate(StackName=stack_name)
        for summary in page["StackResourceSummaries"]
    }
    for logical_id, resource in template["Resources"].items():
        name = resource.get("Properties", {}).get("Name")
        if resource["Type"] == "AWS::Events::EventBus" and not ids.get(logical_id):
            sub = name.get("Fn::Sub") if isinstance(name, dict) else name
            ids[logical_id] = _pseudo_sub(sub, stack_name) if isinstance(sub, str) else ""
    return ids


def outputs(stack_name: str) -> dict[str, str]:
    """The stack's outputs by key."""
    stack = aws.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs", [])}
