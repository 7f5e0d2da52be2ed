"""The local stack's fixes to moto's DynamoDB: transactions are isolated and roll back exactly."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.patches import moto_dynamodb
from local.testing import offline_aws

TABLE = "t"


@pytest.fixture
def client() -> Iterator[Any]:
    moto_dynamodb.install()
    with offline_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
        )
        yield dynamodb
        dynamodb.delete_table(TableName=TABLE)  # moto keeps one state while mock_aws blocks are nested


def _reserve(dynamodb: Any, order: int) -> bool:
    try:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": "SKU#A"}, "SK": {"S": "STOCK"}},
                        "UpdateExpression": "SET available = available - :one",
                        "ConditionExpression": "available >= :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
                {"Put": {"TableName": TABLE, "Item": {"PK": {"S": f"ORDER#{order}"}, "SK": {"S": "ORDER"}}}},
            ]
        )
        return True
    except ClientError as error:
        assert error.response["Error"]["Code"] == "TransactionCanceledException"
        return False


def test_concurrent_transactions_never_sell_more_than_exists(client: Any) -> None:
    client.put_item(
        TableName=TABLE, Item={"PK": {"S": "SKU#A"}, "SK": {"S": "STOCK"}, "available": {"N": "10"}}
    )
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda n: _reserve(client, n), range(40)))
    assert results.count(True) == 10
    stock = client.get_item(TableName=TABLE, Key={"PK": {"S": "SKU#A"}, "SK": {"S": "STOCK"}})["Item"]
    assert stock["available"]["N"] == "0"


def test_a_cancelled_transaction_leaves_every_item_as_it_was(client: Any) -> None:
    client.put_item(
        TableName=TABLE, Item={"PK": {"S": "SKU#A"}, "SK": {"S": "STOCK"}, "available": {"N": "0"}}
    )
    client.put_item(TableName=TABLE, Item={"PK": {"S": "KEEP"}, "SK": {"S": "X"}, "v": {"S": "before"}})
    with pytest.raises(ClientError):
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {"PK": {"S": "KEEP"}, "SK": {"S": "X"}, "v": {"S": "after"}},
                    }
                },
                {"Put": {"TableName": TABLE, "Item": {"PK": {"S": "NEW"}, "SK": {"S": "X"}}}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": "SKU#A"}, "SK": {"S": "STOCK"}},
                        "ConditionExpression": "available >= :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
    kept = client.get_item(TableName=TABLE, Key={"PK": {"S": "KEEP"}, "SK": {"S": "X"}})["Item"]
    assert kept["v"]["S"] == "before"
    assert "Item" not in client.get_item(TableName=TABLE, Key={"PK": {"S": "NEW"}, "SK": {"S": "X"}})


def test_a_query_on_the_table_key_reads_only_its_partition_in_order(client: Any) -> None:
    for pk, sk in [("B", "2"), ("A", "3"), ("B", "1"), ("A", "1")]:
        client.put_item(TableName=TABLE, Item={"PK": {"S": pk}, "SK": {"S": sk}})
    items = client.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "B"}},
    )["Items"]
    assert [i["SK"]["S"] for i in items] == ["1", "2"]


def test_reads_never_see_an_item_while_another_thread_writes_it(client: Any) -> None:
    key = {"PK": {"S": "ORDER#1"}, "SK": {"S": "ORDER"}}
    client.put_item(TableName=TABLE, Item={**key, "status": {"S": "placed"}})

    def write(n: int) -> None:
        # Each update adds an attribute, so the item's attribute map grows while readers iterate it.
        client.update_item(
            TableName=TABLE,
            Key=key,
            UpdateExpression=f"SET step{n} = :n",
            ExpressionAttributeValues={":n": {"N": str(n)}},
        )

    def read(_: int) -> int:
        found = client.get_item(
            TableName=TABLE,
            Key=key,
            ProjectionExpression="PK, SK, #s",
            ExpressionAttributeNames={"#s": "status"},
        )
        listed = client.query(
            TableName=TABLE, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": key["PK"]}
        )
        return len(found["Item"]) + len(listed["Items"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        writes = pool.map(write, range(60))
        reads = pool.map(read, range(120))
        assert all(count == 4 for count in reads)
        list(writes)
