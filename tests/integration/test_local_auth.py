"""The local OpenID issuer and the HTTP API emulator's JWT authorizer, with API Gateway's semantics."""

from __future__ import annotations

import json
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests

from local.api_routes import load_routes
from local.auth import LocalIssuer, SigningKey, local_client_id, subject_for
from local.http_api import HttpApi, HttpApiServer
from local.jwt_authorizer import JwtAuthorizer, claim_text, jwt_rules, template_client_id
from local.lambdas import LambdaRuntime
from local.samyaml import load_template
from local.specs import FunctionSpec, http_routes
from local.testing import write_function
from local.tools import id_token as token_cli

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "local-storefront-client"

_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  PartnerAudience:
    Type: String
    Default: partner-app
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Cognito
        Authorizers:
          Cognito:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}
              audience: [!Ref StorefrontClient]
          Partner:
            IdentitySource: $request.querystring.access_token
            JwtConfiguration:
              issuer: https://login.partner.example
              audience: [!Ref PartnerAudience, literal-audience]
  Pool:
    Type: AWS::Cognito::UserPool
  StorefrontClient:
    Type: AWS::Cognito::UserPoolClient
    Properties: {UserPoolId: !Ref Pool}
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo/
      Handler: app.lambda_handler
      Runtime: python3.12
      Events:
        Private: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /private, Method: GET}}
        Public:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Path: /public, Method: GET, Auth: {Authorizer: NONE}}
        Partner:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Path: /partner, Method: GET, Auth: {Authorizer: Partner}}
"""

_ECHO = """
    import json


    def lambda_handler(event, context):
        return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}
"""


@dataclass
class Site:
    api: str
    issuer: LocalIssuer
    calls: list[str] = field(default_factory=list)

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": token} if token is not None else {}
        return requests.get(self.api + path, headers=headers, timeout=10, **kwargs)

    def claims(self, **changes: Any) -> dict[str, Any]:
        """A valid customer token's claims, with some changed (None removes one)."""
        claims = self.issuer.id_token_claims("customer", "ada@example.com") | changes
        return {name: value for name, value in claims.items() if value is not None}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("auth")
    (root / "template.yaml").write_text(textwrap.dedent(_TEMPLATE), encoding="utf-8")
    write_function(root / "echo", _ECHO)
    sam = load_template(root / "template.yaml")
    spec = FunctionSpec(
        "EchoFunction",
        "echo",
        root / "echo",
        "app.lambda_handler",
        {},
        http_routes(sam["Resources"]["EchoFunction"]),
    )
    issuer = LocalIssuer(port=0, client_id=template_client_id(sam)).start()
    runtime = LambdaRuntime({"EchoFunction": spec}, root)
    app = HttpApi(runtime, root, authorizer=JwtAuthorizer.from_template(sam, issuer_url=issuer.url))
    server = HttpApiServer(app, port=0).start()
    site = Site(server.url, issuer)
    invoke = runtime.invoke

    def spy(name: str, event: Any) -> Any:  # records every call that reaches the function
        site.calls.append(event["routeKey"])
        return invoke(name, event)

    runtime.invoke = spy  # type: ignore[method-assign]
    try:
        yield site
    finally:
        server.stop()
        runtime.close()
        issuer.stop()


# the issuer


