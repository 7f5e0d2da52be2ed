"""Request and response bodies of the signed-in customer's routes (`/me`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from commerce.api.models import (
    CURRENCY_PATTERN,
    Mirror,
    OrderLineOut,
    OrderTotalsOut,
    PostalAddressIn,
    Strict,
)
from commerce.domain.cart import Cart
from commerce.domain.customer import KEEP, MAX_ADDRESSES, AddressInput, Profile, ProfileChanges
from commerce.domain.order_history import OrderRecord
from commerce.domain.permissions import Authority, Permission
from commerce.services.customers import CustomerExport, SavedAddress
from commerce.services.pagination import CursorPage


# profile
class CustomerProfileIn(Strict):
    """Only the fields sent change; `null` clears name, locale or currency."""

    email: str | None = Field(default=None, max_length=254, description="Contact email; cannot be cleared.")
    name: str | None = Field(default=None, max_length=200)
    locale: str | None = Field(default=None, max_length=35, description="BCP 47 tag, such as fr-CA.")
    currency: str | None = Field(
        default=None, pattern=CURRENCY_PATTERN, description="ISO 4217 code, one the shop sells in."
    )
    marketing_consent: bool | None = Field(
        default=None, description="Agree (true) or not (false) to marketing."
    )

    def changes(self) -> ProfileChanges:
        sent = self.model_fields_set
        return ProfileChanges(
            email=self.email if "email" in sent and self.email is not None else KEEP,
            name=self.name if "name" in sent else KEEP,
            locale=self.locale if "locale" in sent else KEEP,
            currency=self.currency if "currency" in sent else KEEP,
            marketing_consent=self.marketing_consent if self.marketing_consent is not None else KEEP,
        )


class MarketingConsentOut(BaseModel):
    granted: bool
    changed_at: datetime | None = Field(description="When it was last given or withdrawn; null if never.")


class StaffAccessOut(BaseModel):
    """What a signed-in member of the staff may do, for the back office to show only what they can use."""

    groups: list[str] = Field(description="The caller's Cognito groups.")
    permissions: list[str] = Field(description="Every permission their groups grant (docs/security.md).")
    refund_limits: dict[str, int] = Field(
        description="Per currency, the most (minor units) an order's refunds may come to on their say."
    )
    refunds_unlimited: bool = Field(description="True with refunds:any: no limit applies.")

    @classmethod
    def of(cls, authority: Authority) -> StaffAccessOut | None:
        if not authority.is_staff:
            return None
        refunds = authority.has(Permission.REFUNDS) and not authority.refunds_unlimited
        return cls(
            groups=sorted(authority.groups),
            permissions=sorted(authority.permissions),
            refund_limits=dict(sorted(authority.refund_limits.items())) if refunds else {},
            refunds_unlimited=authority.refunds_unlimited,
        )


class CustomerProfileOut(Mirror):
    customer_id: str
    email: str | None
    name: str | None
    locale: str | None
    currency: str | None
    marketing_consent: MarketingConsentOut
    default_shipping_address_id: str | None
    default_billing_address_id: str | None
    created_at: datetime
    updated_at: datetime
    staff: StaffAccessOut | None = Field(
        default=None, description="For a member of the staff: their groups, permissions and refund limits."
    )

    @classmethod
    def of(cls, profile: Profile, authority: Authority | None = None) -> CustomerProfileOut:
        return cls.copying(
            profile,
            marketing_consent=MarketingConsentOut(
                granted=profile.marketing_consent.granted, changed_at=profile.marketing_consent.changed_at
            ),
            staff=StaffAccessOut.of(authority) if authority is not None else None,
        )


# addresses
class CustomerAddressIn(PostalAddressIn):
    model_config = ConfigDict(
        json_schema_extra={
            "description": f"An address book holds at most {MAX_ADDRESSES} (beyond: 400 `limit-exceeded`)."
        }
    )

    label: str | None = Field(default=None, max_length=50, description="Such as Home or Work.")
    default_shipping: bool | None = Field(
        default=None, description="true makes it the default shipping address; false stops it being one."
    )
    default_billing: bool | None = Field(
        default=None, description="true makes it the default billing address; false stops it being one."
    )

    def address(self, label: str | None = None) -> AddressInput:
        return super().address(label=label if label is not None else self.label)


class CustomerAddressOut(Mirror):
    id: str
    label: str | None
    recipient_name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    country: str
    phone: str | None
    default_shipping: bool
    default_billing: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, saved: SavedAddress) -> CustomerAddressOut:
        a = saved.address
        return cls.copying(
            a,
            default_shipping=saved.default_shipping,
            default_billing=saved.default_billing,
        )


class CustomerAddressListOut(BaseModel):
    items: list[CustomerAddressOut]


# orders
class CustomerOrderOut(Mirror):
    id: str
    status: str
    currency: str
    created_at: datetime
    totals: OrderTotalsOut
    lines: list[OrderLineOut]
    email: str | None
    shipping_address: dict[str, str] | None
    billing_address: dict[str, str] | None

    @classmethod
    def of(cls, order: OrderRecord) -> CustomerOrderOut:
        return cls.copying(
            order,
            totals=OrderTotalsOut.of(order.totals),
            lines=[OrderLineOut.of(line) for line in order.lines],
            shipping_address=dict(order.shipping_address) if order.shipping_address is not None else None,
            billing_address=dict(order.billing_address) if order.billing_address is not None else None,
        )


class CustomerOrderListOut(BaseModel):
    items: list[CustomerOrderOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")

    @classmethod
    def of(cls, page: CursorPage[OrderRecord]) -> CustomerOrderListOut:
        return cls(items=[CustomerOrderOut.of(o) for o in page.items], next_cursor=page.next_cursor)


# export
class CustomerExportCartLineOut(BaseModel):
    sku: str
    quantity: int


class CustomerExportCartOut(Mirror):
    id: str
    currency: str
    lines: list[CustomerExportCartLineOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, cart: Cart) -> CustomerExportCartOut:
        return cls.copying(
            cart,
            lines=[CustomerExportCartLineOut(sku=s, quantity=q) for s, q in sorted(cart.lines.items())],
        )


class CustomerExportOut(BaseModel):
    """Everything the shop holds about the signed-in customer (GDPR articles 15 and 20)."""

    exported_at: datetime
    profile: CustomerProfileOut
    addresses: list[CustomerAddressOut]
    cart: CustomerExportCartOut | None = Field(description="The active cart, if any.")
    orders: list[CustomerOrderOut] = Field(description="Every order, newest first.")

    @classmethod
    def of(cls, export: CustomerExport) -> CustomerExportOut:
        return cls(
            exported_at=export.exported_at,
            profile=CustomerProfileOut.of(export.profile),
            addresses=[CustomerAddressOut.of(a) for a in export.addresses],
            cart=CustomerExportCartOut.of(export.cart) if export.cart else None,
            orders=[CustomerOrderOut.of(o) for o in export.orders],
        )
