"""The in-process Lambda runtime, and moto's invokes routed to it."""

from __future__ import annotations

import json
import os
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from local.cloudformation import Deployment, deploy
from local.environment import EnvironmentConflictError
from local.lambdas import FunctionLoadError, LambdaRuntime, patch_moto_invoke
from local.specs import FunctionSpec
from local.testing import offline_aws, unique_name, write_function

_HANDLER = """
    import os

    LOADED_WITH = os.environ.get("GREETING")
    calls = []


    def lambda_handler(event, context):
        calls.append(event)
        if event.get("fail"):
            raise ValueError(f"bad order {event['fail']}")
        return {
            "echo": event,
            "greeting": LOADED_WITH,
            "function_name": context.function_name,
            "arn": context.invoked_function_arn,
            "version": context.function_version,
            "memory": context.memory_limit_in_mb,
            "request_id": context.aws_request_id,
            "log_group": context.log_group_name,
            "remaining": context.get_remaining_time_in_millis(),
        }
"""


def _spec(code_dir: Path, logical_id: str = "EchoFunction", **environment: str) -> FunctionSpec:
    return FunctionSpec(
        logical_id=logical_id,
        physical_name=f"stack-{logical_id}-ABC",
        code_dir=code_dir,
        handler="app.lambda_handler",
        environment=environment,
        memory_size=256,
        timeout=5,
    )


@pytest.fixture
def echo_dir(tmp_path: Path) -> Path:
    return write_function(tmp_path / "echo", _HANDLER)


@pytest.fixture
def runtime(echo_dir: Path, tmp_path: Path) -> Iterator[LambdaRuntime]:
    runtime = LambdaRuntime({"EchoFunction": _spec(echo_dir, GREETING="hello")}, tmp_path)
    yield runtime
    runtime.close()


def test_handler_sees_its_environment_at_cold_start_and_a_lambda_context(runtime: LambdaRuntime) -> None:
    result = runtime.invoke("EchoFunction", {"order": 1})

    assert result["echo"] == {"order": 1}
    assert result["greeting"] == "hello"
    assert result["function_name"] == "stack-EchoFunction-ABC"
    assert result["arn"] == "arn:aws:lambda:us-east-1:123456789012:function:stack-EchoFunction-ABC"
    assert result["version"] == "$LATEST"
    assert result["memory"] == 256
    assert result["log_group"] == "/aws/lambda/stack-EchoFunction-ABC"
    assert 0 < result["remaining"] <= 5000
    assert len(result["request_id"]) == 36


def test_function_is_found_by_physical_name_and_by_arn(runtime: LambdaRuntime) -> None:
    by_name = runtime.invoke("stack-EchoFunction-ABC", {"n": 1})
    by_arn = runtime.invoke(
        "arn:aws:lambda:us-east-1:123456789012:function:stack-EchoFunction-ABC:$LATEST", {}
    )

    assert by_name["echo"] == {"n": 1}
    assert by_arn["echo"] == {}


def test_two_runtimes_do_not_share_module_state(echo_dir: Path, tmp_path: Path) -> None:
    first = LambdaRuntime({"EchoFunction": _spec(echo_dir)}, tmp_path)
    second = LambdaRuntime({"EchoFunction": _spec(echo_dir)}, tmp_path)
    try:
        first.invoke("EchoFunction", {"from": "first"})
        handler_globals = [rt._handlers["EchoFunction"].__globals__ for rt in (first, second)]
    finally:
        second.close()
        first.close()

    assert handler_globals[0]["calls"] == [{"from": "first"}]
    assert handler_globals[1]["calls"] == []
    assert handler_globals[0]["__name__"] != handler_globals[1]["__name__"]


