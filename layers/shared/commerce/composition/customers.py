"""Customers: their accounts, the emails they are sent, and the staff's view of one customer."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import adapters, now
from commerce.config import Settings

if TYPE_CHECKING:
    from commerce.services.customer_directory import CustomerFinder
    from commerce.services.customer_view import CustomerView
    from commerce.services.customers import Customers
    from commerce.services.notifications import Notifications


def customers(settings: Settings | None = None, client: Any = None) -> Customers:
    from commerce.services.customers import Customers

    found = adapters(settings, client)
    shop = found.settings.shop
    return Customers(
        customers=found.customers,
        orders=found.order_history,
        carts=found.carts,
        cursors=found.cursors,
        currencies=shop.supported_currencies,
        clock=now,
        relay=found.relay,  # publishes CustomerConsentChanged
        default_locale=shop.default_locale,
    )


def notifications(settings: Settings | None = None, client: Any = None) -> Notifications:
    from commerce.services.notifications import Notifications

    found = adapters(settings, client)
    found.clients.made("sesv2")  # every message it handles is an email
    return Notifications(
        orders=found.orders,
        customers=found.customers,
        mailer=found.mailer,
        sent=found.sent_emails,
        default_locale=found.settings.shop.default_locale,
        catalog=found.catalog,
    )


def customer_view(settings: Settings | None = None, client: Any = None) -> CustomerView:
    """The staff's view of one customer: account, orders, segments, notes and returns."""
    from commerce.services.customer_view import CustomerView

    found = adapters(settings, client)
    return CustomerView(
        found.customers, found.order_history, found.segments, found.staff_notes, now, found.returns
    )


def customer_finder(settings: Settings | None = None, client: Any = None) -> CustomerFinder:
    """Staff's customer list: by email, by name prefix, by segment."""
    from commerce.services.customer_directory import CustomerFinder

    found = adapters(settings, client)
    return CustomerFinder(found.customer_directory, found.cursors)
