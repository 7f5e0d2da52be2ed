"""The simulated carrier's parcels: `CARRIER#simulated#<tracking number> / PARCEL`, `state` scanned or voided.

One conditional write decides which came first, a scan or a void, as a real carrier's database does: the
local carrier (`local/tools/carrier.py`) scans before it sends a tracking webhook, a cancel voids.
"""

from __future__ import annotations

from typing import Any

from commerce.adapters.dynamodb.codec import key
from commerce.adapters.dynamodb.errors import condition_held

PARCEL_SK = "PARCEL"


def parcel_key(tracking_number: str) -> dict[str, Any]:
    return key(f"CARRIER#simulated#{tracking_number}", PARCEL_SK)


class DynamoParcels:
    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table = client, table

    def scan(self, tracking_number: str) -> bool:
        return self._mark(tracking_number, "scanned", refused_by="voided")

    def void(self, tracking_number: str) -> bool:
        return self._mark(tracking_number, "voided", refused_by="scanned")

    def _mark(self, tracking_number: str, state: str, refused_by: str) -> bool:
        return condition_held(
            self._client.update_item,
            TableName=self._table,
            Key=parcel_key(tracking_number),
            UpdateExpression="SET #state = :state, #type = :type",
            ConditionExpression="attribute_not_exists(#state) OR #state <> :refused",
            ExpressionAttributeNames={"#state": "state", "#type": "type"},
            ExpressionAttributeValues={
                ":state": {"S": state},
                ":refused": {"S": refused_by},
                ":type": {"S": "simulated_parcel"},
            },
        )
