"""Request and response bodies of the channel API (/channels/...), channel settings and stock alerts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from commerce.api.models import CURRENCY_PATTERN, Mirror, Strict
from commerce.domain.channels import (
    DEFAULT_RESERVATION_MINUTES,
    EXTERNAL_ID_PATTERN,
    MAX_RESERVATION_MINUTES,
    Channel,
    ChannelOrder,
)

SkuKey = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
LocationId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class ChannelReservationIn(Strict):
    external_order_id: str = Field(
        pattern=EXTERNAL_ID_PATTERN, description="The order's id on the channel: the idempotency key."
    )
    lines: dict[SkuKey, Annotated[int, Field(ge=1, le=1000)]] = Field(
        min_length=1, max_length=40, description="Units per SKU."
    )


class AllocationOut(BaseModel):
    sku: str
    location: str
    quantity: int


class ChannelOrderOut(BaseModel):
    channel: str
    external_order_id: str
    status: str = Field(
        description="reserved, committed (sold), released (by the channel) or expired (not committed in time)"
    )
    lines: dict[str, int]
    allocations: list[AllocationOut]
    created_at: str
    expires_at: str = Field(description="When a reservation not committed by then gives its units back.")

    @classmethod
    def of(cls, order: ChannelOrder) -> ChannelOrderOut:
        return cls(
            channel=order.channel,
            external_order_id=order.external_id,
            status=order.status.value,
            lines=dict(order.lines),
            allocations=[
                AllocationOut(sku=a.sku, location=a.location, quantity=a.quantity) for a in order.allocations
            ],
            created_at=order.created_at.isoformat(),
            expires_at=order.expiry.isoformat(),
        )


class ChannelStockOut(BaseModel):
    sku: str
    channel: str
    available: int


class ChannelIn(Strict):
    currency: str = Field(pattern=CURRENCY_PATTERN, description="The channel's price list (ISO 4217).")
    locations: list[LocationId] = Field(
        default_factory=list, max_length=50, description="Where it sells from; empty: every location."
    )
    products: list[Annotated[str, Field(max_length=64)]] | None = Field(
        default=None, max_length=5000, description="Product ids it may sell; null: the whole catalog."
    )
    reservation_minutes: int = Field(
        default=DEFAULT_RESERVATION_MINUTES,
        ge=1,
        le=MAX_RESERVATION_MINUTES,
        description="How long a reservation holds its units before it expires unless committed.",
    )


class ChannelOut(Mirror):
    id: str
    currency: str
    locations: list[str]
    products: list[str] | None
    has_api_key: bool
    reservation_minutes: int

    @classmethod
    def of(cls, channel: Channel) -> ChannelOut:
        return cls.copying(
            channel,
            locations=list(channel.locations),
            products=list(channel.products) if channel.products is not None else None,
            has_api_key=channel.key_hash is not None,
        )


class ChannelKeyOut(BaseModel):
    channel: str
    api_key: str = Field(description="Shown once; only its hash is stored. Send it as the X-Api-Key header.")


class StockAlertIn(Strict):
    sku: SkuKey
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254, description="Told once when it is back.")
    locale: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        max_length=35,
        description="The language of the email (BCP 47, e.g. fr-FR); the shop's default when not given.",
    )


class ChannelsOut(BaseModel):
    items: list[ChannelOut]
