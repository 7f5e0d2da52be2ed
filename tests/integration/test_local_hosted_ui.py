"""The local issuer's hosted UI: the authorization code flow with PKCE, with the rules Cognito applies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
import requests

from local.auth import LocalIssuer
from local.hosted_ui import AUTHORIZE_PATH, CODE_TTL_SECONDS, TOKEN_PATH
from local.testing import StorefrontSignIn

STOREFRONT = "http://127.0.0.1:3006"
CLIENT_ID = "local-storefront-client"
CONSOLE = "http://127.0.0.1:3007/"
CONSOLE_CLIENT_ID = "local-console-client"


@dataclass
class Clock:
    """The codes' clock, which a test moves on instead of waiting."""

    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def issuer(clock: Clock) -> Iterator[LocalIssuer]:
    running = LocalIssuer(port=0, storefront_origins=[STOREFRONT], clock=clock).start()
    yield running
    running.stop()


@pytest.fixture
def storefront(issuer: LocalIssuer) -> StorefrontSignIn:
    return StorefrontSignIn(issuer.url, origin=STOREFRONT)


def _verified(issuer: LocalIssuer, token: str, **options: Any) -> dict[str, Any]:
    jwks = requests.get(issuer.url + "/.well-known/jwks.json", timeout=10).json()
    (key,) = jwks["keys"]
    return jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], issuer=issuer.url, **options)


def _refused_page(response: requests.Response, reason: str) -> None:
    assert response.status_code == 400, response.text
    assert "location" not in response.headers, "an error must never redirect"
    assert response.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in response.text
    assert reason in response.text


# the good flow


def test_the_sign_in_page_asks_for_an_email_and_a_role_with_labelled_fields(
    storefront: StorefrontSignIn,
) -> None:
    page = requests.get(
        storefront.issuer_url + AUTHORIZE_PATH, params=storefront.authorize_query(), timeout=10
    )

    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in page.text
    assert '<label for="email">Email</label>' in page.text and 'id="email"' in page.text
    assert '<label for="role">Role</label>' in page.text
    assert all(f'<option value="{role}"' in page.text for role in ("customer", "support", "staff", "admin"))
    assert '<button type="submit">Sign in</button>' in page.text
    assert f'name="code_challenge" value="{storefront.authorize_query()["code_challenge"]}"' in page.text


def test_a_storefront_signs_in_with_a_code_and_its_verifier_and_gets_the_same_claims_as_from_token(
    issuer: LocalIssuer, storefront: StorefrontSignIn
) -> None:
    code = storefront.code("staff", "Grace@Example.com")

    answer = storefront.redeem(code)

    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == STOREFRONT
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    claims = _verified(issuer, body["id_token"], audience=CLIENT_ID)
    expected = issuer.id_token_claims("staff", "grace@example.com")
    same = ("sub", "email", "email_verified", "cognito:groups", "cognito:username", "token_use", "aud", "iss")
    assert {name: claims[name] for name in same} == {name: expected[name] for name in same}
    access = _verified(issuer, body["access_token"], options={"verify_aud": False})
    assert (access["token_use"], access["client_id"], access["scope"]) == (
        "access",
        CLIENT_ID,
        "openid email profile",
    )
    assert access["sub"] == claims["sub"] and access["cognito:groups"] == ["staff"]
    assert "aud" not in access


def test_an_empty_email_signs_in_the_role_s_demo_user_and_a_nonce_comes_back_in_the_id_token(
    issuer: LocalIssuer, storefront: StorefrontSignIn
) -> None:
    answer = storefront.sign_in("customer", "", nonce="n-0S6_WzA2Mj")
    code = answer.headers["location"].split("code=")[1].split("&")[0]

    claims = _verified(issuer, storefront.redeem(code).json()["id_token"], audience=CLIENT_ID)

    assert claims["email"] == "customer@example.com"
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert "cognito:groups" not in claims


def test_a_bad_email_shows_the_page_again_with_the_reason_and_issues_no_code(
    storefront: StorefrontSignIn,
) -> None:
    answer = storefront.sign_in("customer", "not-an-email")

    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert 'role="alert"' in answer.text and "email must be an address" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert '<button type="submit">Sign in</button>' in answer.text


# the code's rules


def test_a_wrong_verifier_is_invalid_grant(storefront: StorefrontSignIn) -> None:
    code = storefront.code()

    wrong = storefront.redeem(code, code_verifier="x" * 64)

    assert (wrong.status_code, wrong.json()) == (400, {"error": "invalid_grant"})


def test_a_missing_verifier_is_invalid_grant(storefront: StorefrontSignIn) -> None:
    answer = storefront.redeem(storefront.code(), code_verifier=None)

    assert (answer.status_code, answer.json()) == (400, {"error": "invalid_grant"})


def test_a_code_is_single_use_even_after_a_failed_attempt(storefront: StorefrontSignIn) -> None:
    used, tried = storefront.code(), storefront.code()
    assert storefront.redeem(used).status_code == 200
    assert storefront.redeem(tried, code_verifier="y" * 64).status_code == 400

    again = storefront.redeem(used)
    after_a_wrong_verifier = storefront.redeem(tried)

    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant"})
    assert (after_a_wrong_verifier.status_code, after_a_wrong_verifier.json()) == (
        400,
        {"error": "invalid_grant"},
    )


