"""The storefront's hosting as template.yaml declares it: private bucket, HTTPS, SPA fallback, security
headers, a CSP for Stripe.js and the API only, and the hosted UI's code flow with PKCE on the storefront
client; and the back-office console's, on the same distribution under /console/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from local.samyaml import load_template

TEMPLATE = load_template(Path(__file__).resolve().parents[2] / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]


def _props(logical_id: str) -> dict[str, Any]:
    return dict(RESOURCES[logical_id]["Properties"])


def _csp(policy_id: str = "StorefrontHeadersPolicy") -> dict[str, list[Any]]:
    """The policy's directives, each with its sources (a !Sub source kept as its template text)."""
    policy = _props(policy_id)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    separator, parts = policy["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Join"]
    assert separator == "; "
    directives: dict[str, list[Any]] = {}
    for part in parts:
        text = part["Fn::Sub"] if isinstance(part, dict) else part
        name, *sources = text.split()
        directives[name] = sources
    return directives


def test_the_bucket_is_private_encrypted_and_reached_over_tls_only_by_its_distribution() -> None:
    bucket = _props("StorefrontBucket")
    statements = _props("StorefrontBucketPolicy")["PolicyDocument"]["Statement"]
    deny, allow = statements

    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert (deny["Effect"], deny["Action"], deny["Condition"]) == (
        "Deny",
        "s3:*",
        {"Bool": {"aws:SecureTransport": False}},
    )
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    # It reads files, and may list so that a missing file is a 404; it writes nothing.
    assert allow["Action"] == ["s3:GetObject", "s3:ListBucket"]
    assert "${StorefrontDistribution}" in allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]


_PAGES_FUNCTION = {
    "EventType": "viewer-request",
    "FunctionARN": {"Fn::GetAtt": ["WebPagesFunction", "FunctionARN"]},
}


def test_the_distribution_redirects_to_https_and_finds_the_storefront_s_pages_by_its_function() -> None:
    config = _props("StorefrontDistribution")["DistributionConfig"]
    (origin,) = config["Origins"]
    behaviour = config["DefaultCacheBehavior"]

    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["StorefrontOriginAccessControl", "Id"]}
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "StorefrontHeadersPolicy"}
    assert behaviour["FunctionAssociations"] == [_PAGES_FUNCTION]
    # No error responses: they would answer a missing file anywhere, /console/ included, with a page.
    assert "CustomErrorResponses" not in config


@pytest.mark.parametrize("policy", ["StorefrontHeadersPolicy", "ConsoleHeadersPolicy"])
def test_every_response_carries_the_security_headers(policy: str) -> None:
    headers = _props(policy)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]

    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"


def test_the_csp_admits_stripe_js_and_the_api_and_nothing_broader() -> None:
    csp = _csp()

    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert csp["connect-src"] == [
        "'self'",
        "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}",
        "https://${StorefrontSignInDomain}.auth.${AWS::Region}.amazoncognito.com",
        "https://api.stripe.com",
    ]
    assert csp["frame-src"] == [
        "https://js.stripe.com",
        "https://*.js.stripe.com",
        "https://hooks.stripe.com",
    ]
    assert csp["object-src"] == csp["frame-ancestors"] == ["'none'"]
    every_source = [source for sources in csp.values() for source in sources]
    assert not {"*", "'unsafe-eval'", "http:"} & set(every_source)
    assert "'unsafe-inline'" not in csp["script-src"]


@pytest.mark.parametrize(
    "output",
    [
        "StorefrontUrl",
        "StorefrontBucket",
        "DistributionId",
        "CognitoDomain",
        "StorefrontClientId",
        "ConsoleUrl",
        "ConsoleClientId",
    ],
)
def test_make_deploy_finds_what_it_needs_in_the_outputs(output: str) -> None:
    assert output in TEMPLATE["Outputs"]


def when_set(value: dict[str, Any]) -> Any:
    """The value a client gets once `make deploy` has set the origin."""
    condition, chosen, _ = value["Fn::If"]
    assert condition == "HasStorefrontOrigin"
    return chosen


def test_the_storefront_client_signs_in_with_the_code_flow_without_a_secret_on_its_origin_only() -> None:
    client = _props("StorefrontClient")

    assert client["GenerateSecret"] is False  # a public client: the hosted UI demands PKCE of it
    assert when_set(client["AllowedOAuthFlows"]) == ["code"]
    assert when_set(client["AllowedOAuthScopes"]) == ["openid", "email", "profile"]
    assert when_set(client["CallbackURLs"]) == [{"Fn::Sub": "${StorefrontOrigin}/auth/callback"}]
    assert when_set(client["LogoutURLs"]) == [{"Fn::Sub": "${StorefrontOrigin}/"}]
    assert _props("StorefrontSignInDomain")["UserPoolId"] == {"Ref": "UserPool"}


