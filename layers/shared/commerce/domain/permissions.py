"""What the shop's staff may do: permissions, the Cognito groups that grant them, and refund limits.

A group grants a set of permissions; a person in several groups holds the union, and the highest refund
limit any of their refunding groups sets per currency. The mapping is configuration (docs/security.md):
`DEFAULT_ROLES` unless the deployment gives its own, parsed and checked once at cold start."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from commerce.domain.currency import is_currency
from commerce.domain.errors import Forbidden
from commerce.domain.money import Money


class Permission(StrEnum):
    CATALOG = "catalog"  # products, variants, prices, translations, categories, pricing terms
    INVENTORY = "inventory"  # locations, stock, transfers, purchase orders, hot SKUs
    ORDERS_READ = "orders:read"  # order lists and shipment labels
    ORDERS_MANAGE = "orders:manage"  # approve or reject held orders, request labels, receive returns
    REFUNDS = "refunds"  # refund up to the group's limit in the order's currency
    REFUNDS_ANY = "refunds:any"  # refund any amount
    CUSTOMERS_READ = "customers:read"  # customer lists and a customer's whole record
    CUSTOMERS_MANAGE = "customers:manage"  # staff notes on a customer
    REPORTS = "reports"  # sales, funnel, campaign and inventory reports
    MARKETING = "marketing"  # promotions, discount codes, FX rate snapshots
    INTEGRATIONS = "integrations"  # channel and ERP keys, channels, webhook subscriptions, connectors


ALL = "*"  # in a configuration: every permission, those added later included
_GROUP_NAME = re.compile(r"^[\w.@+-]{1,128}$")  # Cognito's group names, less whitespace: never a list


@dataclass(frozen=True, slots=True)
class Role:
    """What one Cognito group grants."""

    permissions: frozenset[Permission]
    refund_limits: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Authority:
    """Everything one caller may do, from all their groups."""

    groups: frozenset[str] = frozenset()
    permissions: frozenset[Permission] = frozenset()
    refund_limits: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_staff(self) -> bool:
        return bool(self.permissions)

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def refunds_unlimited(self) -> bool:
        return Permission.REFUNDS_ANY in self.permissions

    def may_refund(self, total: Money) -> bool:
        """Whether an order's refunds may come to `total` on this caller's say."""
        if self.refunds_unlimited:
            return True
        if Permission.REFUNDS not in self.permissions:
            return False
        limit = self.refund_limits.get(total.currency)
        return limit is not None and total.amount <= limit

    def require_refund(self, total: Money) -> None:
        if not self.may_refund(total):
            limit = self.refund_limits.get(total.currency) if self.has(Permission.REFUNDS) else None
            allowed = "no refunds" if limit is None else f"refunds up to {limit} minor units"
            raise Forbidden(
                f"refunds of this order would come to {total.amount} {total.currency} minor units; "
                f"you may make {allowed} in {total.currency} ({Permission.REFUNDS_ANY} for more)"
            )


@dataclass(frozen=True, slots=True)
class RoleMap:
    """Cognito group name -> what it grants. Groups it does not name grant nothing."""

    roles: Mapping[str, Role]

    def authority(self, groups: Iterable[str]) -> Authority:
        mine = frozenset(groups)
        held = [self.roles[g] for g in sorted(mine) if g in self.roles]
        limits: dict[str, int] = {}
        for role in held:
            if Permission.REFUNDS in role.permissions:
                for currency, limit in role.refund_limits.items():
                    limits[currency] = max(limit, limits.get(currency, 0))
        return Authority(
            groups=mine,
            permissions=frozenset(p for role in held for p in role.permissions),
            refund_limits=MappingProxyType(limits),
        )


_SMALL = {"EUR": 5_000, "USD": 5_000, "JPY": 7_500}  # 50 EUR, 50 USD, 7,500 JPY
_LARGER = {"EUR": 50_000, "USD": 50_000, "JPY": 75_000}
DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "admin": {"permissions": [ALL]},
    "staff": {
        "permissions": [
            Permission.CATALOG,
            Permission.INVENTORY,
            Permission.ORDERS_READ,
            Permission.ORDERS_MANAGE,
            Permission.CUSTOMERS_READ,
            Permission.CUSTOMERS_MANAGE,
            Permission.REPORTS,
            Permission.REFUNDS,
        ],
        "refund_limits": _LARGER,
    },
    "support": {
        "permissions": [Permission.ORDERS_READ, Permission.CUSTOMERS_READ, Permission.REFUNDS],
        "refund_limits": _SMALL,
    },
}


def parse_roles(text: str) -> RoleMap:
    """The role map a deployment configures as JSON (docs/security.md); "" is DEFAULT_ROLES.
    Raises ValueError naming what is wrong, so a mistyped permission fails the cold start, never a request."""
    if not text.strip():
        return roles_from(DEFAULT_ROLES)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ValueError(f"the staff roles are not JSON: {error}") from None
    return roles_from(document)


def roles_from(document: object) -> RoleMap:
    if not isinstance(document, Mapping) or not document:
        raise ValueError("the staff roles are an object of Cognito group name -> role")
    roles: dict[str, Role] = {}
    for group, spec in document.items():
        if not isinstance(group, str) or not _GROUP_NAME.match(group):
            raise ValueError(f"group {group!r}: a Cognito group name, without spaces or commas")
        roles[group] = _role(group, spec)
    return RoleMap(MappingProxyType(roles))


def _role(group: str, spec: object) -> Role:
    if not isinstance(spec, Mapping) or set(spec) - {"permissions", "refund_limits"}:
        raise ValueError(f"group {group}: an object with `permissions` and, to refund, `refund_limits`")
    names = spec.get("permissions")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError(f"group {group}: `permissions` is a list of names")
    known = {p.value for p in Permission}
    unknown = sorted(set(names) - known - {ALL})
    if unknown:
        raise ValueError(f"group {group}: unknown permissions {', '.join(unknown)} (known: {sorted(known)})")
    permissions = frozenset(Permission) if ALL in names else frozenset(Permission(n) for n in names)
    limits = _limits(group, spec.get("refund_limits", {}))
    limited = Permission.REFUNDS in permissions and Permission.REFUNDS_ANY not in permissions
    if limited and not limits:
        raise ValueError(f"group {group}: `{Permission.REFUNDS}` needs `refund_limits` per currency")
    if limits and not limited:
        raise ValueError(f"group {group}: `refund_limits` apply only with `{Permission.REFUNDS}`")
    return Role(permissions, MappingProxyType(limits))


def _limits(group: str, value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValueError(f"group {group}: `refund_limits` is an object of currency -> minor units")
    limits: dict[str, int] = {}
    for currency, amount in value.items():
        if not isinstance(currency, str) or not is_currency(currency):
            raise ValueError(f"group {group}: {currency!r} is not an ISO 4217 currency code")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError(
                f"group {group}: the {currency} limit is a whole number of minor units, 0 or more"
            )
        limits[currency] = amount
    return limits
