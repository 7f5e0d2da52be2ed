"""`make deploy`'s web steps against moto: the stack read, the storefront's and the console's builds uploaded
with their cache headers and config.json, one invalidation for both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.deploy_web import IMMUTABLE, NO_CACHE, SHORT, Stack, WebApp, describe, publish, web_apps
from local.testing import offline_aws, unique_name

REGION = "eu-west-1"
OUTPUTS = {
    "ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
    "CognitoDomain": "commerce-123456789012.auth.eu-west-1.amazoncognito.com",
    "StorefrontClientId": "4example0client0id",
    "ConsoleClientId": "7console0client0id",
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


def _build(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def apps(tmp_path: Path) -> tuple[WebApp, ...]:
    """A tiny build of each app, shaped as its build.mjs makes it (the console's with relative URLs)."""
    storefront = {
        "index.html": "<!doctype html><script type=module src=/assets/index-BxR3k2aQ.js></script>",
        "assets/index-BxR3k2aQ.js": "console.log('shop')",
        "assets/index-Dp4aZ9_q.css": "body{}",
        "favicon.ico": "icon",
    }
    console = {
        "index.html": "<!doctype html><script type=module src=assets/console.0123456789.js></script>",
        "assets/console.0123456789.js": "console.log('back office')",
    }
    return web_apps(_build(tmp_path / "storefront", storefront), _build(tmp_path / "console", console))


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


def _bucket(aws: dict[str, Any]) -> str:
    bucket = unique_name("storefront")
    aws["s3"].create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket


def test_publishing_uploads_both_builds_and_configs_with_their_cache_headers_then_invalidates_once(
    aws: dict[str, Any], apps: tuple[WebApp, ...]
) -> None:
    bucket = _bucket(aws)
    distribution = _distribution(aws["cloudfront"], bucket)
    parameters = PARAMETERS | {"StorefrontOrigin": "https://shop.example.com"}
    stack = Stack(OUTPUTS | {"StorefrontBucket": bucket, "DistributionId": distribution}, parameters)

    written = publish(stack, apps, s3=aws["s3"], cloudfront=aws["cloudfront"])

    def head(key: str) -> tuple[str, str]:
        answer = aws["s3"].head_object(Bucket=bucket, Key=key)
        return answer["ContentType"], answer["CacheControl"]

    def config(key: str) -> Any:
        return json.loads(aws["s3"].get_object(Bucket=bucket, Key=key)["Body"].read())

    assert head("index.html") == head("console/index.html") == ("text/html", NO_CACHE)
    assert head("config.json") == head("console/config.json") == ("application/json", NO_CACHE)
    assert head("assets/index-BxR3k2aQ.js") == ("text/javascript", IMMUTABLE)
    assert head("assets/index-Dp4aZ9_q.css") == ("text/css", IMMUTABLE)
    assert head("console/assets/console.0123456789.js") == ("text/javascript", IMMUTABLE)
    assert head("favicon.ico")[1] == SHORT
    storefront, console = config("config.json"), config("console/config.json")
    assert (storefront, console) == (written["storefront"], written["console"])
    assert storefront["apiUrl"] == console["apiUrl"] == OUTPUTS["ApiUrl"]
    assert storefront["auth"]["tokenUrl"] == f"https://{OUTPUTS['CognitoDomain']}/oauth2/token"
    assert storefront["stripe"] == {"publishableKey": "pk_test_abc", "jsUrl": "https://js.stripe.com/v3/"}
    assert console["auth"]["clientId"] == OUTPUTS["ConsoleClientId"]
    assert console["auth"]["redirectUri"] == "https://shop.example.com/console/"
    (invalidation,) = aws["cloudfront"].list_invalidations(DistributionId=distribution)["InvalidationList"][
        "Items"
    ]
    paths = aws["cloudfront"].get_invalidation(DistributionId=distribution, Id=invalidation["Id"])[
        "Invalidation"
    ]
    assert paths["InvalidationBatch"]["Paths"]["Items"] == ["/*"]


@pytest.mark.parametrize("missing", ["storefront", "console"])
def test_publishing_without_either_build_uploads_nothing(
    aws: dict[str, Any], apps: tuple[WebApp, ...], missing: str
) -> None:
    bucket = _bucket(aws)
    stack = Stack(OUTPUTS | {"StorefrontBucket": bucket, "DistributionId": "E2EXAMPLE"}, PARAMETERS)
    (app,) = [app for app in apps if app.name == missing]
    (app.dist / "index.html").unlink()

    with pytest.raises(FileNotFoundError, match=f"build the {missing} first"):
        publish(stack, apps, s3=aws["s3"], cloudfront=aws["cloudfront"])

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
