"""Scheduled every morning: yesterday's report to S3 (CSV and an HTML page with charts), a summary to the
merchant. An invocation may name the day: {"day": "2026-11-26"}."""

from __future__ import annotations

from datetime import date
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import analytics
from commerce.config import Settings
from commerce.handlers import entry_point

settings = Settings.from_env()
daily_report = analytics.daily_report(settings)


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    day = date.fromisoformat(event["day"]) if isinstance(event, dict) and event.get("day") else None
    written = daily_report.run(day)
    return {"day": written.day.isoformat(), "html": written.html, "csv": written.csv}
