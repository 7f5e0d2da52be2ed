"""`make deploy`'s storefront steps against moto: the stack read, the upload with its cache headers, the
invalidation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.deploy_storefront import IMMUTABLE, NO_CACHE, SHORT, Stack, describe, publish
from local.testing import offline_aws, unique_name

REGION = "eu-west-1"
OUTPUTS = {
    "ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
    "CognitoDomain": "commerce-123456789012.auth.eu-west-1.amazoncognito.com",
    "StorefrontClientId": "4example0client0id",
    "StorefrontUrl": "https://d111111abcdef8.cloudfront.net",
}
PARAMETERS = {"StripePublishableKey": "pk_test_abc", "SupportedCurrencies": "USD,EUR", "DefaultCountry": "US"}


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    with offline_aws():
        clients = {
            name: boto3.client(name, region_name=REGION) for name in ("s3", "cloudfront", "cloudformation")
        }
        yield clients


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    files = {
        "index.html": "<!doctype html><script type=module src=/assets/index-BxR3k2aQ.js></script>",
        "assets/index-BxR3k2aQ.js": "console.log('shop')",
        "assets/index-Dp4aZ9_q.css": "body{}",
        "favicon.ico": "icon",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _distribution(cloudfront: Any, bucket: str) -> str:
    config = {
        "CallerReference": unique_name("storefront"),
        "Comment": "storefront",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "storefront-bucket",
                    "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "storefront-bucket",
            "ViewerProtocolPolicy": "redirect-to-https",
        },
    }
    return str(cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"])


def test_publishing_uploads_the_build_and_config_with_their_cache_headers_then_invalidates(
    aws: dict[str, Any], dist: Path
) -> None:
    bucket = unique_name("storefront")
    aws["s3"].create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    distribution = _distribution(aws["cloudfront"], bucket)
    stack = Stack(OUTPUTS | {"StorefrontBucket": bucket, "DistributionId": distribution}, PARAMETERS)

    written = publish(stack, dist, s3=aws["s3"], cloudfront=aws["cloudfront"])

    def head(key: str) -> tuple[str, str]:
        answer = aws["s3"].head_object(Bucket=bucket, Key=key)
        return answer["ContentType"], answer["CacheControl"]

    assert head("index.html") == ("text/html", NO_CACHE)
    assert head("config.json") == ("application/json", NO_CACHE)
    assert head("assets/index-BxR3k2aQ.js") == ("text/javascript", IMMUTABLE)
    assert head("assets/index-Dp4aZ9_q.css") == ("text/css", IMMUTABLE)
    assert head("favicon.ico")[1] == SHORT
    uploaded = json.loads(aws["s3"].get_object(Bucket=bucket, Key="config.json")["Body"].read())
    assert uploaded == written
    assert uploaded["apiUrl"] == OUTPUTS["ApiUrl"]
    assert uploaded["auth"]["tokenUrl"] == f"https://{OUTPUTS['CognitoDomain']}/oauth2/token"
    assert uploaded["stripe"] == {"publishableKey": "pk_test_abc", "jsUrl": "https://js.stripe.com/v3/"}
    (invalidation,) = aws["cloudfront"].list_invalidations(DistributionId=distribution)["InvalidationList"][
        "Items"
    ]
    paths = aws["cloudfront"].get_invalidation(DistributionId=distribution, Id=invalidation["Id"])[
        "Invalidation"
    ]
    assert paths["InvalidationBatch"]["Paths"]["Items"] == ["/*"]


def test_publishing_without_a_built_storefront_uploads_nothing(aws: dict[str, Any], tmp_path: Path) -> None:
    bucket = unique_name("storefront")
    aws["s3"].create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    stack = Stack(OUTPUTS | {"StorefrontBucket": bucket, "DistributionId": "E2EXAMPLE"}, PARAMETERS)

    with pytest.raises(FileNotFoundError, match="build the storefront first"):
        publish(stack, tmp_path, s3=aws["s3"], cloudfront=aws["cloudfront"])

    assert aws["s3"].list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_the_stack_s_outputs_and_parameters_are_read_and_a_missing_stack_is_none(aws: dict[str, Any]) -> None:
    template = {
        "Parameters": {"StripePublishableKey": {"Type": "String", "Default": ""}},
        "Resources": {"StorefrontBucket": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {"StorefrontBucket": {"Value": {"Ref": "StorefrontBucket"}}},
    }
    name = unique_name("commerce")
    aws["cloudformation"].create_stack(
        StackName=name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "StripePublishableKey", "ParameterValue": "pk_live_xyz"}],
    )

    stack = describe(aws["cloudformation"], name)

    assert stack is not None
    assert stack.parameters == {"StripePublishableKey": "pk_live_xyz"}
    assert stack.outputs["StorefrontBucket"] in {b["Name"] for b in aws["s3"].list_buckets()["Buckets"]}
    assert describe(aws["cloudformation"], "no-such-stack") is None
