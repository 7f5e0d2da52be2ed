from __future__ import annotations

import pytest

from commerce.api.identity import principal_from_claims
from commerce.domain.errors import Forbidden


@pytest.mark.parametrize(
    ("claim", "groups"),
    [
        ("[admin staff]", {"admin", "staff"}),
        ("[staff]", {"staff"}),
        (["admin"], {"admin"}),
        ("[]", set()),
        (None, set()),
    ],
)
def test_groups_are_read_in_every_shape_the_authorizer_sends(claim: object, groups: set[str]) -> None:
    principal = principal_from_claims({"sub": "u-1", "cognito:groups": claim})
    assert principal is not None and principal.groups == groups


def test_no_subject_means_nobody_signed_in() -> None:
    assert principal_from_claims({"email": "a@example.com"}) is None
    assert principal_from_claims(None) is None


def test_staff_may_run_the_back_office_but_only_admins_administer() -> None:
    staff = principal_from_claims({"sub": "s", "cognito:groups": "[staff]"})
    customer = principal_from_claims({"sub": "c"})
    assert staff is not None and customer is not None
    assert staff.require_staff() is staff
    with pytest.raises(Forbidden):
        staff.require_admin()
    with pytest.raises(Forbidden):
        customer.require_staff()