def test_each_function_imports_its_own_modules_of_the_same_name(tmp_path: Path) -> None:
    """Routers sit beside app.py, and two functions may both have an orders.py; in Lambda each is alone."""
    sources = {"first": "WHO = 'first'\n", "second": "WHO = 'second'\n"}
    specs = {}
    for name, source in sources.items():
        code_dir = write_function(
            tmp_path / name, "import orders\n\ndef lambda_handler(event, context):\n    return orders.WHO\n"
        )
        (code_dir / "orders.py").write_text(source, encoding="utf-8")
        specs[name] = _spec(code_dir, name)
    runtime = LambdaRuntime(specs, tmp_path)
    try:
        answers = {name: runtime.invoke(name, {}) for name in sources}
    finally:
        runtime.close()

    assert answers == {"first": "first", "second": "second"}


def test_conflicting_variables_fail_naming_both_functions(echo_dir: Path, tmp_path: Path) -> None:
    functions = {
        "A": _spec(echo_dir, "A", QUEUE_URL="http://a"),
        "B": _spec(echo_dir, "B", QUEUE_URL="http://b"),
    }

    with pytest.raises(EnvironmentConflictError, match=r"A sets QUEUE_URL='http://a' but B sets QUEUE_URL"):
        LambdaRuntime(functions, tmp_path)


def test_close_restores_the_environment(echo_dir: Path, tmp_path: Path) -> None:
    assert "LOCAL_TEST_ONLY" not in os.environ
    runtime = LambdaRuntime({"EchoFunction": _spec(echo_dir, LOCAL_TEST_ONLY="1")}, tmp_path)
    assert os.environ["LOCAL_TEST_ONLY"] == "1"

    runtime.close()

    assert "LOCAL_TEST_ONLY" not in os.environ


def test_a_function_that_fails_to_import_fails_only_when_invoked(echo_dir: Path, tmp_path: Path) -> None:
    broken = write_function(tmp_path / "broken", "import module_that_does_not_exist\n")
    runtime = LambdaRuntime({"EchoFunction": _spec(echo_dir), "Broken": _spec(broken, "Broken")}, tmp_path)
    try:
        assert runtime.invoke("EchoFunction", {})["echo"] == {}
        with pytest.raises(FunctionLoadError, match="module_that_does_not_exist") as raised:
            runtime.invoke("Broken", {})
    finally:
        runtime.close()

    assert raised.value.error_type == "Runtime.ImportModuleError"


_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo/
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment: {Variables: {GREETING: hi}}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/flow
      DefinitionSubstitutions: {EchoArn: !GetAtt EchoFunction.Arn}
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${EchoArn}", Payload.$: "$"}
            OutputPath: $.Payload
            Catch: [{ErrorEquals: [ValueError], ResultPath: $.error, Next: Compensate}]
            End: true
          Compensate: {Type: Pass, Parameters: {status: compensated, error.$: $.error.Error}, End: true}
