"""Remove the resources moto's CloudFormation cannot create, and every reference to them."""

from __future__ import annotations

import logging
from typing import Any

from local.patches.moto_cloudformation import moto_supports
from local.refs import prune_depends_on, references, replace_references

logger = logging.getLogger(__name__)

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"

# Resources that only attach one thing to another: they go when what they attach to goes.
_ATTACHMENT_TYPES = {"AWS::Lambda::Permission", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"}


def placeholder(logical_id: str, attribute: str | None) -> str:
    """Value standing in for a reference to a resource that is not deployed locally."""
    if attribute is None:
        return f"local-{logical_id}"
    if attribute.endswith("Arn"):
        return f"arn:aws:local:{REGION}:{ACCOUNT_ID}:{logical_id}"
    return f"local-{logical_id}-{attribute}"


def _unsupported(resources: dict[str, Any]) -> set[str]:
    gone = {lid for lid, res in resources.items() if not moto_supports(res["Type"])}
    changed = True
    while changed:
        attached = {
            lid
            for lid, res in resources.items()
            if lid not in gone and res["Type"] in _ATTACHMENT_TYPES and references(res) & gone
        }
        changed = bool(attached)
        gone |= attached
    return gone


def strip_unsupported(template: dict[str, Any]) -> dict[str, str]:
    """Strip in place; return {logical_id: type} of what was removed."""
    resources: dict[str, Any] = template["Resources"]
    gone = _unsupported(resources)
    removed = {lid: resources.pop(lid)["Type"] for lid in sorted(gone)}

    def resolve(logical_id: str, attribute: str | None) -> str | None:
        return placeholder(logical_id, attribute) if logical_id in gone else None

    prune_depends_on(resources, gone)
    for logical_id, resource in resources.items():
        dangling = references(resource) & gone
        if dangling:
            logger.warning(
                "placeholder for resources not deployed locally",
                extra={"resource": logical_id, "refers_to": sorted(dangling)},
            )
            template["Resources"][logical_id] = replace_references(resource, resolve)
    outputs: dict[str, Any] = template.get("Outputs", {})
    for name in [name for name, output in outputs.items() if references(output) & gone]:
        del outputs[name]
    if removed:
        logger.info("stripped resources moto cannot create", extra={"resources": removed})
    return removed
