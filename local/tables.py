"""Table settings moto's CloudFormation ignores (TTL, point-in-time recovery), applied after the stack."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

TABLE_TYPE = "AWS::DynamoDB::Table"


def apply_table_settings(template: dict[str, Any], physical_ids: dict[str, str], dynamodb: Any) -> None:
    """Turn on TTL and PITR on each deployed table whose template properties ask for them."""
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != TABLE_TYPE or logical_id not in physical_ids:
            continue
        table = physical_ids[logical_id]
        properties = resource.get("Properties", {})
        ttl = properties.get("TimeToLiveSpecification") or {}
        if str(ttl.get("Enabled")).lower() == "true":
            dynamodb.update_time_to_live(
                TableName=table,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )
        pitr = properties.get("PointInTimeRecoverySpecification") or {}
        if str(pitr.get("PointInTimeRecoveryEnabled")).lower() == "true":
            dynamodb.update_continuous_backups(
                TableName=table,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
        logger.debug("table settings applied", extra={"table": table})
