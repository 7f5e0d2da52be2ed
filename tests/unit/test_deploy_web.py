"""`make deploy`'s web steps that need no AWS: the storefront's and the console's config.json, cache headers,
sam's parameters, the order of the deploys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local import deploy_web
from local.deploy_web import (
    IMMUTABLE,
    NO_CACHE,
    SHORT,
    SamConfig,
    Stack,
    cache_control,
    console_config,
    storefront_config,
)

REPO = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = {
    "apiUrl",
    "auth",
    "stripe",
    "defaultLocale",
    "defaultCurrency",
    "defaultCountry",
    "locales",
    "currencies",
}
OUTPUTS = {
    "ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/",
    "CognitoDomain": "commerce-123456789012.auth.eu-west-1.amazoncognito.com",
    "StorefrontClientId": "4example0client0id",
    "ConsoleClientId": "7console0client0id",
    "StorefrontUrl": "https://d111111abcdef8.cloudfront.net",
    "StorefrontBucket": "commerce-storefrontbucket-1",
    "DistributionId": "E2EXAMPLE",
}
HOSTED_UI = "https://commerce-123456789012.auth.eu-west-1.amazoncognito.com"


def hosted_ui(client_id: str) -> dict[str, str]:
    """The auth block both apps' config.json share, for a client."""
    return {
        "authorizeUrl": HOSTED_UI + "/oauth2/authorize",
        "tokenUrl": HOSTED_UI + "/oauth2/token",
        "logoutUrl": HOSTED_UI + "/logout",
        "clientId": client_id,
        "scopes": "openid email profile",
    }


def test_config_json_names_the_api_the_hosted_ui_stripe_and_the_shop_s_defaults() -> None:
    parameters = {
        "StripePublishableKey": "pk_live_abc",
        "SupportedCurrencies": "JPY,EUR",
        "DefaultLocale": "fr",
        "DefaultCountry": "JP",
    }

    config = storefront_config(Stack(OUTPUTS, parameters))

    assert set(config) == CONTRACT_KEYS
    assert config["apiUrl"] == "https://abc123.execute-api.eu-west-1.amazonaws.com"
    assert config["auth"] == hosted_ui("4example0client0id")
    assert config["stripe"] == {"publishableKey": "pk_live_abc", "jsUrl": "https://js.stripe.com/v3/"}
    assert (config["defaultLocale"], config["defaultCurrency"], config["defaultCountry"]) == (
        "fr",
        "JPY",
        "JP",
    )
    assert config["currencies"] == ["JPY", "EUR"] and config["locales"] == ["en", "fr"]
    assert "secret" not in json.dumps(config).lower()


@pytest.mark.parametrize(
    ("origin", "redirect"),
    [
        ("", "https://d111111abcdef8.cloudfront.net/console/"),
        ("https://shop.example.com", "https://shop.example.com/console/"),
    ],
)
def test_the_console_s_config_json_names_the_api_and_its_own_client_back_to_its_index(
    origin: str, redirect: str
) -> None:
    parameters = {
        "SupportedCurrencies": "JPY,EUR",
        "StorefrontOrigin": origin,
        "StripePublishableKey": "pk_x",
    }

    config = console_config(Stack(OUTPUTS, parameters))

    assert set(config) == {"apiUrl", "auth", "currencies", "locales"}
    assert config["apiUrl"] == "https://abc123.execute-api.eu-west-1.amazonaws.com"
    assert config["auth"] == hosted_ui("7console0client0id") | {"redirectUri": redirect}
    assert config["currencies"] == ["JPY", "EUR"] and config["locales"] == ["en", "fr"]
    assert "stripe" not in json.dumps(config).lower()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("index.html", NO_CACHE),
        ("config.json", NO_CACHE),
        ("assets/index-BxR3k2aQ.js", IMMUTABLE),
        ("assets/console.0123456789.js", IMMUTABLE),
        ("assets/fonts/inter.3f9a1c2b7e.woff2", IMMUTABLE),
        ("assets/logo.svg", SHORT),
        ("product-placeholder.svg", SHORT),
        ("favicon.ico", SHORT),
    ],
)
def test_only_content_hashed_assets_are_cached_for_good(key: str, expected: str) -> None:
    assert cache_control(key) == expected


