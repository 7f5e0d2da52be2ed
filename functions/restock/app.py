"""Every hour (RestockSchedule): draft one purchase order per supplier for the SKUs at or below their
reorder point that no open purchase order covers yet."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import inventory
from commerce.config import Settings
from commerce.handlers import entry_point
from commerce.observability import logger, metrics

settings = Settings.from_env()
restock = inventory.restock(settings)


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = restock.run()
    metrics.add_metric(name="PurchaseOrdersDrafted", unit=MetricUnit.Count, value=len(report.drafted))
    logger.info("restock run", low=report.low, drafted=list(report.drafted))
    return {"low": report.low, "drafted": list(report.drafted)}
