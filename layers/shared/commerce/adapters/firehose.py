"""Raw events to S3 through Kinesis Data Firehose (docs/analytics.md, "The scale path")."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.errors import error_code
from commerce.domain.errors import DependencyFailed

PUT_RECORD_BATCH = 500  # Firehose's limit per call


class FirehoseArchive:
    def __init__(self, client: Any, stream_name: str) -> None:
        self._client, self._stream = client, stream_name

    def archive(self, envelopes: Sequence[Mapping[str, Any]]) -> None:
        # One JSON object per line, so Athena's JSON SerDe reads a delivered object row by row.
        records = [{"Data": (json.dumps(dict(e), separators=(",", ":")) + "\n").encode()} for e in envelopes]
        for start in range(0, len(records), PUT_RECORD_BATCH):
            batch = records[start : start + PUT_RECORD_BATCH]
            try:
                answer = self._client.put_record_batch(DeliveryStreamName=self._stream, Records=batch)
            except ClientError as error:
                raise DependencyFailed(f"Firehose answered {error_code(error)}") from error
            if answer.get("FailedPutCount"):
                # The message goes back to the queue and is retried whole; the aggregates count it once.
                raise DependencyFailed(f"Firehose refused {answer['FailedPutCount']} records")
