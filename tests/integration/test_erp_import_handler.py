"""ERP stock in against moto built from template.yaml: integration keys through the staff routes, counts
through `POST /integrations/erp/stock`, and a CSV put in the bucket reaching the function through the
template's S3 notification and queue (local/bucket_notifications.py, local/queues.py)."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.config import Settings
from local.queues import QueuePoller, queue_consumers
from local.samyaml import load_template

from .conftest import REPO, Stack, sample_event
from .test_admin_catalog_handler import admin_event as staff_event
from .test_admin_catalog_handler import create_product

FN = "ErpImportFunction"
FILES = "ErpStockFilesFunction"  # the dropped CSV files, from the same folder
LOCATION = "wh-paris"  # a demo location (local/demo_catalog.py)

admin_event = functools.partial(
    staff_event, groups="[admin]"
)  # ERP keys need the integrations permission: admin by default


def stock_event(body: Any, key: str | None) -> dict[str, Any]:
    event = sample_event("erp-import-stock.json")
    event["headers"] = {"content-type": "application/json", **({"x-api-key": key} if key else {})}
    event["body"] = json.dumps(body)
    return event


def on_hand(sku: str, location: str = LOCATION) -> int:
    store = DynamoInventory(boto3.client("dynamodb"), Settings.from_env().table_name)
    return sum(lv.on_hand for lv in store.levels(sku) if lv.location.split("@")[0] == location)


@pytest.fixture(scope="module")
def erp_key(stack: Stack) -> str:
    status, headers, body = stack.call(
        FN, admin_event("POST", "/admin/integrations/erp/keys", {"name": "Acme ERP"})
    )
    assert status == 201, body
    assert headers["Location"] == f"/admin/integrations/erp/keys/{body['id']}"
    return str(body["api_key"])


@pytest.fixture(scope="module")
def poller(stack: Stack) -> Iterator[QueuePoller]:
    consumers = [c for c in queue_consumers(load_template(REPO / "template.yaml")) if c.function == FILES]
    poller = QueuePoller(stack.runtime, consumers, stack.deployment.physical_ids)
    poller.drain()  # S3's test event, sent when the notification was configured
    yield poller


def test_staff_list_keys_without_their_secrets_and_customers_cannot(stack: Stack, erp_key: str) -> None:
    status, _, body = stack.call(FN, admin_event("GET", "/admin/integrations/erp/keys"))
    assert status == 200
    mine = [k for k in body["items"] if erp_key.startswith(k["id"] + ".")]
    assert len(mine) == 1 and "api_key" not in mine[0] and erp_key.split(".")[1] not in json.dumps(body)
    status, _, problem = stack.call(FN, admin_event("GET", "/admin/integrations/erp/keys", groups=None))
    assert status == 403 and problem["status"] == 403


def test_counts_apply_valid_lines_reject_the_others_and_a_replay_changes_nothing(
    stack: Stack, erp_key: str
) -> None:
    _, sku = create_product(stack)
    body = {
        "batch_id": f"b-{uuid.uuid4().hex[:8]}",
        "lines": [
            {"sku": sku, "location_id": LOCATION, "on_hand": 12},
            {"sku": "NOPE-0", "location_id": LOCATION, "on_hand": 3},
            {"sku": sku, "location_id": "wh-nowhere", "on_hand": 3},
        ],
    }
    status, _, answer = stack.call(FN, stock_event(body, erp_key))
    assert status == 200, answer
    assert [(a["sku"], a["adjustment"]) for a in answer["applied"]] == [(sku, 12)]
    assert [(r["line"], r["reason"]) for r in answer["rejected"]] == [
        (2, "unknown-sku"),
        (3, "unknown-location"),
    ]
    assert on_hand(sku) == 12
    status, _, again = stack.call(FN, stock_event(body, erp_key))
    assert (status, again) == (200, answer) and on_hand(sku) == 12
    other = {**body, "lines": [{"sku": sku, "location_id": LOCATION, "on_hand": 1}]}
    status, _, problem = stack.call(FN, stock_event(other, erp_key))
    assert status == 409 and problem["status"] == 409 and on_hand(sku) == 12


def test_a_missing_wrong_or_revoked_key_is_a_401_problem_before_the_body_is_read(stack: Stack) -> None:
    status, _, created = stack.call(
        FN, admin_event("POST", "/admin/integrations/erp/keys", {"name": "Old ERP"})
    )
    assert status == 201
    status, _, _ = stack.call(
        FN, admin_event("DELETE", "/admin/integrations/erp/keys/{key_id}", key_id=created["id"])
    )
    assert status == 200
    for key in (None, "nonsense", created["id"] + ".wrong", created["api_key"]):
        status, headers, problem = stack.call(FN, stock_event({"not": "a batch"}, key))
        assert status == 401 and headers["Content-Type"] == "application/problem+json", problem
        assert problem["status"] == 401


def test_a_csv_dropped_in_the_bucket_is_imported_once_with_a_report_of_its_rejected_rows(
    stack: Stack, poller: QueuePoller
) -> None:
    _, sku = create_product(stack)
    bucket = stack.deployment.physical_ids["ErpDropBucket"]
    s3 = boto3.client("s3")
    name = f"count-{uuid.uuid4().hex[:6]}"
    text = f"sku,location_id,on_hand\n{sku},{LOCATION},9\nNOPE-0,{LOCATION},1\n{sku},wh-berlin,x\n"
    s3.put_object(Bucket=bucket, Key=f"erp/stock/{name}.csv", Body=text.encode())
    assert poller.drain() >= 1  # the S3 event reached the queue by itself
    assert on_hand(sku) == 9
    report = json.loads(s3.get_object(Bucket=bucket, Key=f"erp/reports/{name}.json")["Body"].read())
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [(3, "unknown-sku"), (4, "bad-figure")]
    rejected = s3.get_object(Bucket=bucket, Key=f"erp/reports/{name}.rejected.csv")["Body"].read().decode()
    assert rejected.splitlines()[1].startswith(f"3,NOPE-0,{LOCATION},1,unknown-sku")
    # The same S3 event delivered again (at-least-once) changes nothing.
    message = sample_event("erp-import-dropped-file.json")
    record = json.loads(message["Records"][0]["body"])
    record["Records"][0]["s3"]["bucket"]["name"] = bucket
    record["Records"][0]["s3"]["object"].update(
        key=f"erp/stock/{name}.csv", versionId=None, eTag=report["source"]["etag"]
    )
    message["Records"][0]["body"] = json.dumps(record)
    assert stack.runtime.invoke(FILES, message) == {"batchItemFailures": []}
    assert on_hand(sku) == 9


def test_files_outside_the_stock_prefix_do_not_reach_the_import(stack: Stack, poller: QueuePoller) -> None:
    bucket = stack.deployment.physical_ids["ErpDropBucket"]
    boto3.client("s3").put_object(Bucket=bucket, Key="erp/other/x.csv", Body=b"sku,location_id,on_hand\n")
    assert poller.drain() == 0
