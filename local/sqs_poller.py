"""Lambda's SQS poller, for the local stack: moto invokes a queue's function only at the moment a message is
sent, so a message sent with a delay (a webhook retry) or made visible again would wait forever. This polls
every queue that has an event source mapping and hands what is due to the function, as Lambda does."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from local import aws

if TYPE_CHECKING:
    from local.lambdas import LambdaRuntime

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 0.25


class SqsPoller:
    def __init__(self, runtime: LambdaRuntime, interval: float = INTERVAL_SECONDS) -> None:
        self._runtime = runtime
        self._interval = interval
        self._stop = threading.Event()
        self._sqs = aws.client("sqs")
        self._mappings = self._find_mappings()
        self._thread = threading.Thread(target=self._run, name="local-sqs-poller", daemon=True)

    def _find_mappings(self) -> list[tuple[str, str, str, int]]:
        """(queue url, queue arn, function name, batch size) of every enabled SQS mapping."""
        found = []
        for mapping in aws.client("lambda").list_event_source_mappings()["EventSourceMappings"]:
            arn = mapping["EventSourceArn"]
            if not arn.startswith("arn:aws:sqs:") or mapping.get("State") == "Disabled":
                continue
            url = self._sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
            found.append((url, arn, mapping["FunctionArn"], int(mapping.get("BatchSize") or 10)))
        return found

    def start(self) -> SqsPoller:
        if self._mappings:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for url, arn, function, batch_size in self._mappings:
                try:
                    self._poll(url, arn, function, batch_size)
                except Exception:  # the poller keeps going, as Lambda's does
                    if self._stop.is_set():
                        return
                    logger.exception("sqs poll failed", extra={"queue": arn})

    def _poll(self, url: str, arn: str, function: str, batch_size: int) -> None:
        messages = self._sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=min(batch_size, 10), AttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return
        event = {"Records": [_record(message, arn) for message in messages]}
        try:
            answer = self._runtime.invoke(function, event) or {}
        except Exception:
            logger.exception("function raised on an sqs batch", extra={"function": function})
            return  # every message comes back after its visibility timeout, then goes to the DLQ
        failed = {item.get("itemIdentifier") for item in answer.get("batchItemFailures", [])}
        for message in messages:
            if message["MessageId"] not in failed:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": aws.REGION,
    }
