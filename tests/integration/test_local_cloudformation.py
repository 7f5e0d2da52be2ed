"""template.yaml deployed into moto in-process, the way the local stack deploys it."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from local.cloudformation import Deployment, deploy, translate
from local.samyaml import load_template
from local.strip import strip_unsupported
from local.testing import offline_aws, unique_name, write_function

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    with offline_aws():
        yield deploy(TEMPLATE, stack_name=unique_name("commerce"))


def _table(name: str) -> dict:
    return boto3.client("dynamodb", region_name="us-east-1").describe_table(TableName=name)["Table"]


def _ttl(name: str) -> dict:
    client = boto3.client("dynamodb", region_name="us-east-1")
    return client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


def test_translate_points_every_code_uri_at_the_local_artifacts_bucket() -> None:
    template = translate(TEMPLATE)

    functions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    layers = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::LayerVersion"]
    assert functions and layers
    assert {f["Properties"]["Code"]["S3Bucket"] for f in functions} == {"local-artifacts"}
    assert {lay["Properties"]["Content"]["S3Bucket"] for lay in layers} == {"local-artifacts"}
    assert not any(r["Type"].startswith("AWS::Serverless::") for r in template["Resources"].values())


def test_main_table_has_its_four_indexes_and_expires_at_ttl(deployment: Deployment) -> None:
    name = deployment.physical_ids["MainTable"]

    table = _table(name)

    indexes = {index["IndexName"] for index in table["GlobalSecondaryIndexes"]}
    assert indexes == {"GSI1", "GSI2", "GSI3", "GSI4"}
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert _ttl(name) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    assert deployment.outputs["MainTableName"] == name


def test_idempotency_table_exists_with_its_ttl(deployment: Deployment) -> None:
    name = deployment.physical_ids["IdempotencyTable"]

    assert _table(name)["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert _ttl(name)["AttributeName"] == "expiration"


def test_event_bus_exists_under_the_name_functions_are_given(deployment: Deployment) -> None:
    buses = boto3.client("events", region_name="us-east-1").list_event_buses()["EventBuses"]

    name = f"{deployment.stack_name}-commerce"
    assert deployment.physical_ids["EventBus"] == name
    assert name in {bus["Name"] for bus in buses}
    assert {f.environment["EVENT_BUS_NAME"] for f in deployment.functions.values()} == {name}


def test_cursor_secret_is_generated_and_readable_by_the_arn_functions_get(deployment: Deployment) -> None:
    arns = {spec.environment["CURSOR_SECRET_ARN"] for spec in deployment.functions.values()}

    (arn,) = arns
    secret = boto3.client("secretsmanager", region_name="us-east-1").get_secret_value(SecretId=arn)
    assert arn == deployment.physical_ids["CursorSigningSecret"]
    assert len(secret["SecretString"]) == 48
    assert secret["SecretString"].isalnum()


def test_kms_key_and_log_groups_are_created(deployment: Deployment) -> None:
    key = boto3.client("kms", region_name="us-east-1").describe_key(KeyId=deployment.physical_ids["DataKey"])
    groups = boto3.client("logs", region_name="us-east-1").describe_log_groups()["logGroups"]

    kms = boto3.client("kms", region_name="us-east-1")
    policy = json.loads(
        kms.get_key_policy(KeyId=deployment.physical_ids["DataKey"], PolicyName="default")["Policy"]
    )
    assert key["KeyMetadata"]["Enabled"]
    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert deployment.physical_ids["BrowseLogGroup"] in {group["logGroupName"] for group in groups}


def test_every_function_gets_the_physical_table_names(deployment: Deployment) -> None:
    sam_functions = {
        lid
        for lid, r in load_template(TEMPLATE)["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert set(deployment.functions) == sam_functions
    assert {"BrowseFunction", "CartFunction"} <= sam_functions
    for spec in deployment.functions.values():
        assert spec.environment["TABLE_NAME"] == deployment.physical_ids["MainTable"]
        assert spec.environment["IDEMPOTENCY_TABLE_NAME"] == deployment.physical_ids["IdempotencyTable"]
        assert spec.environment["CART_TTL_DAYS"] == "30"


def test_functions_carry_code_dir_handler_and_routes_from_the_sam_template(deployment: Deployment) -> None:
    browse = deployment.functions["BrowseFunction"]

    assert browse.code_dir == REPO / "functions" / "browse"
    assert browse.handler == "app.lambda_handler"
    assert ("GET", "/products") in browse.http_routes
    assert any(m == "GET" and p.startswith("/products/{") for m, p in browse.http_routes)
    assert ("POST", "/carts") in deployment.functions["CartFunction"].http_routes
    assert browse.physical_name == deployment.physical_ids["BrowseFunction"]


def test_api_gateway_and_its_permissions_are_left_to_the_emulator(deployment: Deployment) -> None:
    assert "HttpApi" not in deployment.physical_ids
    assert not [lid for lid in deployment.physical_ids if lid.endswith("Permission")]
    assert "ApiUrl" not in deployment.outputs
    assert deployment.cors is not None
    assert deployment.cors.allow_origins == ["*"]
    assert "idempotency-key" in deployment.cors.allow_headers


def test_references_to_stripped_resources_become_placeholders() -> None:
    template = {
        "Resources": {
            "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "DependsOn": ["Pool"],
                "Properties": {"Tags": [{"Key": "pool", "Value": {"Fn::Sub": "${Pool}/${Pool.Arn}"}}]},
            },
        },
        "Outputs": {"PoolId": {"Value": {"Ref": "Pool"}}, "QueueUrl": {"Value": {"Ref": "Queue"}}},
    }

    removed = strip_unsupported(template)

    assert removed == {"Pool": "AWS::Cognito::UserPool"}
    queue = template["Resources"]["Queue"]
    assert "DependsOn" not in queue
    assert queue["Properties"]["Tags"][0]["Value"] == {
        "Fn::Sub": "local-Pool/arn:aws:local:us-east-1:123456789012:Pool"
    }
    assert list(template["Outputs"]) == ["QueueUrl"]


_STATE_MACHINE_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
  Worker:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: worker/, Handler: app.lambda_handler, Runtime: python3.12}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachines/flow.asl.json
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
        TableName: !Ref Table
        Literal: plain
      Policies: [{LambdaInvokePolicy: {FunctionName: !Ref Worker}}]
"""