def _console_behaviours() -> dict[str, dict[str, Any]]:
    config = _props("StorefrontDistribution")["DistributionConfig"]
    return {behaviour["PathPattern"]: behaviour for behaviour in config["CacheBehaviors"]}


def test_the_console_is_served_from_the_storefront_s_bucket_under_console_with_its_own_headers() -> None:
    config = _props("StorefrontDistribution")["DistributionConfig"]
    behaviours = _console_behaviours()

    assert set(behaviours) == {"/console/*", "/console"}
    for behaviour in behaviours.values():
        assert behaviour["TargetOriginId"] == config["DefaultCacheBehavior"]["TargetOriginId"]
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "ConsoleHeadersPolicy"}
        assert behaviour["FunctionAssociations"] == [_PAGES_FUNCTION]


def test_the_console_s_csp_admits_itself_the_api_and_the_hosted_ui_only() -> None:
    csp = _csp("ConsoleHeadersPolicy")

    assert csp["default-src"] == csp["script-src"] == csp["font-src"] == ["'self'"]
    assert csp["connect-src"] == [
        "'self'",
        "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}",
        "https://${StorefrontSignInDomain}.auth.${AWS::Region}.amazoncognito.com",
    ]
    assert csp["img-src"] == ["'self'", "data:", "${StorefrontImageSources}"]
    assert csp["object-src"] == csp["frame-ancestors"] == csp["frame-src"] == ["'none'"]
    every_source = [source for sources in csp.values() for source in sources]
    assert not [source for source in every_source if "stripe" in source]
    assert not {"*", "'unsafe-eval'", "http:", "https:"} & set(every_source)


def _viewer_request(uri: str, querystring: dict[str, Any] | None = None) -> dict[str, Any]:
    """The distribution's CloudFront Function, run by Node on a viewer request as CloudFront would."""
    node = shutil.which("node")
    assert node, "node is needed (make setup installs the web apps with npm)"
    code = _props("WebPagesFunction")["FunctionCode"]
    event = {"request": {"method": "GET", "uri": uri, "querystring": querystring or {}, "headers": {}}}
    script = f"{code}\nprocess.stdout.write(JSON.stringify(handler({json.dumps(event)})));"
    answer = subprocess.run(  # noqa: S603 - Node on the template's own function, no shell
        [node, "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    return dict(json.loads(answer.stdout))


def test_console_without_a_slash_redirects_so_the_console_s_relative_urls_resolve_under_it() -> None:
    answer = _viewer_request("/console")

    assert answer["statusCode"] == 301
    assert answer["headers"]["location"] == {"value": "/console/"}


def test_the_hosted_ui_s_return_to_console_gets_the_console_s_index_with_its_code() -> None:
    code = {"code": {"value": "abc"}, "state": {"value": "xyz"}}

    answer = _viewer_request("/console/", code)

    assert answer["uri"] == "/console/index.html"
    assert answer["querystring"] == code


@pytest.mark.parametrize(
    "uri",
    [
        "/console/assets/console.0123456789.js",
        "/console/config.json",
        "/assets/app.0123456789.js",
        "/config.json",
    ],
)
def test_the_files_of_both_apps_go_to_the_bucket_as_asked(uri: str) -> None:
    assert _viewer_request(uri)["uri"] == uri


@pytest.mark.parametrize("uri", ["/", "/p/prd-0001", "/c/shoes", "/account/orders", "/orders/ord-1"])
def test_a_storefront_page_is_the_storefront_s_index(uri: str) -> None:
    assert _viewer_request(uri)["uri"] == "/index.html"


def test_a_missing_console_file_is_not_answered_with_the_storefront() -> None:
    assert _viewer_request("/console/assets/gone")["uri"] == "/console/assets/gone"


def test_the_console_client_signs_in_with_the_code_flow_on_its_own_index_url_with_short_tokens() -> None:
    client = _props("ConsoleClient")
    storefront = _props("StorefrontClient")

    assert client["GenerateSecret"] is False  # a public client: the hosted UI demands PKCE of it
    assert when_set(client["AllowedOAuthFlows"]) == ["code"]
    assert (
        when_set(client["CallbackURLs"])
        == when_set(client["LogoutURLs"])
        == [{"Fn::Sub": "${StorefrontOrigin}/console/"}]
    )
    assert client["TokenValidityUnits"]["IdToken"] == storefront["TokenValidityUnits"]["IdToken"] == "minutes"
    assert client["IdTokenValidity"] < storefront["IdTokenValidity"]
    assert client["AccessTokenValidity"] <= 30
    assert (client["RefreshTokenValidity"], client["TokenValidityUnits"]["RefreshToken"]) == (60, "minutes")


def test_the_api_accepts_the_tokens_of_both_clients() -> None:
    authorizer = _props("HttpApi")["Auth"]["Authorizers"]["CognitoJwt"]

    assert authorizer["JwtConfiguration"]["audience"] == [
        {"Ref": "StorefrontClient"},
        {"Ref": "ConsoleClient"},
    ]
