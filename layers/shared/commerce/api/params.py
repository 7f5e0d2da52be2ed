"""Request parameters that several functions' routes take, written once: what each is and how long it may be
(the OpenAPI document shows the descriptions)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query

from commerce.domain.channels import CHANNEL_PATTERN

CartId = Annotated[str, Path(max_length=64)]
OrderId = Annotated[str, Path(max_length=64)]
ProductId = Annotated[str, Path(max_length=64)]
Sku = Annotated[str, Path(max_length=64)]
# A SKU as the shop writes one: upper-case letters, digits and dashes.
SkuCode = Annotated[str, Path(max_length=64, pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]

# A transfer's or a purchase order's id, as the shop issues them.
RecordId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9-]{1,64}$")]

CartToken = Annotated[
    str | None, Header(alias="x-cart-token", description="The token returned when the cart was created.")
]
OrderToken = Annotated[
    str | None, Header(alias="x-order-token", description="The order token returned by checkout.")
]

LocaleParam = Annotated[str | None, Query(max_length=35, description="BCP 47 tag for line names.")]
ChannelParam = Annotated[
    str | None,
    Query(max_length=60, pattern=CHANNEL_PATTERN, description="web, app, marketplace:<name>, pos:<store>"),
]
