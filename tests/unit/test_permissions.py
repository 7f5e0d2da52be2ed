"""Groups grant permissions and refund limits; the mapping is configuration, checked at cold start."""

from __future__ import annotations

import json

import pytest

from commerce.config import ConfigurationError, Settings
from commerce.domain.errors import Forbidden
from commerce.domain.money import Money
from commerce.domain.permissions import DEFAULT_ROLES, Permission, parse_roles, roles_from

ROLES = roles_from(DEFAULT_ROLES)
ENV = {
    "TABLE_NAME": "t",
    "IDEMPOTENCY_TABLE_NAME": "i",
    "EVENT_BUS_NAME": "b",
    "CURSOR_SECRET_ARN": "c",
    "SUPPORTED_CURRENCIES": "EUR,USD,JPY",
    "DEFAULT_LOCALE": "en",
    "CART_TTL_DAYS": "30",
    "STAFF_ROLES": "",
}
ADMIN_ONLY = {Permission.INTEGRATIONS, Permission.MARKETING, Permission.REFUNDS_ANY}


def test_admin_holds_every_permission() -> None:
    assert ROLES.authority({"admin"}).permissions == set(Permission)


def test_staff_run_the_shop_but_hold_none_of_integrations_marketing_or_unlimited_refunds() -> None:
    staff = ROLES.authority({"staff"})

    for permission in (
        Permission.CATALOG,
        Permission.INVENTORY,
        Permission.ORDERS_MANAGE,
        Permission.REPORTS,
    ):
        assert staff.has(permission)
    assert staff.permissions.isdisjoint(ADMIN_ONLY)
    assert staff.refund_limits["EUR"] == 50_000


def test_support_reads_orders_and_customers_and_refunds_small_amounts_only() -> None:
    support = ROLES.authority({"support"})

    assert support.permissions == {Permission.ORDERS_READ, Permission.CUSTOMERS_READ, Permission.REFUNDS}
    assert support.may_refund(Money(5_000, "EUR"))
    assert not support.may_refund(Money(5_001, "EUR"))
    assert not support.may_refund(Money(1, "GBP")), "a currency without a limit: no refund"
    with pytest.raises(Forbidden):
        support.require_refund(Money(5_001, "EUR"))


def test_a_customer_and_an_unknown_group_may_do_nothing_of_the_back_office() -> None:
    for groups in (set(), {"wholesale"}, {"support,admin"}, {"Admin"}):
        authority = ROLES.authority(groups)
        assert not authority.is_staff and not authority.may_refund(Money(1, "EUR"))


def test_several_groups_hold_the_union_and_the_highest_limit() -> None:
    both = ROLES.authority({"support", "staff"})

    assert both.refund_limits["EUR"] == 50_000
    assert both.has(Permission.CATALOG) and both.has(Permission.REFUNDS)
    assert ROLES.authority({"support", "admin"}).may_refund(Money(10**9, "EUR"))


def test_an_empty_setting_is_the_documented_default_and_json_overrides_it() -> None:
    assert parse_roles("") == ROLES
    custom = parse_roles(
        json.dumps(
            {
                "admin": {"permissions": ["*"]},
                "warehouse": {"permissions": ["inventory", "orders:read"]},
                "support": {"permissions": ["orders:read", "refunds"], "refund_limits": {"EUR": 2000}},
            }
        )
    )

    assert custom.authority({"warehouse"}).permissions == {Permission.INVENTORY, Permission.ORDERS_READ}
    assert not custom.authority({"staff"}).is_staff, "a group the setting leaves out grants nothing"
    assert custom.authority({"support"}).refund_limits == {"EUR": 2000}


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("{not json", "not JSON"),
        ("[]", "object of Cognito group"),
        ('{"staff": {"permissions": ["catalogue"]}}', "unknown permissions catalogue"),
        ('{"support,admin": {"permissions": ["catalog"]}}', "without spaces or commas"),
        ('{"support": {"permissions": ["refunds"]}}', "needs `refund_limits`"),
        ('{"staff": {"permissions": ["catalog"], "refund_limits": {"EUR": 1}}}', "apply only with"),
        ('{"support": {"permissions": ["refunds"], "refund_limits": {"EURO": 1}}}', "not an ISO 4217"),
        ('{"support": {"permissions": ["refunds"], "refund_limits": {"EUR": -1}}}', "whole number"),
        ('{"support": {"permissions": ["refunds"], "refund_limits": {"EUR": 1.5}}}', "whole number"),
        ('{"staff": {"permissions": "catalog"}}', "list of names"),
        ('{"staff": {"permissions": [], "limits": {}}}', "an object with"),
    ],
)
def test_a_mistyped_setting_fails_the_cold_start_and_says_what_is_wrong(setting: str, complaint: str) -> None:
    with pytest.raises(ConfigurationError) as failed:
        Settings.from_env(ENV | {"STAFF_ROLES": setting}).staff_roles  # noqa: B018 - read at cold start

    assert "STAFF_ROLES" in str(failed.value) and complaint in str(failed.value)


def test_settings_carry_the_role_map_a_function_enforces() -> None:
    assert Settings.from_env(ENV).staff_roles == ROLES
    custom = Settings.from_env(ENV | {"STAFF_ROLES": '{"admin": {"permissions": ["*"]}}'})
    assert not custom.staff_roles.authority({"staff"}).is_staff