"""


@pytest.fixture
def deployed(echo_dir: Path, tmp_path: Path) -> Iterator[Deployment]:
    (tmp_path / "template.yaml").write_text(textwrap.dedent(_TEMPLATE), encoding="utf-8")
    with offline_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        deployment = deploy(tmp_path / "template.yaml", stack_name=unique_name("echo"))
        runtime = LambdaRuntime(deployment.functions, tmp_path)
        try:
            with patch_moto_invoke(runtime):
                yield deployment
        finally:
            runtime.close()


def test_lambda_invoke_through_boto3_runs_the_in_process_handler(deployed: Deployment) -> None:
    name = deployed.functions["EchoFunction"].physical_name

    response = boto3.client("lambda", region_name="us-east-1").invoke(
        FunctionName=name, Payload=b'{"sku": "A"}'
    )

    assert "FunctionError" not in response
    payload = json.loads(response["Payload"].read())
    assert payload["echo"] == {"sku": "A"}
    assert payload["greeting"] == "hi"


def test_a_raised_error_comes_back_as_function_error_named_by_its_class(deployed: Deployment) -> None:
    name = deployed.functions["EchoFunction"].physical_name

    response = boto3.client("lambda", region_name="us-east-1").invoke(
        FunctionName=name, Payload=b'{"fail": 7}'
    )

    assert response["FunctionError"] == "Unhandled"
    payload = json.loads(response["Payload"].read())
    assert payload["errorType"] == "ValueError"
    assert payload["errorMessage"] == "bad order 7"


def _finished_execution(arn: str) -> dict:
    client = boto3.client("stepfunctions", region_name="us-east-1")
    deadline = time.monotonic() + 20
    execution = client.describe_execution(executionArn=arn)
    while execution["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        execution = client.describe_execution(executionArn=arn)
    return execution


@pytest.mark.parametrize(
    ("payload", "output"),
    [({"sku": "A"}, {"echo": {"sku": "A"}}), ({"fail": 1}, {"status": "compensated", "error": "ValueError"})],
    ids=["task succeeds", "ValueError caught by name"],
)
def test_state_machine_tasks_run_in_process_and_catch_errors_by_class_name(
    deployed: Deployment, payload: dict, output: object
) -> None:
    machine = deployed.physical_ids["Flow"]
    client = boto3.client("stepfunctions", region_name="us-east-1")

    started = client.start_execution(
        stateMachineArn=machine, name=f"run-{uuid.uuid4()}", input=json.dumps(payload)
    )
    execution = _finished_execution(started["executionArn"])

    assert execution["status"] == "SUCCEEDED", execution
    result = json.loads(execution["output"])
    assert {key: result[key] for key in output} == output


def test_undo_gives_moto_its_own_invoke_back(echo_dir: Path, tmp_path: Path) -> None:
    from moto.awslambda.models import LambdaBackend, LambdaFunction  # noqa: PLC0415
    from moto.awslambda_simple.models import LambdaSimpleBackend  # noqa: PLC0415

    originals = (LambdaBackend.invoke, LambdaSimpleBackend.invoke, LambdaFunction.invoke)
    runtime = LambdaRuntime({"EchoFunction": _spec(echo_dir)}, tmp_path)
    patch = patch_moto_invoke(runtime)
    assert LambdaFunction.invoke is not originals[2]

    patch.undo()
    runtime.close()

    assert (LambdaBackend.invoke, LambdaSimpleBackend.invoke, LambdaFunction.invoke) == originals


_STREAM_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Relay:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: relay/
      Handler: app.lambda_handler
      Runtime: python3.12
      Environment: {Variables: {RELAY_TABLE: !Ref Table}}
      Events:
        Changes:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST, BatchSize: 10}
"""

_RELAY = """
    import os

    import boto3

    def lambda_handler(event, context):
        client = boto3.client("dynamodb", region_name="us-east-1")
        for record in event["Records"]:
            key = record["dynamodb"]["Keys"]["PK"]["S"]
            if key.startswith("OUTBOX#"):
                published = {"PK": {"S": "PUBLISHED#" + key}}
                client.put_item(TableName=os.environ["RELAY_TABLE"], Item=published)
        return {"batchItemFailures": []}
"""


def test_stream_batches_reach_their_function_off_the_writing_thread(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(textwrap.dedent(_STREAM_TEMPLATE), encoding="utf-8")
    write_function(tmp_path / "relay", _RELAY)
    with offline_aws():
        deployment = deploy(tmp_path / "template.yaml", stack_name=unique_name("relay"))
        runtime = LambdaRuntime(deployment.functions, tmp_path)
        try:
            with patch_moto_invoke(runtime) as patch:
                client = boto3.client("dynamodb", region_name="us-east-1")
                table = deployment.physical_ids["Table"]
                client.put_item(TableName=table, Item={"PK": {"S": "OUTBOX#1"}})
                patch.streams.drain()
                published = client.get_item(TableName=table, Key={"PK": {"S": "PUBLISHED#OUTBOX#1"}})
        finally:
            runtime.close()

    assert "Item" in published