_FLOW = {
    "StartAt": "WaitForPayment",
    "States": {
        "WaitForPayment": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": "${WorkerArn}",
                "Payload": {"token.$": "$$.Task.Token", "table": "${TableName}", "note": "${Literal}"},
            },
            "End": True,
        }
    },
}


def test_state_machine_gets_its_substituted_definition_with_task_token_intact(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(textwrap.dedent(_STATE_MACHINE_TEMPLATE), encoding="utf-8")
    (tmp_path / "statemachines").mkdir()
    (tmp_path / "statemachines" / "flow.asl.json").write_text(json.dumps(_FLOW, indent=2), encoding="utf-8")
    write_function(tmp_path / "worker", "def lambda_handler(event, context):\n    return event\n")

    with offline_aws():
        deployment = deploy(tmp_path / "template.yaml", stack_name=unique_name("flow"))
        client = boto3.client("stepfunctions", region_name="us-east-1")
        described = client.describe_state_machine(stateMachineArn=deployment.physical_ids["Flow"])

    parameters = json.loads(described["definition"])["States"]["WaitForPayment"]["Parameters"]
    assert (
        parameters["FunctionName"]
        == f"arn:aws:lambda:us-east-1:123456789012:function:{deployment.physical_ids['Worker']}"
    )
    assert parameters["Payload"] == {
        "token.$": "$$.Task.Token",
        "table": deployment.physical_ids["Table"],
        "note": "plain",
    }
