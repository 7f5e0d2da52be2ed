"""Deploy template.yaml into moto: translate SAM offline, strip what moto cannot build, create the stack.

What moto 5.2.5 builds from this template's translated CloudFormation, checked by
tests/integration/test_local_cloudformation.py:
- DynamoDB tables with their GSIs and streams; TTL and PITR are ignored by moto's CloudFormation,
  so tables.apply_table_settings turns them on afterwards.
- the KMS key, the log groups, the EventBridge bus (its Name via !GetAtt; Ref of a bus breaks rules),
  IAM roles, Lambda functions (environment resolved) and the layer version. The functions' Layers
  list comes back empty (moto resolves the layer Ref to ""): harmless, code runs in-process.
- KMS key policies are stored as given and parsed as JSON later: patches.moto_cloudformation serialises them.
- NOT AWS::SecretsManager::Secret: secrets.provision_secrets creates each one with a generated value
  and points every Ref at its ARN. Nor ApiGatewayV2, Scheduler, Cognito, CloudWatch alarms, queue
  policies: strip.strip_unsupported removes them (local/http_api.py serves the routes instead).
- NOT AWS::SES::* either: mail.provision_identities verifies the template's email identities in moto.
- SQS event source mappings are built, but moto calls them one message at a time and ignores partial
  batch responses: queues.pause_moto_mappings switches them off and queues.QueuePoller polls instead.
- State machines are created, but DefinitionSubstitutions are ignored (statemachines.inline_definitions
  substitutes them), and in a backend that executions do not see (statemachines.create_executable).
- A property referring to a stripped resource (a Cognito user pool id, say) gets a placeholder value
  ("local-<LogicalId>", or a fake ARN); outputs referring to one are dropped.
- S3 buckets are created with their encryption only: bucket_notifications.apply_bucket_settings puts their
  versioning and their notifications to SQS (ERP stock in) through moto's S3 API, which honours them.
- moto_dynamodb.install() makes transactions isolated and cheap to roll back, and table queries fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader  # type: ignore[import-untyped]
from samtranslator.translator.transform import transform  # type: ignore[import-untyped]

from local import aws, cfn_stack, mail, queues
from local.bucket_notifications import apply_bucket_settings, bucket_settings
from local.cfn_stack import DeploymentError
from local.firehose import create_delivery_streams, delivery_streams
from local.packaging import ARTIFACTS_BUCKET, artifact_body, package
from local.patches import moto_dynamodb
from local.patches.moto_cloudformation import apply_moto_quirks
from local.samyaml import load_template
from local.specs import CorsConfig, FunctionSpec, cors_config, function_specs, parameter_values
from local.statemachines import create_executable, export_definitions, inline_definitions
from local.strip import strip_unsupported
from local.tables import apply_table_settings
from local.template_secrets import provision_secrets

logger = logging.getLogger(__name__)

__all__ = ["Deployment", "DeploymentError", "FunctionSpec", "deploy", "translate"]


class _OfflinePolicyLoader(ManagedPolicyLoader):  # type: ignore[misc]
    """Managed policy names not bundled with samtranslator get a well-formed ARN instead of an IAM call."""

    def __init__(self) -> None:
        self._policy_map = _FakePolicyArns()


class _FakePolicyArns(dict[str, str]):
    def get(self, name: str, default: str | None = None) -> str:  # type: ignore[override]
        return f"arn:aws:iam::aws:policy/{name}"


@dataclass(frozen=True)
class Deployment:
    """What deploy() built: physical ids, outputs and the functions to run in-process."""

    stack_name: str
    physical_ids: dict[str, str]
    outputs: dict[str, str]
    functions: dict[str, FunctionSpec]
    cors: CorsConfig | None = None


def _translate(
    sam: dict[str, Any], template_dir: Path, parameters: dict[str, str] | None
) -> tuple[dict[str, Any], dict[str, Path]]:
    packaged, artifacts = package(sam, template_dir)
    values: dict[str, Any] = {"AWS::Region": aws.REGION, "AWS::Partition": "aws", **(parameters or {})}
    with aws.offline_defaults():
        return transform(packaged, values, _OfflinePolicyLoader()), artifacts


def translate(template_path: Path) -> dict[str, Any]:
    """The SAM template as plain CloudFormation, packaged against the local artifacts bucket."""
    return _translate(load_template(template_path), template_path.resolve().parent, None)[0]


def _upload(artifacts: dict[str, Path]) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=ARTIFACTS_BUCKET)
    for key, source in artifacts.items():
        s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=key, Body=artifact_body(source))


def deploy(
    template_path: Path, *, stack_name: str = "commerce-local", parameters: dict[str, str] | None = None
) -> Deployment:
    """Create the template's stack in the active moto endpoint and describe what it built."""
    moto_dynamodb.install()
    template_path = template_path.resolve()
    sam = load_template(template_path)
    template, artifacts = _translate(sam, template_path.parent, parameters)
    _upload(artifacts)
    state_machines = inline_definitions(template, artifacts)
    export_definitions(template, state_machines)
    secret_arns = provision_secrets(template, aws.client("secretsmanager"), stack_name)
    mail.provision_identities(template, parameters or {})  # AWS::SES::* is stripped: verified in moto instead
    streams = delivery_streams(template)  # moto's CloudFormation cannot build them
    buckets = bucket_settings(template)  # notifications and versioning, see below
    strip_unsupported(template)
    apply_moto_quirks(template)
    declared = set(template.get("Parameters", {}))
    cfn_stack.create_stack(
        stack_name, template, {k: v for k, v in (parameters or {}).items() if k in declared}
    )
    ids = {**cfn_stack.physical_ids(stack_name, template), **secret_arns}
    apply_table_settings(template, ids, aws.client("dynamodb"))
    queues.pause_moto_mappings()  # local/queues.py polls the queues as Lambda does (partial batches)
    # moto's CloudFormation drops a bucket's notifications and versioning; its S3 API
    # honours them (an object put sends the S3 event to the queue): local/bucket_notifications.py.
    apply_bucket_settings(buckets, ids, aws.client("s3"), aws.client("sqs"))
    create_delivery_streams(streams, ids, aws.client("firehose"))
    outputs = cfn_stack.outputs(stack_name)
    create_executable(template, state_machines, ids, outputs, aws.client("stepfunctions"))
    deployment = Deployment(
        stack_name=stack_name,
        physical_ids=ids,
        outputs=outputs,
        functions=function_specs(sam, template_path.parent, ids, aws.client("lambda")),
        cors=cors_config(sam, parameter_values(sam, parameters)),
    )
    logger.info("stack deployed", extra={"stack": stack_name, "resources": len(ids)})
    return deployment
