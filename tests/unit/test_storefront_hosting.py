"""The storefront's hosting as template.yaml declares it: private bucket, HTTPS, SPA fallback, security
headers, a CSP for Stripe.js and the API only, and the hosted UI's code flow with PKCE on the storefront
client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from local.samyaml import load_template

TEMPLATE = load_template(Path(__file__).resolve().parents[2] / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]


def _props(logical_id: str) -> dict[str, Any]:
    return dict(RESOURCES[logical_id]["Properties"])


def _csp() -> dict[str, list[Any]]:
    """The policy's directives, each with its sources (a !Sub source kept as its template text)."""
    policy = _props("StorefrontHeadersPolicy")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
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
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"} and allow["Action"] == "s3:GetObject"
    assert "${StorefrontDistribution}" in allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]


def test_the_distribution_redirects_to_https_and_answers_unknown_paths_with_the_app() -> None:
    config = _props("StorefrontDistribution")["DistributionConfig"]
    (origin,) = config["Origins"]
    behaviour = config["DefaultCacheBehavior"]

    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["StorefrontOriginAccessControl", "Id"]}
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "StorefrontHeadersPolicy"}
    fallbacks = {
        e["ErrorCode"]: (e["ResponseCode"], e["ResponsePagePath"]) for e in config["CustomErrorResponses"]
    }
    assert fallbacks == {403: (200, "/index.html"), 404: (200, "/index.html")}


def test_every_response_carries_the_security_headers() -> None:
    headers = _props("StorefrontHeadersPolicy")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]

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
    "output", ["StorefrontUrl", "StorefrontBucket", "DistributionId", "CognitoDomain", "StorefrontClientId"]
)
def test_make_deploy_finds_what_it_needs_in_the_outputs(output: str) -> None:
    assert output in TEMPLATE["Outputs"]


def test_the_storefront_client_signs_in_with_the_code_flow_without_a_secret_on_its_origin_only() -> None:
    client = _props("StorefrontClient")

    def when_set(value: dict[str, Any]) -> Any:
        condition, chosen, _ = value["Fn::If"]
        assert condition == "HasStorefrontOrigin"
        return chosen

    assert client["GenerateSecret"] is False  # a public client: the hosted UI demands PKCE of it
    assert when_set(client["AllowedOAuthFlows"]) == ["code"]
    assert when_set(client["AllowedOAuthScopes"]) == ["openid", "email", "profile"]
    assert when_set(client["CallbackURLs"]) == [{"Fn::Sub": "${StorefrontOrigin}/auth/callback"}]
    assert when_set(client["LogoutURLs"]) == [{"Fn::Sub": "${StorefrontOrigin}/"}]
    assert _props("StorefrontSignInDomain")["UserPoolId"] == {"Ref": "UserPool"}
