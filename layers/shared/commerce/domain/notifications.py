"""Customer emails: which domain event sends which email, in which language, with which words.

Pure: the templates are data, the amounts are formatted by `Money.format` for the email's locale, and
the language is the customer's profile locale, else the language of the destination country, else the
shop's default (docs/notifications.md).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commerce.domain import locale as locales
from commerce.domain.money import Money


class EmailKind(enum.StrEnum):
    ORDER_CONFIRMATION = "order_confirmation"
    PAYMENT_FAILED = "payment_failed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUND_ISSUED = "refund_issued"
    BACK_IN_STOCK = "back_in_stock"  # to a shopper who asked (POST /stock-alerts), not about an order
    MERCHANT_NOTICE = "merchant_notice"  # to the merchant, not a buyer: a paused webhook, the daily report


# The language people in a country read by default, for buyers without a profile locale (guests).
COUNTRY_LANGUAGES: Mapping[str, str] = {
    "FR": "fr",
    "BE": "fr",
    "LU": "fr",
    "MC": "fr",
    "DE": "de",
    "AT": "de",
    "ES": "es",
    "IT": "it",
    "NL": "nl",
    "JP": "ja",
}


def email_kind(event_type: str, data: Mapping[str, Any]) -> EmailKind | None:
    """The email a domain event sends the buyer, or None when it sends none."""
    if event_type == "OrderPaid":
        return EmailKind.ORDER_CONFIRMATION
    if event_type == "OrderCancelled":
        return EmailKind.PAYMENT_FAILED if data.get("reason") == "payment_failed" else EmailKind.CANCELLED
    if event_type == "OrderShipped":
        return EmailKind.SHIPPED
    if event_type == "OrderDelivered":
        return EmailKind.DELIVERED
    if event_type == "RefundIssued":
        # A cancellation's refund is told in the cancellation email; a lost dispute's money went back through
        # the buyer's bank, not from us.
        told_otherwise = data.get("with_cancellation") or data.get("source") == "bank"
        return None if told_otherwise else EmailKind.REFUND_ISSUED
    return None


def email_locale(profile_locale: str | None, country: str | None, default: str) -> str:
    """The profile's locale, else the destination country's language, else the shop's default."""
    if profile_locale and locales.normalize(profile_locale):
        return locales.normalize(profile_locale) or default
    if country and country.upper() in COUNTRY_LANGUAGES:
        return COUNTRY_LANGUAGES[country.upper()]
    return default


@dataclass(frozen=True, slots=True)
class Template:
    subject: str
    body: str


