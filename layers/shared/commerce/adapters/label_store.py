"""Shipment labels in the KMS-encrypted `ShippingLabelsBucket`: one object per shipment,
`labels/<shipment id>`, its format, carrier and tracking number in the object's metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.errors import error_code
from commerce.domain.carrier_rates import CarrierLabel, LabelFormat
from commerce.domain.errors import DependencyFailed

KEY_PREFIX = "labels/"


class S3LabelStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client, self._bucket = client, bucket

    def get(self, shipment_id: str) -> tuple[CarrierLabel, datetime] | None:
        try:
            found = self._client.get_object(Bucket=self._bucket, Key=KEY_PREFIX + shipment_id)
        except ClientError as error:
            if error_code(error) in ("NoSuchKey", "404"):
                return None
            raise DependencyFailed(f"S3 answered {error_code(error)}") from error
        meta = found.get("Metadata") or {}
        label = CarrierLabel(
            shipment_id=shipment_id,
            carrier=meta.get("carrier", ""),
            tracking_number=meta.get("tracking-number", ""),
            format=LabelFormat(meta.get("format", "PDF")),
            content=found["Body"].read(),
        )
        return label, datetime.fromisoformat(meta["stored-at"])

    def has(self, shipment_id: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=KEY_PREFIX + shipment_id)
        except ClientError as error:
            if error_code(error) in ("NoSuchKey", "404", "NotFound"):
                return False
            raise DependencyFailed(f"S3 answered {error_code(error)}") from error
        return True

    def put(self, label: CarrierLabel, stored_at: datetime) -> None:
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=KEY_PREFIX + label.shipment_id,
                Body=label.content,
                ContentType=label.format.content_type,
                Metadata={
                    "carrier": label.carrier,
                    "tracking-number": label.tracking_number,
                    "format": label.format.value,
                    "stored-at": stored_at.isoformat(),
                },
            )
        except ClientError as error:
            raise DependencyFailed(f"S3 answered {error_code(error)}") from error
