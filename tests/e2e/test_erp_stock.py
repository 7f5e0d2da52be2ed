"""ERP stock in over the local stack: an integration key from the staff API, counts over HTTP (401 without a
valid key, valid lines applied and bad ones rejected, a replay changing nothing), and a CSV dropped in the
bucket imported through S3 -> SQS -> the function, with its report (docs/erp-stock.md)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from local.stack import LocalStack
from tests.polling import poll

from .conftest import Api, Tokens, aws_client
from .test_purchase import LOCATION, Shop

pytestmark = pytest.mark.e2e

ROUTE = "/integrations/erp/stock"


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Shop:
    return Shop(stack, api)


@pytest.fixture(scope="module")
def erp_key(api: Api, tokens: Tokens) -> str:
    created = api.post(
        "/admin/integrations/erp/keys", json={"name": "e2e ERP"}, headers=tokens.headers("admin")
    )
    assert created.status_code == 201, created.text
    return str(created.json()["api_key"])


def stock(api: Api, tokens: Tokens, sku: str) -> dict[str, Any]:
    """The staff view of the SKU, checked against the sum of every movement it shows."""
    answer = api.get(f"/admin/inventory/{sku}", headers=tokens.headers("staff"))
    assert answer.status_code == 200, answer.text
    view = dict(answer.json())
    assert view["on_hand"] == sum(m["on_hand_change"] for m in view["recent_movements"])
    return view


def test_counts_need_a_valid_key_and_a_revoked_one_stops_working(api: Api, tokens: Tokens) -> None:
    admin = tokens.headers("admin")  # keys need the integrations permission
    created = api.post("/admin/integrations/erp/keys", json={"name": "soon gone"}, headers=admin).json()
    body = {"batch_id": "b-1", "lines": [{"sku": "X-1", "location_id": LOCATION, "on_hand": 1}]}
    assert api.post(ROUTE, json=body, headers={"X-Api-Key": created["api_key"]}).status_code == 200
    revoked = api.delete(f"/admin/integrations/erp/keys/{created['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    listed = api.get("/admin/integrations/erp/keys", headers=admin).json()["items"]
    assert created["api_key"] not in json.dumps(listed)
    for headers in ({}, {"X-Api-Key": "nonsense"}, {"X-Api-Key": created["api_key"]}):
        refused = api.post(ROUTE, json=body, headers=headers)
        assert refused.status_code == 401, refused.text
        assert refused.headers["content-type"] == "application/problem+json"


def test_a_batch_applies_its_valid_lines_rejects_the_bad_ones_and_a_replay_changes_nothing(
    shop: Shop, api: Api, tokens: Tokens, erp_key: str
) -> None:
    sku = shop.new_sku(10)
    body = {
        "batch_id": f"count-{uuid.uuid4().hex[:8]}",
        "lines": [
            {"sku": sku, "location_id": LOCATION, "on_hand": 7},
            {"sku": "NOPE-0", "location_id": LOCATION, "on_hand": 1},
            {"sku": sku, "location_id": LOCATION, "on_hand": 8},
            {"sku": sku, "location_id": "wh-berlin", "on_hand": -1},
        ],
    }
    first = api.post(ROUTE, json=body, headers={"X-Api-Key": erp_key})
    assert first.status_code == 200, first.text
    answer = first.json()
    assert [(a["line"], a["previous_on_hand"], a["adjustment"]) for a in answer["applied"]] == [(1, 10, -3)]
    assert [(r["line"], r["reason"]) for r in answer["rejected"]] == [
        (2, "unknown-sku"),
        (3, "duplicate-line"),
        (4, "bad-figure"),
    ]
    view = stock(api, tokens, sku)
    assert view["on_hand"] == 7
    [movement] = [m for m in view["recent_movements"] if m["reason"] == "adjustment"]
    assert body["batch_id"] in movement["note"]

    again = api.post(ROUTE, json=body, headers={"X-Api-Key": erp_key})
    assert (again.status_code, again.json()) == (200, answer)
    assert stock(api, tokens, sku)["recent_movements"] == view["recent_movements"]

    other = {**body, "lines": [{"sku": sku, "location_id": LOCATION, "on_hand": 2}]}
    conflict = api.post(ROUTE, json=other, headers={"X-Api-Key": erp_key})
    assert conflict.status_code == 409 and conflict.headers["content-type"] == "application/problem+json"
    assert stock(api, tokens, sku)["on_hand"] == 7


def test_a_csv_dropped_in_the_bucket_is_imported_with_a_report_of_its_rejected_rows(
    stack: LocalStack, shop: Shop, api: Api, tokens: Tokens
) -> None:
    assert stack.deployment is not None
    bucket = stack.deployment.physical_ids["ErpDropBucket"]
    client = aws_client(stack, "s3")
    sku = shop.new_sku(4)
    name = f"e2e-{uuid.uuid4().hex[:8]}"
    text = f"sku,location_id,on_hand\n{sku},{LOCATION},11\n{sku},wh-nowhere,3\nNOPE-0,{LOCATION},2\n"
    client.put_object(Bucket=bucket, Key=f"erp/stock/{name}.csv", Body=text.encode())

    def report() -> dict[str, Any] | None:
        try:
            found = client.get_object(Bucket=bucket, Key=f"erp/reports/{name}.json")
        except client.exceptions.NoSuchKey:
            return None
        return dict(json.loads(found["Body"].read()))

    imported = poll(report, seconds=30)
    assert [(a["line"], a["adjustment"]) for a in imported["applied"]] == [(2, 7)]
    assert [(r["line"], r["reason"]) for r in imported["rejected"]] == [
        (3, "unknown-location"),
        (4, "unknown-sku"),
    ]
    rejected = (
        client.get_object(Bucket=bucket, Key=f"erp/reports/{name}.rejected.csv")["Body"].read().decode()
    )
    assert [row.split(",")[0] for row in rejected.splitlines()[1:]] == ["3", "4"]
    assert stock(api, tokens, sku)["on_hand"] == 11
