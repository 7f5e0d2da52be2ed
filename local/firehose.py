"""Kinesis Data Firehose delivery streams for the local stack (analytics).

moto's CloudFormation does not build `AWS::KinesisFirehose::DeliveryStream` (strip.py removes it and points
references at `local-<LogicalId>`), but moto's Firehose API delivers to moto's S3. So each stream of the
template is created here, under that placeholder name, writing to the bucket and prefix the template gives:
the events the analytics consumer archives land in the local S3 bucket as they would in AWS.
"""

from __future__ import annotations

import logging
from typing import Any

from local.strip import placeholder

logger = logging.getLogger(__name__)

STREAM_TYPE = "AWS::KinesisFirehose::DeliveryStream"


def delivery_streams(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The template's delivery streams, read before strip_unsupported removes them."""
    return {lid: res for lid, res in template["Resources"].items() if res["Type"] == STREAM_TYPE}


def _bucket_arn(value: Any, ids: dict[str, str]) -> str:
    """A `!GetAtt Bucket.Arn` resolved to the bucket moto created."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        attribute = value["Fn::GetAtt"]
        logical_id = attribute[0] if isinstance(attribute, list) else str(attribute).split(".")[0]
        return f"arn:aws:s3:::{ids[logical_id]}"
    return str(value)


def create_delivery_streams(streams: dict[str, dict[str, Any]], ids: dict[str, str], client: Any) -> None:
    for logical_id, resource in streams.items():
        destination = resource["Properties"]["ExtendedS3DestinationConfiguration"]
        name = placeholder(logical_id, None)
        # The name is the same for every stack in one moto (the placeholder the functions' settings hold):
        # the latest stack's stream wins, as the latest stack's functions are the ones that run.
        if name in client.list_delivery_streams()["DeliveryStreamNames"]:
            client.delete_delivery_stream(DeliveryStreamName=name)
        client.create_delivery_stream(
            DeliveryStreamName=name,
            DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration={
                "BucketARN": _bucket_arn(destination["BucketARN"], ids),
                "RoleARN": f"arn:aws:iam::123456789012:role/{name}",
                "Prefix": str(destination.get("Prefix", "")),
            },
        )
        ids[logical_id] = name
        logger.info("delivery stream created", extra={"stream": name, "resource": logical_id})
