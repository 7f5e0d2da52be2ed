"""Request parameters that several functions' routes take, written once: what each is and how long it may be
(the OpenAPI document shows the descriptions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from pydantic import BeforeValidator

from commerce.domain.channels import CHANNEL_PATTERN

CartId = Annotated[str, Path(max_length=64)]
OrderId = Annotated[str, Path(max_length=64)]
ProductId = Annotated[str, Path(max_length=64)]
Sku = Annotated[str, Path(max_length=64)]
# A SKU as the shop writes one: upper-case letters, digits and dashes.
SkuCode = Annotated[str, Path(max_length=64, pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]

# A flag on an order, as commerce/domain/flags.py names them.
FlagName = Annotated[str, Path(max_length=64, pattern=r"^[a-z][a-z_]{0,63}$")]

# A transfer's or a purchase order's id, as the shop issues them.
RecordId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9-]{1,64}$")]

CartToken = Annotated[
    str | None, Header(alias="x-cart-token", description="The token returned when the cart was created.")
]
OrderToken = Annotated[
    str | None, Header(alias="x-order-token", description="The order token returned by checkout.")
]

LocaleParam = Annotated[str | None, Query(max_length=35, description="BCP 47 tag for line names.")]
# A staff list's page: its size, and the cursor the previous page returned.
PageLimit = Annotated[int, Query(ge=1, le=100)]
PageCursor = Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page.")]
ChannelParam = Annotated[
    str | None,
    Query(max_length=60, pattern=CHANNEL_PATTERN, description="web, app, marketplace:<name>, pos:<store>"),
]


def iso_8601(parse: Callable[[str], object], example: str) -> BeforeValidator:
    """A query parameter's date or date-time as ISO 8601 only: Pydantic would take a number too (seconds since
    1970, as in `?to=0.5`), which the API does not say. `example` names the form in the error."""

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"not an ISO 8601 {example}")
        try:
            parse(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 {example}") from None
        return value

    return BeforeValidator(check)
