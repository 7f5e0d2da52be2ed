"""What the local bus received: a rule sending every domain event (source `commerce`) to a queue of its own,
which the end-to-end suite drains at its end to check each event against its schema (docs/events.md).
Local only: it is not in template.yaml, so nothing of it is deployed."""

from __future__ import annotations

import json
from typing import Any

from local import aws

RULE = "local-event-capture"
QUEUE = "local-event-capture"


class EventCapture:
    def __init__(self, bus_name: str) -> None:
        self._sqs = aws.client("sqs")
        self._url = self._sqs.create_queue(QueueName=QUEUE, Attributes={"MessageRetentionPeriod": "86400"})[
            "QueueUrl"
        ]
        arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        events = aws.client("events")
        events.put_rule(Name=RULE, EventBusName=bus_name, EventPattern=json.dumps({"source": ["commerce"]}))
        events.put_targets(Rule=RULE, EventBusName=bus_name, Targets=[{"Id": "capture", "Arn": arn}])

    def waiting(self) -> int:
        """How many events wait to be drained (SQS's approximate count: exact on moto)."""
        attributes = self._sqs.get_queue_attributes(
            QueueUrl=self._url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"])

    def drain(self) -> list[dict[str, Any]]:
        """Every event received since the last drain, as EventBridge delivered it (detail-type, detail...)."""
        drained: list[dict[str, Any]] = []
        while True:
            messages = self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not messages:
                return drained
            for message in messages:
                drained.append(json.loads(message["Body"]))
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
