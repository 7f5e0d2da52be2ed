"""The fulfillment state machine's waits (`{"step": "await"}`): the task token is kept until the carrier's
tracking reaches the milestone, or answered at once when it already has. Its own Lambda
(MilestoneWaitsFunction), beside the tracking webhook's in this folder."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import fulfillment
from commerce.config import Settings
from commerce.handlers import entry_point

waits = fulfillment.delivery_waits(Settings.from_env())


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return waits.await_milestone(str(event["order_id"]), str(event["milestone"]), str(event["task_token"]))