def test_the_issuer_publishes_discovery_and_a_jwks_that_verifies_the_tokens_it_mints(site: Site) -> None:
    discovery = requests.get(site.issuer.url + "/.well-known/openid-configuration", timeout=10).json()
    jwks = requests.get(discovery["jwks_uri"], timeout=10).json()
    minted = requests.post(
        site.issuer.url + "/token",
        json={"role": "admin", "email": "Grace@Example.com", "ttl_seconds": 600},
        timeout=10,
    )

    assert discovery["issuer"] == site.issuer.url
    assert discovery["jwks_uri"] == site.issuer.url + "/.well-known/jwks.json"
    assert minted.status_code == 200, minted.text
    body = minted.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 600)
    header = jwt.get_unverified_header(body["id_token"])
    (key,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    assert header["alg"] == key["alg"] == "RS256"
    assert "d" not in key, "the JWKS must hold the public key only"
    claims = jwt.decode(
        body["id_token"], jwt.PyJWK(key).key, algorithms=["RS256"], audience=CLIENT_ID, issuer=site.issuer.url
    )
    assert claims["email"] == "grace@example.com"
    assert claims["sub"] == subject_for("grace@example.com") == str(uuid.UUID(claims["sub"]))
    assert claims["cognito:groups"] == ["admin"]
    assert claims["token_use"] == "id"
    assert claims["exp"] - claims["iat"] == 600
    assert claims["auth_time"] == claims["iat"]


def test_the_same_email_is_the_same_subject_whatever_its_case() -> None:
    assert subject_for("Ada@Example.com") == subject_for("ada@example.com ")
    assert subject_for("ada@example.com") != subject_for("bob@example.com")


def test_groups_follow_the_role_and_a_customer_has_none_as_in_cognito(site: Site) -> None:
    customer = site.issuer.id_token_claims("customer", "ada@example.com")
    staff = site.issuer.id_token_claims("staff")

    assert "cognito:groups" not in customer
    assert staff["cognito:groups"] == ["staff"]
    assert staff["email"] == "staff@example.com"


@pytest.mark.parametrize(
    "body",
    [
        {"role": "root", "email": "ada@example.com"},
        {"role": "customer", "email": "not-an-email"},
        {"role": "customer", "email": 42},
        {"role": "customer", "ttl_seconds": 0},
        {"role": "customer", "ttl_seconds": 86401},
        {"role": "customer", "ttl_seconds": "60"},
        ["customer"],
    ],
)
def test_the_token_endpoint_refuses_what_it_cannot_mint(site: Site, body: Any) -> None:
    response = requests.post(site.issuer.url + "/token", json=body, timeout=10)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_token_endpoint_takes_post_only(site: Site) -> None:
    assert requests.get(site.issuer.url + "/token", timeout=10).status_code == 405


# the authorizer


def test_a_valid_token_reaches_the_function_with_its_claims_as_strings(site: Site) -> None:
    token = site.issuer.mint("admin", "grace@example.com")

    with_prefix = site.get("/private", f"Bearer {token}")
    raw = site.get("/private", token)

    assert with_prefix.status_code == raw.status_code == 200, with_prefix.text
    authorizer = with_prefix.json()["requestContext"]["authorizer"]
    claims = authorizer["jwt"]["claims"]
    assert authorizer["jwt"]["scopes"] is None
    assert all(isinstance(value, str) for value in claims.values())
    decoded = jwt.decode(token, options={"verify_signature": False})
    assert claims["cognito:groups"] == "[admin]"
    assert claims["exp"] == str(decoded["exp"])
    assert claims["iat"] == str(decoded["iat"])
    assert claims["email_verified"] == "true"
    assert claims["sub"] == subject_for("grace@example.com")
    assert claims["aud"] == CLIENT_ID
    assert claims["iss"] == site.issuer.url


def _refused(site: Site, token: str | None) -> requests.Response:
    before = len(site.calls)
    response = site.get("/private", token)
    assert response.status_code == 401, response.text
    assert response.json() == {"message": "Unauthorized"}
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["apigw-requestid"]
    assert len(site.calls) == before, "the function ran for a refused request"
    return response


def _signed_by_another_key(site: Site, claims: dict[str, Any], kid: str | None) -> str:
    return SigningKey.generate().sign(claims, kid=kid)


@pytest.mark.parametrize(
    ("case", "description"),
    [
        ("expired", "the token has expired"),
        ("another key, the issuer's kid", "the token does not have a valid signature"),
        ("another key, its own kid", "the token's kid does not match a key of the issuer"),
        ("wrong audience", "the token does not have a valid audience"),
        ("no audience", "the token does not have a valid audience"),
        ("wrong issuer", "the token does not have a valid issuer"),
        ("not valid yet", "the token is not valid yet"),
        ("issued in the future", "the token is not valid yet"),
        ("no expiry", "the token lacks a required claim"),
        ("hs256 with the kid", "the token's signing method is not supported"),
        ("alg none", "the token's signing method is not supported"),
        ("malformed", "the token is malformed"),
        ("tampered payload", "the token does not have a valid signature"),
    ],
)
def test_a_bad_token_is_a_401_with_api_gateways_challenge_and_the_function_never_runs(
    site: Site, case: str, description: str
) -> None:
    now = int(time.time())
    kid = site.issuer.key.kid
    good = site.issuer.mint("customer", "ada@example.com")
    tokens = {
        "expired": lambda: site.issuer.mint("customer", "ada@example.com", 3600, now=now - 3700),
        "another key, the issuer's kid": lambda: _signed_by_another_key(site, site.claims(), kid),
        "another key, its own kid": lambda: _signed_by_another_key(site, site.claims(), None),
        "wrong audience": lambda: site.issuer.key.sign(site.claims(aud="someone-else")),
        "no audience": lambda: site.issuer.key.sign(site.claims(aud=None)),
        "wrong issuer": lambda: site.issuer.key.sign(
            site.claims(iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other")
        ),
        "not valid yet": lambda: site.issuer.key.sign(site.claims(nbf=now + 600)),
        "issued in the future": lambda: site.issuer.key.sign(site.claims(iat=now + 600)),
        "no expiry": lambda: site.issuer.key.sign(site.claims(exp=None)),
        "hs256 with the kid": lambda: jwt.encode(
            site.claims(), "x" * 32, algorithm="HS256", headers={"kid": kid}
        ),
        "alg none": lambda: jwt.encode(site.claims(), None, algorithm="none", headers={"kid": kid}),
        "malformed": lambda: "not-a-jwt",
        "tampered payload": lambda: _tampered(good),
    }

    response = _refused(site, f"Bearer {tokens[case]()}")

    assert response.headers["www-authenticate"] == (
        f'Bearer scope="" error="invalid_token" error_description="{description}"'
    )


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False}) | {"cognito:groups": ["admin"]}
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    assert forged != payload
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer   "])
def test_no_token_is_a_401_with_a_bare_bearer_challenge(site: Site, authorization: str | None) -> None:
    response = _refused(site, authorization)

    assert response.headers["www-authenticate"] == "Bearer"