def test_a_code_expires_after_five_minutes(clock: Clock, storefront: StorefrontSignIn) -> None:
    in_time, too_late = storefront.code(), storefront.code()

    clock.now += CODE_TTL_SECONDS - 1
    assert storefront.redeem(in_time).status_code == 200
    clock.now += 1
    expired = storefront.redeem(too_late)

    assert (expired.status_code, expired.json()) == (400, {"error": "invalid_grant"})


def test_a_code_is_bound_to_its_redirect_uri(issuer: LocalIssuer, storefront: StorefrontSignIn) -> None:
    issuer.allow_storefront("http://127.0.0.1:3999")
    code = storefront.code()

    answer = storefront.redeem(code, redirect_uri="http://127.0.0.1:3999/auth/callback")

    assert (answer.status_code, answer.json()) == (400, {"error": "invalid_grant"})


def test_another_client_or_grant_type_is_refused_by_the_token_endpoint(storefront: StorefrontSignIn) -> None:
    other_client = storefront.redeem(storefront.code(), client_id="someone-else")
    refresh = storefront.redeem("", grant_type="refresh_token")

    assert (other_client.status_code, other_client.json()) == (400, {"error": "invalid_client"})
    assert (refresh.status_code, refresh.json()) == (400, {"error": "unsupported_grant_type"})


def test_the_token_endpoint_takes_a_form_only(storefront: StorefrontSignIn) -> None:
    as_json = requests.post(storefront.issuer_url + TOKEN_PATH, json={"code": storefront.code()}, timeout=10)
    as_get = requests.get(storefront.issuer_url + TOKEN_PATH, timeout=10)

    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    assert as_get.status_code == 405


def test_the_console_signs_in_and_out_at_its_index_url_with_its_own_client(issuer: LocalIssuer) -> None:
    issuer.allow_console(CONSOLE_CLIENT_ID, CONSOLE)
    console = StorefrontSignIn(
        issuer.url, origin=CONSOLE.rstrip("/"), client_id=CONSOLE_CLIENT_ID, redirect_uri=CONSOLE
    )

    tokens = console.redeem(console.code("staff"))
    at_storefront_callback = console.sign_in("staff", redirect_uri=STOREFRONT + "/auth/callback")
    logout = requests.get(
        issuer.url + "/logout",
        params={"client_id": CONSOLE_CLIENT_ID, "logout_uri": CONSOLE},
        allow_redirects=False,
        timeout=10,
    )

    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["access-control-allow-origin"] == CONSOLE.rstrip("/")
    claims = _verified(issuer, tokens.json()["id_token"], audience=CONSOLE_CLIENT_ID)
    assert claims["cognito:groups"] == ["staff"]
    _refused_page(at_storefront_callback, "redirect_uri is not one of")
    assert (logout.status_code, logout.headers["location"]) == (302, CONSOLE)


# the authorize request's rules: a page, never a redirect


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"redirect_uri": "https://evil.example/auth/callback"}, "redirect_uri is not one of"),
        ({"redirect_uri": STOREFRONT + "/auth/callback/../steal"}, "redirect_uri is not one of"),
        ({"redirect_uri": None}, "redirect_uri is not one of"),
        ({"client_id": "someone-else"}, "client_id is not"),
        ({"response_type": "token"}, "response_type must be code"),
        ({"code_challenge_method": "plain"}, "code_challenge_method must be S256"),
        ({"code_challenge_method": None}, "code_challenge_method must be S256"),
        ({"code_challenge": None}, "code_challenge must be"),
        ({"code_challenge": "short"}, "code_challenge must be"),
        ({"scope": "openid admin:everything"}, "admin:everything"),
    ],
)
def test_an_authorize_request_outside_the_rules_is_an_error_page(
    storefront: StorefrontSignIn, changes: dict[str, str | None], reason: str
) -> None:
    page = requests.get(
        storefront.issuer_url + AUTHORIZE_PATH, params=storefront.authorize_query(**changes), timeout=10
    )
    posted = storefront.sign_in("customer", "ada@example.com", **changes)

    _refused_page(page, reason)
    _refused_page(posted, reason)


def test_an_unlisted_origin_gets_no_cors_answer_from_the_token_endpoint(storefront: StorefrontSignIn) -> None:
    url = storefront.issuer_url + TOKEN_PATH
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}

    listed = requests.options(url, headers={"origin": STOREFRONT, **preflight}, timeout=10)
    unlisted = requests.options(url, headers={"origin": "https://evil.example", **preflight}, timeout=10)

    assert listed.headers["access-control-allow-origin"] == STOREFRONT
    assert "POST" in listed.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in unlisted.headers


# sign-out


def test_logout_redirects_to_a_listed_sign_out_url_only(storefront: StorefrontSignIn) -> None:
    url = storefront.issuer_url + "/logout"

    listed = requests.get(
        url,
        params={"client_id": CLIENT_ID, "logout_uri": STOREFRONT + "/"},
        allow_redirects=False,
        timeout=10,
    )
    unlisted = requests.get(
        url,
        params={"client_id": CLIENT_ID, "logout_uri": "https://evil.example/"},
        allow_redirects=False,
        timeout=10,
    )

    assert (listed.status_code, listed.headers["location"]) == (302, STOREFRONT + "/")
    _refused_page(unlisted, "logout_uri is not one of")


def test_discovery_names_the_hosted_ui_endpoints(issuer: LocalIssuer) -> None:
    discovery = requests.get(issuer.url + "/.well-known/openid-configuration", timeout=10).json()

    assert discovery["authorization_endpoint"] == issuer.url + AUTHORIZE_PATH
    assert discovery["token_endpoint"] == issuer.url + TOKEN_PATH
    assert discovery["code_challenge_methods_supported"] == ["S256"]