# `{order_id}`, `{total}`, `{amount}`, `{tracking_number}`, `{tracking_url}`, `{carrier}`, `{reason}`,
# `{sku}`, `{product}`.
TEMPLATES: Mapping[str, Mapping[EmailKind, Template]] = {
    "en": {
        EmailKind.ORDER_CONFIRMATION: Template(
            "Your order {order_id} is confirmed",
            "Thank you for your order.\n\nOrder: {order_id}\nTotal paid: {total}\n\n"
            "We will let you know as soon as it ships.",
        ),
        EmailKind.PAYMENT_FAILED: Template(
            "Payment for order {order_id} did not go through",
            "Your payment for order {order_id} ({total}) was declined, so the order was not placed.\n\n"
            "No money was taken. You are welcome to try again with another card.",
        ),
        EmailKind.SHIPPED: Template(
            "Your order {order_id} is on its way",
            "Good news: a parcel of your order {order_id} has shipped with {carrier}.\n\n"
            "Tracking number: {tracking_number}\nFollow it: {tracking_url}",
        ),
        EmailKind.DELIVERED: Template(
            "Your order {order_id} was delivered",
            "Your parcel (tracking number {tracking_number}) of order {order_id} was delivered.\n\n"
            "We hope you enjoy it.",
        ),
        EmailKind.CANCELLED: Template(
            "Your order {order_id} was cancelled",
            "Your order {order_id} was cancelled ({reason}).\n\nAmount refunded: {amount}",
        ),
        EmailKind.REFUND_ISSUED: Template(
            "A refund for order {order_id}",
            "We have refunded {amount} for your order {order_id}.\n\n"
            "It reaches your card within 5 to 10 business days.",
        ),
        EmailKind.BACK_IN_STOCK: Template(
            "{product} is back in stock",
            "Good news: {product} ({sku}) is back in stock, as you asked us to tell you.\n\n"
            "We tell you this once; it may sell out again quickly.",
        ),
    },
    "fr": {
        EmailKind.ORDER_CONFIRMATION: Template(
            "Votre commande {order_id} est confirmée",
            "Merci pour votre commande.\n\nCommande : {order_id}\nTotal payé : {total}\n\n"
            "Nous vous préviendrons dès son expédition.",
        ),
        EmailKind.PAYMENT_FAILED: Template(
            "Le paiement de la commande {order_id} n'a pas abouti",
            "Votre paiement pour la commande {order_id} ({total}) a été refusé : la commande n'est pas "
            "passée.\n\nAucun montant n'a été prélevé. Vous pouvez réessayer avec une autre carte.",
        ),
        EmailKind.SHIPPED: Template(
            "Votre commande {order_id} est en route",
            "Bonne nouvelle : un colis de votre commande {order_id} a été expédié par {carrier}.\n\n"
            "Numéro de suivi : {tracking_number}\nSuivre le colis : {tracking_url}",
        ),
        EmailKind.DELIVERED: Template(
            "Votre commande {order_id} a été livrée",
            "Votre colis (numéro de suivi {tracking_number}) de la commande {order_id} a été livré.\n\n"
            "Nous espérons qu'il vous plaira.",
        ),
        EmailKind.CANCELLED: Template(
            "Votre commande {order_id} a été annulée",
            "Votre commande {order_id} a été annulée ({reason}).\n\nMontant remboursé : {amount}",
        ),
        EmailKind.REFUND_ISSUED: Template(
            "Un remboursement pour la commande {order_id}",
            "Nous avons remboursé {amount} pour votre commande {order_id}.\n\n"
            "Il apparaîtra sur votre carte sous 5 à 10 jours ouvrés.",
        ),
        EmailKind.BACK_IN_STOCK: Template(
            "{product} est de nouveau disponible",
            "Bonne nouvelle : {product} ({sku}) est de nouveau en stock, comme vous nous l'avez demandé.\n\n"
            "Nous ne vous le disons qu'une fois ; il pourrait vite être épuisé.",
        ),
    },
}
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    body: str
    language: str
    kind: EmailKind
    idempotency_key: str  # event id + template: the same event handled twice sends one email


@dataclass(frozen=True, slots=True)
class EmailFacts:
    """What an email says, gathered from the event and the order."""

    order_id: str
    currency: str
    total: int
    amount: int = 0  # refunded by this refund or cancellation
    reason: str = ""
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    sku: str = ""  # back in stock: the SKU and its product's name in the reader's language
    product: str = ""


def render(kind: EmailKind, to: str, locale: str, facts: EmailFacts, event_id: str) -> Email:
    """The email in the locale's language (falling back to English), amounts in the locale's format."""
    language = next(
        (tag for tag in locales.fallback_chain(locale, DEFAULT_LANGUAGE) if tag in TEMPLATES),
        DEFAULT_LANGUAGE,
    )
    template = TEMPLATES[language][kind]
    values = {
        "order_id": facts.order_id,
        "total": Money(facts.total, facts.currency).format(locale),
        "amount": Money(facts.amount, facts.currency).format(locale),
        "reason": facts.reason.replace("_", " "),
        "carrier": facts.carrier,
        "tracking_number": facts.tracking_number,
        "tracking_url": facts.tracking_url,
        "sku": facts.sku,
        "product": facts.product or facts.sku,
    }
    return Email(
        to=to,
        subject=template.subject.format(**values),
        body=template.body.format(**values),
        language=language,
        kind=kind,
        idempotency_key=f"{event_id}#{kind.value}",
    )