def test_an_access_token_s_client_id_counts_when_it_has_no_aud(site: Site) -> None:
    access = site.claims(aud=None, client_id=CLIENT_ID, token_use="access", scope="openid")
    several = site.claims(aud=["another-app", CLIENT_ID])

    assert site.get("/private", f"Bearer {site.issuer.key.sign(access)}").status_code == 200
    assert site.get("/private", f"Bearer {site.issuer.key.sign(several)}").status_code == 200
    listed = site.get("/private", f"Bearer {site.issuer.key.sign(several)}").json()
    assert listed["requestContext"]["authorizer"]["jwt"]["claims"]["aud"] == f"[another-app {CLIENT_ID}]"


def test_public_routes_get_no_authorizer_key_even_with_a_token(site: Site) -> None:
    valid = site.get("/public", f"Bearer {site.issuer.mint('admin')}")
    garbage = site.get("/public", "Bearer garbage")

    assert valid.status_code == garbage.status_code == 200
    assert "authorizer" not in valid.json()["requestContext"]
    assert "authorizer" not in garbage.json()["requestContext"]


def test_an_authorizer_reads_its_own_identity_source_and_audiences(site: Site) -> None:
    partner = site.issuer.key.sign(site.claims(aud="partner-app"))
    customer = site.issuer.mint("customer")

    in_query = requests.get(site.api + "/partner", params={"access_token": partner}, timeout=10)
    in_header = site.get("/partner", f"Bearer {partner}")
    storefront = requests.get(site.api + "/partner", params={"access_token": customer}, timeout=10)

    assert in_query.status_code == 200, in_query.text
    assert in_header.status_code == 401
    assert storefront.status_code == 401


def test_audiences_resolve_locally_and_every_issuer_is_the_local_one(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(textwrap.dedent(_TEMPLATE), encoding="utf-8")
    rules = jwt_rules(load_template(tmp_path / "template.yaml"), "http://127.0.0.1:1")

    assert rules["Cognito"].audiences == {CLIENT_ID}
    assert rules["Partner"].audiences == {"partner-app", "literal-audience"}
    assert {rule.issuer for rule in rules.values()} == {"http://127.0.0.1:1"}
    assert rules["Partner"].identity_source == "$request.querystring.access_token"
    assert local_client_id("StorefrontClient") == CLIENT_ID


def test_a_lambda_authorizer_is_refused_when_the_stack_starts() -> None:
    sam = {
        "Resources": {
            "Api": {
                "Type": "AWS::Serverless::HttpApi",
                "Properties": {"Auth": {"Authorizers": {"Custom": {"FunctionArn": "arn:aws:lambda:x"}}}},
            }
        }
    }

    with pytest.raises(ValueError, match="JWT authorizers only"):
        jwt_rules(sam, "http://127.0.0.1:1")


def test_every_route_of_the_real_template_gets_its_template_authorizer() -> None:
    sam = load_template(REPO / "template.yaml")
    authorizer = JwtAuthorizer.from_template(sam, issuer_url="http://127.0.0.1:1")
    routes = load_routes(REPO / "template.yaml")
    clients = {CLIENT_ID, local_client_id("ConsoleClient")}  # the storefront's and the back-office console's

    assert template_client_id(sam) == CLIENT_ID
    assert set(authorizer.rules_by_route) == {route.key for route in routes}
    for route in routes:
        rule = authorizer.rules_by_route[route.key]
        if route.authorizer is None:
            assert rule is None, route.key
        else:
            assert rule is not None and rule.audiences == clients, route.key


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("ada", "ada"),
        (1795784400, "1795784400"),
        (1795784400.0, "1795784400"),
        (True, "true"),
        (["admin", "staff"], "[admin staff]"),
        ([], "[]"),
        ({"b": 1, "a": "x"}, "map[a:x b:1]"),
    ],
)
def test_claims_are_passed_as_the_strings_api_gateway_makes(value: Any, text: str) -> None:
    assert claim_text(value) == text


# python -m local.tools.id_token


def test_the_token_command_prints_a_token_from_the_running_issuer(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(json.dumps({"issuer": site.issuer.url}), encoding="utf-8")

    code = token_cli.main(
        ["--role", "staff", "--email", "kim@example.com", "--endpoints-file", str(endpoints)]
    )

    assert code == 0
    printed = capsys.readouterr().out.strip()
    assert site.get("/private", f"Bearer {printed}").status_code == 200
    claims = jwt.decode(printed, options={"verify_signature": False})
    assert (claims["email"], claims["cognito:groups"]) == ("kim@example.com", ["staff"])


def test_the_token_command_says_clearly_when_the_stack_is_not_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = token_cli.main(["--endpoints-file", str(tmp_path / "endpoints.json")])
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"issuer": "http://127.0.0.1:9"}), encoding="utf-8")
    unreachable = token_cli.main(["--endpoints-file", str(stale)])

    assert missing == unreachable == 1
    errors = capsys.readouterr().err
    assert errors.count("The local stack is not running") == 2
    assert "make dev" in errors
