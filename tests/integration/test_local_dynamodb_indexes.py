"""Queries through moto with the local stack's DynamoDB fixes installed: indexes still see every partition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.patches import moto_dynamodb
from local.testing import offline_aws, unique_name


@pytest.fixture
def dynamodb() -> Iterator[tuple[Any, str]]:
    moto_dynamodb.install()
    table = unique_name("catalog")
    with offline_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        attributes = ("PK", "SK", "GSI1PK", "GSI1SK")
        client.create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in attributes],
            KeySchema=[
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "GSI1",
                    "KeySchema": [
                        {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                        {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
        yield client, table


def test_an_index_query_finds_items_across_table_partitions(dynamodb: tuple[Any, str]) -> None:
    client, table = dynamodb
    for product, rank in [("P1", "2"), ("P2", "1"), ("P3", "3")]:
        item = {"PK": product, "SK": "PRODUCT", "GSI1PK": "CATALOG", "GSI1SK": rank}
        client.put_item(TableName=table, Item={key: {"S": value} for key, value in item.items()})

    found = client.query(
        TableName=table,
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "CATALOG"}},
    )["Items"]

    assert [item["PK"]["S"] for item in found] == ["P2", "P1", "P3"]


def test_a_table_query_pages_through_its_partition(dynamodb: tuple[Any, str]) -> None:
    client, table = dynamodb
    for sk in ["c", "a", "b"]:
        client.put_item(TableName=table, Item={"PK": {"S": "CART#1"}, "SK": {"S": sk}})
    client.put_item(TableName=table, Item={"PK": {"S": "CART#2"}, "SK": {"S": "a"}})
    query = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND SK > :after",
        "ExpressionAttributeValues": {":pk": {"S": "CART#1"}, ":after": {"S": "a"}},
        "Limit": 1,
        "ScanIndexForward": False,
    }

    first = client.query(**query)
    second = client.query(**query, ExclusiveStartKey=first["LastEvaluatedKey"])

    assert [item["SK"]["S"] for item in first["Items"] + second["Items"]] == ["c", "b"]
