"""Email marketing: contacts who consented (subscribed, unsubscribed when they withdraw, their segment) and
abandoned carts of shoppers who consented. Nobody who has not consented is sent, except the unsubscribe
that tells the tool to stop."""

from __future__ import annotations

from collections.abc import Mapping

from commerce.domain.connectors.base import Document, Facts, json_document, unknown_settings
from commerce.domain.events import DomainEvent


class Marketing:
    name: str = "marketing"
    description: str = (
        "Contacts and consent (CustomerConsentChanged), segments (CustomerSegmentChanged) and abandoned carts"
        " (CartAbandoned), only for customers who consented."
    )
    consumes: frozenset[str] = frozenset(
        {"CustomerConsentChanged", "CustomerSegmentChanged", "CartAbandoned"}
    )
    settings: Mapping[str, str] = {
        "list_id": "the audience or list in the marketing tool, passed through on every document"
    }

    def check(self, settings: Mapping[str, str]) -> dict[str, str]:
        unknown_settings(settings, self.settings)
        return {k: v.strip() for k, v in settings.items() if v.strip()}

    def documents(self, event: DomainEvent, settings: Mapping[str, str], facts: Facts) -> list[Document]:
        data = event.data
        extra = {"list_id": settings["list_id"]} if settings.get("list_id") else {}
        at = event.occurred_at.isoformat()
        if event.type == "CustomerConsentChanged":
            granted = bool(data.get("marketing_consent"))
            kind = "marketing.contact_subscribed" if granted else "marketing.contact_unsubscribed"
            body = {
                "customer_id": data.get("customer_id"),
                "email": data.get("email"),
                "at": data.get("changed_at") or at,
                **extra,
            }
            if granted:
                body["locale"] = data.get("locale")
            return [json_document(kind, f"consent_{event.event_id}", body)]
        if event.type == "CartAbandoned":
            if not data.get("marketing_consent"):
                return []
            body = {key: value for key, value in data.items() if key != "marketing_consent"}
            return [
                json_document("marketing.cart_abandoned", f"abandoned_{event.event_id}", {**body, **extra})
            ]
        # CustomerSegmentChanged names only the customer: send it if they consented, with their email.
        profile = facts.customer(str(data.get("customer_id") or ""))
        if profile is None or not profile.marketing_consent.granted or not profile.email:
            return []
        return [
            json_document(
                "marketing.contact_segment_changed",
                f"segment_{event.event_id}",
                {
                    "customer_id": profile.customer_id,
                    "email": profile.email,
                    "segment": data.get("segment"),
                    "previous": data.get("previous"),
                    "at": at,
                    **extra,
                },
            )
        ]
