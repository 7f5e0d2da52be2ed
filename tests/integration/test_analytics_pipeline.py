"""The analytics pipeline as the template builds it in moto: bus -> rule -> queue -> AnalyticsFunction ->
aggregates in the main table, and the raw events in the Firehose stream's S3 bucket."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.analytics import DynamoAnalytics, DynamoViewHistory
from commerce.adapters.dynamodb.segments import DynamoSegments
from commerce.domain import analytics
from commerce.domain.events import SOURCE, DomainEvent, order_event
from commerce.domain.segments import Segment
from local.cloudformation import Deployment, deploy
from local.lambdas import LambdaRuntime, patch_moto_invoke
from local.queues import QueuePoller, queue_consumers
from local.samyaml import load_template
from local.testing import offline_aws
from tests.integration.conftest import REPO

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
DAY = AT.date().isoformat()
WHO = analytics.ShopperContext(channel="web", currency="EUR", locale="en")


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Deployment]:
    with offline_aws():
        deployment = deploy(REPO / "template.yaml", stack_name="analytics-pipeline")
        runtime = LambdaRuntime(deployment.functions, REPO)
        # Lambda's SQS poller, as the local stack runs it (local/queues.py), for the analytics queue only.
        consumers = [
            c
            for c in queue_consumers(load_template(REPO / "template.yaml"))
            if c.function == "AnalyticsFunction"
        ]
        poller = QueuePoller(runtime, consumers, deployment.physical_ids)
        try:
            with patch_moto_invoke(runtime):
                poller.start()
                yield deployment
        finally:
            poller.stop()
            runtime.close()


def put_on_bus(deployment: Deployment, *events: DomainEvent) -> None:
    client = boto3.client("events", region_name="us-east-1")
    entries = [
        {
            "Source": SOURCE,
            "DetailType": e.type,
            "Detail": json.dumps(e.envelope()),
            "EventBusName": deployment.physical_ids["EventBus"],
        }
        for e in events
    ]
    assert client.put_events(Entries=entries)["FailedEntryCount"] == 0


def store(deployment: Deployment) -> DynamoAnalytics:
    return DynamoAnalytics(
        boto3.client("dynamodb", region_name="us-east-1"), deployment.physical_ids["MainTable"]
    )


def eventually(read: Callable[[], Any], expected: Any, seconds: float = 10) -> Any:
    deadline = time.monotonic() + seconds
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


def paid_order(order_id: str) -> DomainEvent:
    lines = [{"sku": "TEE-ORG-BLK-M", "quantity": 2, "line_total": 5_000}]
    data = {"currency": "EUR", "total": 5_600, "discount": 0, "channel": "web", "lines": lines}
    return order_event("OrderPaid", order_id, AT, data)


def test_events_on_the_bus_are_counted_into_the_aggregates_by_the_analytics_function(
    pipeline: Deployment,
) -> None:
    put_on_bus(pipeline, analytics.product_viewed(WHO, "p-tee", AT), paid_order("ord-pipeline-1"))

    funnel = eventually(
        lambda: store(pipeline).partition(analytics.FUNNEL + DAY), {"web": {"views": 1, "paid": 1}}
    )
    assert funnel == {"web": {"views": 1, "paid": 1}}
    sales = store(pipeline).partition(analytics.SALES + DAY)
    assert sales["web#EUR"] == {"revenue": 5_600, "orders": 1, "units": 2}


def test_a_replayed_event_on_the_bus_changes_no_aggregate(pipeline: Deployment) -> None:
    event = paid_order("ord-pipeline-replayed")
    day = analytics.SALES + DAY
    before = store(pipeline).partition(day).get("web#EUR", {}).get("orders", 0)
    put_on_bus(pipeline, event)
    eventually(lambda: store(pipeline).partition(day)["web#EUR"]["orders"], before + 1)

    put_on_bus(pipeline, event)
    put_on_bus(pipeline, analytics.search_made(WHO, "marker", 0, AT))  # behind the replay in the queue
    eventually(lambda: store(pipeline).partition(analytics.FUNNEL + DAY)["web"].get("searches"), 1)

    assert store(pipeline).partition(day)["web#EUR"]["orders"] == before + 1


def test_the_raw_events_land_in_the_raw_events_bucket_under_their_date(pipeline: Deployment) -> None:
    event = analytics.checkout_started(WHO, "ord-raw", AT)
    put_on_bus(pipeline, event)
    s3 = boto3.client("s3", region_name="us-east-1")
    bucket = pipeline.physical_ids["RawEventsBucket"]

    def archived_ids() -> set[str]:
        ids: set[str] = set()
        for item in s3.list_objects_v2(Bucket=bucket, Prefix="events/").get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
            ids |= {json.loads(line)["event_id"] for line in body.splitlines() if line}
        return ids

    eventually(lambda: event.event_id in archived_ids(), True)
    assert event.event_id in archived_ids()
    today = datetime.now(UTC).strftime("%Y/%m/%d")  # Firehose partitions by arrival time
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix="events/")["Contents"]]
    assert all(key.startswith(f"events/{today}/") for key in keys)


def test_a_customers_paid_orders_make_their_stats_and_the_nightly_job_puts_them_in_a_segment(
    pipeline: Deployment,
) -> None:
    table = pipeline.physical_ids["MainTable"]
    client = boto3.client("dynamodb", region_name="us-east-1")
    for n in range(2):
        data = {"currency": "EUR", "total": 3_000, "channel": "web", "customer_id": "sub-seg", "lines": []}
        put_on_bus(pipeline, order_event("OrderPaid", f"ord-seg-{n}", datetime.now(UTC), data))
    stats = eventually(
        lambda: store(pipeline).partition("CUSTOMER#sub-seg").get("STATS", {}).get("orders"), 2
    )
    assert stats == 2

    name = pipeline.functions["SegmentsFunction"].physical_name
    answer = json.loads(
        boto3.client("lambda", region_name="us-east-1").invoke(FunctionName=name)["Payload"].read()
    )

    assert answer["changed"] >= 1
    repeat = DynamoSegments(client, table).in_segment(Segment.REPEAT, 100)
    assert [(s.customer_id, s.orders, dict(s.lifetime_value)) for s in repeat] == [
        ("sub-seg", 2, {"EUR": 6_000})
    ]
    again = json.loads(
        boto3.client("lambda", region_name="us-east-1").invoke(FunctionName=name)["Payload"].read()
    )
    assert again["changed"] == 0


def test_a_customers_recently_viewed_products_come_back_latest_first(pipeline: Deployment) -> None:
    views = DynamoViewHistory(
        boto3.client("dynamodb", region_name="us-east-1"), pipeline.physical_ids["MainTable"]
    )
    views.remember("sub-views", "p1", "2026-11-20T10:00:00+00:00")
    views.remember("sub-views", "p2", "2026-11-20T11:00:00+00:00")
    views.remember("sub-views", "p1", "2026-11-20T12:00:00+00:00")
    views.remember("sub-views", "p2", "2026-11-20T09:00:00+00:00")  # older than the one kept: ignored

    assert [(v.product_id, v.viewed_at[11:16]) for v in views.recent("sub-views", 10)] == [
        ("p1", "12:00"),
        ("p2", "11:00"),
    ]
