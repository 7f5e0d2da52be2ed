from __future__ import annotations

import pytest

from commerce.api.identity import principal_from_claims
from commerce.domain.permissions import DEFAULT_ROLES, Permission, roles_from


@pytest.mark.parametrize(
    ("claim", "groups"),
    [
        ("[admin staff]", {"admin", "staff"}),
        ("[staff]", {"staff"}),
        (["admin"], {"admin"}),
        ("[]", set()),
        ("[ support   staff ]", {"support", "staff"}),
        ("[support,admin]", {"support,admin"}),
        (["support,admin"], {"support,admin"}),
        ("support,admin", {"support,admin"}),
        (None, set()),
    ],
)
def test_groups_are_read_in_every_shape_the_authorizer_sends(claim: object, groups: set[str]) -> None:
    principal = principal_from_claims({"sub": "u-1", "cognito:groups": claim})
    assert principal is not None and principal.groups == groups


def test_no_subject_means_nobody_signed_in() -> None:
    assert principal_from_claims({"email": "a@example.com"}) is None
    assert principal_from_claims(None) is None


def test_a_group_named_support_comma_admin_is_one_group_and_grants_nothing_of_admin() -> None:
    for claim in ("[support,admin]", ["support,admin"], "[support,admin staff]"):
        principal = principal_from_claims({"sub": "s", "cognito:groups": claim})
        assert principal is not None and "admin" not in principal.groups

        authority = roles_from(DEFAULT_ROLES).authority(principal.groups)

        assert not authority.has(Permission.INTEGRATIONS)
        assert not authority.refunds_unlimited
