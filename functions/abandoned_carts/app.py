"""Every 15 minutes (AbandonedCartsSchedule): announce the carts left idle with lines and an email
(`CartAbandoned`), once per idle period (docs/marketing-events.md). Each announcement is written into the
outbox with its claim and published at the end of the run (the reservation sweeper publishes what a run
that died left).

The event may carry `after_minutes` to use in place of the configured AbandonedCartAfterMinutes (the local
stack's end-to-end tests run it with 0, so they need not wait an hour)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import carts
from commerce.config import Settings
from commerce.handlers import entry_point
from commerce.observability import logger, metrics

settings = Settings.from_env()
abandoned_carts = carts.abandoned_carts(settings)


def _after(event: dict[str, Any]) -> timedelta | None:
    minutes = event.get("after_minutes")
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        raise ValueError("after_minutes must be a whole number of minutes, zero or more")
    return timedelta(minutes=minutes)


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = abandoned_carts.run(_after(event))
    metrics.add_metric(name="CartsAbandoned", unit=MetricUnit.Count, value=len(report.announced))
    logger.info("abandoned carts run", announced=len(report.announced), skipped=report.skipped)
    return {"announced": list(report.announced), "skipped": report.skipped}
