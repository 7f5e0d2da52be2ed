"""ERP files dropped in the bucket, read and reported on through S3 (DroppedFiles)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.errors import error_code
from commerce.domain.errors import DependencyFailed, NotFound, ValidationFailed

MAX_FILE_BYTES = 2_000_000  # about MAX_CSV_ROWS rows with room to spare; more is refused unread


class S3DroppedFiles:
    def __init__(self, client: Any) -> None:
        self._client = client

    def read(self, bucket: str, key: str, version: str | None) -> str:
        request: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version:
            request["VersionId"] = version
        try:
            found = self._client.get_object(**request)
        except ClientError as error:
            if error_code(error) in ("NoSuchKey", "NoSuchVersion", "404"):
                raise NotFound(f"no object {key}") from error
            raise DependencyFailed(f"S3 answered {error_code(error)}") from error
        if int(found.get("ContentLength") or 0) > MAX_FILE_BYTES:
            raise ValidationFailed(f"a stock file is at most {MAX_FILE_BYTES} bytes; split it")
        try:
            return str(found["Body"].read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ValidationFailed("a stock file is UTF-8 text") from error

    def write(self, bucket: str, key: str, body: str, content_type: str) -> None:
        try:
            self._client.put_object(
                Bucket=bucket, Key=key, Body=body.encode(), ContentType=f"{content_type}; charset=utf-8"
            )
        except ClientError as error:
            raise DependencyFailed(f"S3 answered {error_code(error)}") from error
