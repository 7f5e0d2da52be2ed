"""A storefront signs in through the local issuer's hosted UI and calls the API with the token it gets."""

from __future__ import annotations

from local.stack import LocalStack
from local.testing import StorefrontSignIn
from tests.e2e.conftest import Api, unique_email


def test_a_token_from_the_authorization_code_flow_calls_me_on_the_local_api(
    api: Api, stack: LocalStack
) -> None:
    email = unique_email("hosted")
    storefront = StorefrontSignIn(stack.issuer_url)
    tokens = storefront.redeem(storefront.code("customer", email)).json()

    me = api.get("/me", headers={"Authorization": f"Bearer {tokens['id_token']}"})

    assert me.status_code == 200, me.text
    assert me.json()["email"] == email
    assert me.json()["staff"] is None


def test_a_staff_member_signed_in_through_the_hosted_ui_keeps_their_group(
    api: Api, stack: LocalStack
) -> None:
    storefront = StorefrontSignIn(stack.issuer_url)
    tokens = storefront.redeem(storefront.code("support", unique_email("support"))).json()

    me = api.get("/me", headers={"Authorization": f"Bearer {tokens['id_token']}"})

    assert me.status_code == 200, me.text
    assert me.json()["staff"]["groups"] == ["support"]
