"""S3 bucket settings moto's CloudFormation ignores, applied from the template (ERP stock in).

moto's `AWS::S3::Bucket` creates the bucket and its encryption only: it drops `NotificationConfiguration`
and `VersioningConfiguration`. moto's S3 API does honour both: with a queue notification configured through
`PutBucketNotificationConfiguration`, a `PutObject` matching the filter sends the S3 event to the SQS queue
(moto's `s3/notifications.py`), where `local/queues.py` polls it for the consuming function, as Lambda
does. So after the stack is created, each bucket's configuration is read from the template, its `!GetAtt
Queue.Arn` resolved to the queue moto built, and put through the API: the real handler runs on the real
event shape, with no code of ours between S3 and the queue.

Differences from AWS left as they are: moto's event carries no `versionId` and no `sequencer` (the import
falls back to the ETag), and the test event (`s3:TestEvent`) it sends on configuration is one S3 sends too.
Lambda and SNS destinations are not wired (no bucket of the template uses them).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

BUCKET_TYPE = "AWS::S3::Bucket"


def bucket_settings(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{bucket logical id: its properties} for the buckets with notifications or versioning."""
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == BUCKET_TYPE
        and {"NotificationConfiguration", "VersioningConfiguration"} & set(resource.get("Properties", {}))
    }


def _logical_id(value: Any) -> str:
    attribute = value["Fn::GetAtt"] if isinstance(value, dict) and "Fn::GetAtt" in value else None
    if attribute is None:
        raise ValueError(f"a notification queue is named by !GetAtt Queue.Arn locally, not {value!r}")
    return str(attribute[0] if isinstance(attribute, list) else str(attribute).split(".")[0])


def _queue_configuration(entry: dict[str, Any], ids: dict[str, str], sqs: Any) -> dict[str, Any]:
    url = ids[_logical_id(entry["Queue"])]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    configuration: dict[str, Any] = {"QueueArn": arn, "Events": [entry["Event"]]}
    rules = ((entry.get("Filter") or {}).get("S3Key") or {}).get("Rules")
    if rules:
        configuration["Filter"] = {
            "Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}
        }
    return configuration


def apply_bucket_settings(
    settings: dict[str, dict[str, Any]], ids: dict[str, str], s3: Any, sqs: Any
) -> None:
    for logical_id, properties in settings.items():
        bucket = ids[logical_id]
        status = (properties.get("VersioningConfiguration") or {}).get("Status")
        if status:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})
        notifications = properties.get("NotificationConfiguration") or {}
        queues = [_queue_configuration(q, ids, sqs) for q in notifications.get("QueueConfigurations", [])]
        if queues:
            s3.put_bucket_notification_configuration(
                Bucket=bucket, NotificationConfiguration={"QueueConfigurations": queues}
            )
        logger.info("bucket settings applied", extra={"bucket": bucket, "queues": len(queues)})
