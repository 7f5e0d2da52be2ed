"""Scheduled every night: recomputes each paying customer's segment (new, repeat, lapsed, high value) and
announces every change as CustomerSegmentChanged."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import analytics
from commerce.config import Settings
from commerce.handlers import entry_point
from commerce.observability import logger

settings = Settings.from_env()
segments = analytics.segments(settings)


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = segments.recompute()
    logger.info("segments recomputed", customers=run.customers, changed=run.changed)
    return {"customers": run.customers, "changed": run.changed}
