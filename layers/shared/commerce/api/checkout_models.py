"""Request and response bodies of checkout (`POST /checkout`, `POST /me/checkout`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from commerce.api.models import InvoiceDetailsOut, OrderLineOut, OrderTotalsOut, PostalAddressIn, Strict
from commerce.services.checkout import CheckoutRequest, CheckoutResult

IDEMPOTENCY_KEY_MAX = 255


class CheckoutAddressIn(PostalAddressIn):
    """Checked as the address book checks addresses: postal code per country, region for US and CA."""


class CheckoutIn(Strict):
    email: str = Field(min_length=3, max_length=254, description="Where the receipt goes.")
    shipping_address: CheckoutAddressIn
    billing_address: CheckoutAddressIn | None = Field(
        default=None, description="Left out: the shipping address."
    )

    def request(
        self, locale: str, channel: str | None = None, channel_key: str | None = None
    ) -> CheckoutRequest:
        return CheckoutRequest(
            email=self.email,
            shipping_address=self.shipping_address.address(),
            billing_address=self.billing_address.address() if self.billing_address else None,
            locale=locale,
            channel=channel,  # inventory: the sales channel (a query parameter)
            channel_key=channel_key,
        )


class GuestCheckoutIn(CheckoutIn):
    cart_id: str = Field(
        min_length=1, max_length=64, description="The guest cart; its token goes in X-Cart-Token."
    )


class PaymentOut(BaseModel):
    provider: str = Field(description="stripe")
    payment_intent_id: str
    client_secret: str | None = Field(description="Confirm the payment with it in Stripe.js; never log it.")


class CheckoutOut(BaseModel):
    order_id: str
    order_token: str = Field(description="Opens the order for a guest (X-Order-Token). Shown only once.")
    status: str = Field(description="pending_payment until the payment is confirmed.")
    currency: str
    lines: list[OrderLineOut]
    totals: OrderTotalsOut
    payment: PaymentOut
    invoice: InvoiceDetailsOut | None = Field(
        default=None, description="Pricing: seller, tax rule, discounts."
    )
    channel: str | None = Field(default=None, description="The sales channel the order was taken on.")

    @classmethod
    def of(cls, result: CheckoutResult) -> CheckoutOut:
        order = result.order
        return cls(
            order_id=order.id,
            order_token=result.order_token,
            status=order.status.value,
            currency=order.currency,
            lines=[OrderLineOut.of(line) for line in order.lines],
            totals=OrderTotalsOut.of(order.totals),
            payment=PaymentOut(
                provider=result.payment.provider,
                payment_intent_id=result.payment.id,
                client_secret=result.payment.client_secret,
            ),
            invoice=InvoiceDetailsOut.of(order.pricing) if order.pricing else None,
            channel=order.channel,  # inventory
        )