def test_the_repository_s_samconfig_is_read_and_the_origin_joins_its_overrides() -> None:
    config = SamConfig.read(REPO / "samconfig.toml")

    overrides = config.overrides_with("https://shop.example.com")

    assert (config.stack_name, config.region) == ("commerce", "eu-west-1")
    assert overrides.startswith(config.parameter_overrides)
    assert overrides.endswith(
        'StorefrontOrigin="https://shop.example.com" CorsAllowedOrigins="https://shop.example.com"'
    )
    assert config.overrides_with(None) == config.parameter_overrides


class FakeCloudFormation:
    """The stack as each sam deploy leaves it: none before the first."""

    def __init__(self, deployed: list[list[str]]) -> None:
        self.deployed = deployed

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        if not self.deployed:
            raise ClientError(
                {"Error": {"Message": f"Stack with id {StackName} does not exist"}}, "DescribeStacks"
            )
        outputs = [{"OutputKey": k, "OutputValue": v} for k, v in OUTPUTS.items()]
        return {"Stacks": [{"Outputs": outputs, "Parameters": []}]}


def _deploy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str]
) -> tuple[list[list[str]], list[Any]]:
    runs: list[list[str]] = []
    published: list[Any] = []
    written = {"storefront": {"apiUrl": ""}, "console": {"auth": {"redirectUri": ""}}}
    monkeypatch.setattr(deploy_web.subprocess, "run", lambda command, **_: runs.append(command))
    monkeypatch.setattr(deploy_web.boto3, "client", lambda name, **_: FakeCloudFormation(runs))
    monkeypatch.setattr(
        deploy_web, "publish", lambda stack, apps, **_: published.append((stack, apps)) or written
    )
    dists = ["--storefront-dist", str(tmp_path / "shop"), "--console-dist", str(tmp_path / "console")]
    assert deploy_web.main(["--sam", "sam", *dists, *argv]) == 0
    return runs, published


def test_a_first_deploy_runs_sam_again_with_the_distribution_s_origin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runs, published = _deploy(monkeypatch, tmp_path, [])

    first, second = runs
    assert "StorefrontOrigin" not in first[-1]
    assert second[-1].endswith(f'CorsAllowedOrigins="{OUTPUTS["StorefrontUrl"]}"')
    ((_, apps),) = published
    assert [(app.name, app.dist, app.prefix) for app in apps] == [
        ("storefront", tmp_path / "shop", ""),
        ("console", tmp_path / "console", "console/"),
    ]


def test_a_custom_domain_is_the_origin_from_the_first_deploy_and_cors_admits_the_others_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    argv = ["--origin", "https://shop.example.com", "--cors-origin", "https://admin.example.com"]

    runs, _ = _deploy(monkeypatch, tmp_path, argv)

    (only,) = runs
    assert 'StorefrontOrigin="https://shop.example.com"' in only[-1]
    assert only[-1].endswith('CorsAllowedOrigins="https://shop.example.com,https://admin.example.com"')


class RecordingS3:
    def __init__(self) -> None:
        self.keys: list[str] = []

    def put_object(self, *, Key: str, **_: Any) -> None:
        self.keys.append(Key)


def test_every_index_html_goes_up_after_every_file_it_may_name() -> None:
    s3 = RecordingS3()
    files = {
        "": {"index.html": b"", "config.json": b"", "assets/app.0123456789.js": b""},
        "console/": {"index.html": b"", "config.json": b"", "assets/console.0123456789.js": b""},
    }

    order = deploy_web.upload(s3, "bucket", files)

    assert order == s3.keys
    assert order[-2:] == ["console/index.html", "index.html"]
    assert set(order[2:4]) == {"config.json", "console/config.json"}
