"""What a guest gives to be reminded of a cart they leave."""

from __future__ import annotations

from pydantic import Field, StrictBool

from commerce.api.models import Strict


class CartContactIn(Strict):
    email: str = Field(min_length=3, max_length=254, description="Where to write about this cart.")
    marketing_consent: StrictBool = Field(
        default=False,
        description="The guest agreed to marketing email; without it, only the cart reminder the shop's "
        "own terms allow is sent (the connector forwards an unsubscribe).",
    )
