"""Give state machines their substituted definition: moto's CloudFormation ignores DefinitionSubstitutions."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

STATE_MACHINE_TYPE = "AWS::StepFunctions::StateMachine"
# Only ${Name}: string.Template would also eat "$$.Task.Token" ("$$" is its escape for "$").
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


def substitute(definition: str, substitutions: dict[str, Any]) -> Any:
    """Fill ${Name} placeholders; a value that is an intrinsic yields an Fn::Join the stack resolves."""
    parts: list[Any] = []
    position = 0
    for match in _PLACEHOLDER.finditer(definition):
        name = match.group(1)
        if name not in substitutions:
            logger.warning("definition placeholder without a substitution", extra={"placeholder": name})
            continue
        parts += [definition[position : match.start()], substitutions[name]]
        position = match.end()
    parts.append(definition[position:])
    if all(isinstance(part, str | int | float | bool) for part in parts):
        return "".join(str(part) for part in parts)
    return {"Fn::Join": ["", [part for part in parts if part != ""]]}


def _definition_text(properties: dict[str, Any], artifacts: dict[str, Path]) -> str | None:
    if isinstance(properties.get("Definition"), dict):
        return json.dumps(properties["Definition"], indent=2)
    location = properties.get("DefinitionS3Location")
    if isinstance(location, dict) and location.get("Key") in artifacts:
        return artifacts[location["Key"]].read_text(encoding="utf-8")
    text = properties.get("DefinitionString")
    if isinstance(text, str):
        return text
    join = text.get("Fn::Join") if isinstance(text, dict) else None
    if join and all(isinstance(line, str) for line in join[1]):
        return str(join[0]).join(join[1])
    return None


def inline_definitions(template: dict[str, Any], artifacts: dict[str, Path]) -> list[str]:
    """Rewrite every state machine to a substituted DefinitionString in place; return their logical ids."""
    rewritten: list[str] = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != STATE_MACHINE_TYPE:
            continue
        properties: dict[str, Any] = resource.setdefault("Properties", {})
        text = _definition_text(properties, artifacts)
        if text is None:
            logger.warning("state machine definition not found locally", extra={"logical_id": logical_id})
            continue
        substitutions = properties.pop("DefinitionSubstitutions", None) or {}
        for key in ("Definition", "DefinitionS3Location"):
            properties.pop(key, None)
        properties["DefinitionString"] = substitute(text, substitutions)
        rewritten.append(logical_id)
    return rewritten


def _output_keys(logical_id: str) -> tuple[str, str]:
    return f"LocalDefinition{logical_id}", f"LocalRole{logical_id}"


def export_definitions(template: dict[str, Any], logical_ids: list[str]) -> None:
    """Add outputs through which the stack hands back each state machine's resolved definition and role."""
    outputs: dict[str, Any] = template.setdefault("Outputs", {})
    for logical_id in logical_ids:
        properties = template["Resources"][logical_id]["Properties"]
        definition_key, role_key = _output_keys(logical_id)
        outputs[definition_key] = {"Value": properties["DefinitionString"]}
        outputs[role_key] = {"Value": properties.get("RoleArn", "")}


def create_executable(
    template: dict[str, Any],
    logical_ids: list[str],
    physical_ids: dict[str, str],
    outputs: dict[str, str],
    client: Any,
) -> None:
    """Create each state machine where executions run, under the ARN the stack gave it; pop the outputs.

    With {"stepfunctions": {"execute_state_machine": true}} moto serves the API from a second backend
    that does not see what CloudFormation created in the first, so the machine is created again there.
    """
    for logical_id in logical_ids:
        definition = outputs.pop(_output_keys(logical_id)[0])
        role = outputs.pop(_output_keys(logical_id)[1])
        arn = physical_ids[logical_id]
        try:
            client.describe_state_machine(stateMachineArn=arn)
            continue  # the executing backend is the one CloudFormation used
        except client.exceptions.StateMachineDoesNotExist:
            pass
        kind = template["Resources"][logical_id]["Properties"].get("StateMachineType", "STANDARD")
        client.create_state_machine(
            name=arn.rsplit(":", 1)[1], definition=definition, roleArn=role, type=kind
        )
        logger.info("state machine created for execution", extra={"logical_id": logical_id, "arn": arn})
