"""Daily report files in S3, and the merchant's summary as a log line until an email adapter is wired."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.errors import error_code
from commerce.domain.errors import DependencyFailed

logger = logging.getLogger(__name__)


class S3ReportFiles:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client, self._bucket = client, bucket

    def write(self, key: str, body: str, content_type: str) -> str:
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=body.encode(), ContentType=f"{content_type}; charset=utf-8"
            )
        except ClientError as error:
            raise DependencyFailed(f"S3 answered {error_code(error)}") from error
        return f"s3://{self._bucket}/{key}"
