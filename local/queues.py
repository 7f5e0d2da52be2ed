"""Lambda's SQS poller, in-process: batches, partial batch responses, redrive to the dead-letter queue.

moto builds the template's SQS event source mappings, but invokes the function inside `SendMessage` with
one message at a time and treats any answer as success, so a `batchItemFailures` answer would delete the
failed message. The local stack switches those mappings off (`pause_moto_mappings`) and polls the queues
itself, as Lambda does: receive up to BatchSize messages, invoke, delete what succeeded, make what failed
visible again. moto's own redrive moves a message to the dead-letter queue once it was received
maxReceiveCount times.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from local import aws
from local.specs import FUNCTION_TYPE

if TYPE_CHECKING:
    from local.lambdas import LambdaRuntime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueConsumer:
    function: str  # logical id
    queue: str  # logical id of the AWS::SQS::Queue
    batch_size: int
    partial_batch: bool  # FunctionResponseTypes has ReportBatchItemFailures


def _queue_logical_id(value: Any) -> str | None:
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        return str(target[0] if isinstance(target, list) else str(target).split(".")[0])
    return None


def queue_consumers(sam: dict[str, Any]) -> list[QueueConsumer]:
    """Every function's SQS events in the SAM template."""
    found = []
    for logical_id, resource in sam.get("Resources", {}).items():
        if resource.get("Type") != FUNCTION_TYPE:
            continue
        for event in (resource.get("Properties", {}).get("Events") or {}).values():
            if event.get("Type") != "SQS":
                continue
            props = event.get("Properties", {})
            queue = _queue_logical_id(props.get("Queue"))
            if queue:
                found.append(
                    QueueConsumer(
                        function=logical_id,
                        queue=queue,
                        batch_size=int(props.get("BatchSize", 10)),
                        partial_batch="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
                    )
                )
    return found


def pause_moto_mappings() -> int:
    """Disables moto's SQS event source mappings (the poller below takes their place); how many."""
    client = aws.client("lambda")
    paused = 0
    for mapping in client.list_event_source_mappings().get("EventSourceMappings", []):
        if ":sqs:" in mapping.get("EventSourceArn", ""):
            client.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)
            paused += 1
    return paused


class QueuePoller:
    """Polls each consumer's queue and invokes its function; `drain()` in tests, `start()` for a server."""

    def __init__(
        self, runtime: LambdaRuntime, consumers: list[QueueConsumer], physical_ids: dict[str, str]
    ) -> None:
        self._runtime, self._consumers = runtime, consumers
        self._sqs = aws.client("sqs")
        self._urls = {c.queue: physical_ids[c.queue] for c in consumers}
        self._arns = {
            c.queue: self._sqs.get_queue_attributes(
                QueueUrl=self._urls[c.queue], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            for c in consumers
        }
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def poll_once(self, consumer: QueueConsumer) -> int:
        """One receive and one invoke; how many messages were received."""
        url = self._urls[consumer.queue]
        messages = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(consumer.batch_size, 10),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [self._record(m, self._arns[consumer.queue]) for m in messages]}
        failed = self._invoke(consumer, event, [m["MessageId"] for m in messages])
        for message in messages:
            if message["MessageId"] in failed:
                self._sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def _invoke(self, consumer: QueueConsumer, event: dict[str, Any], ids: list[str]) -> set[str]:
        try:
            result = self._runtime.invoke(consumer.function, event)
        except Exception:
            logger.exception("queue batch failed", extra={"function": consumer.function})
            return set(ids)
        if consumer.partial_batch and isinstance(result, dict):
            return {str(f["itemIdentifier"]) for f in result.get("batchItemFailures") or []}
        return set()

    @staticmethod
    def _record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": aws.REGION,
        }

    def drain(self, max_rounds: int = 50) -> int:
        """Polls every queue until none has a visible message (at most max_rounds); messages handled."""
        handled = 0
        with self._lock:
            for _ in range(max_rounds):
                received = sum(self.poll_once(c) for c in self._consumers)
                handled += received
                if not received:
                    break
        return handled

    def start(self, interval: float = 0.2) -> QueuePoller:
        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.drain(max_rounds=5)
                except Exception:
                    logger.exception("queue poll failed")

        self._thread = threading.Thread(target=loop, name="sqs-poller", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @staticmethod
    def body_of(envelope: dict[str, Any], detail_type: str) -> str:
        """An EventBridge event around a domain event's envelope, as a rule's SQS target receives it."""
        return json.dumps({"source": "commerce", "detail-type": detail_type, "detail": envelope})
