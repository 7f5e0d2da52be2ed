"""Request and response bodies of the staff webhook routes (`/admin/webhooks...`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from commerce.api.models import Strict
from commerce.domain.webhooks import Attempt, Delivery, Subscription

EventTypes = list[str]


class WebhookSubscriptionIn(Strict):
    url: str = Field(min_length=8, max_length=2048, description="https://... (http only on the local stack)")
    event_types: EventTypes = Field(
        min_length=1, max_length=50, description='Detail types from docs/events.md, or ["*"] for all.'
    )
    description: str = Field(default="", max_length=500)


class WebhookSubscriptionPatchIn(Strict):
    """Only the fields sent change."""

    url: str | None = Field(default=None, min_length=8, max_length=2048)
    event_types: EventTypes | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)


class WebhookSubscriptionOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str
    status: str = Field(description="active or paused")
    paused_reason: str | None = Field(default=None, description="by_staff, or failing (paused automatically)")
    flagged: bool = Field(description="A delivery used every attempt and went to the dead-letter queue.")
    failing_since: datetime | None = None
    created_at: datetime

    @classmethod
    def of(cls, s: Subscription) -> WebhookSubscriptionOut:
        return cls(
            id=s.id,
            url=s.url,
            event_types=list(s.event_types),
            description=s.description,
            status=s.status.value,
            paused_reason=s.paused_reason,
            flagged=s.flagged,
            failing_since=s.failing_since,
            created_at=s.created_at,
        )


class WebhookSubscriptionCreatedOut(WebhookSubscriptionOut):
    secret: str = Field(description="The signing secret. Shown this once: keep it now.")


class WebhookSubscriptionListOut(BaseModel):
    items: list[WebhookSubscriptionOut]


class WebhookAttemptOut(BaseModel):
    number: int
    at: datetime
    status_code: int | None = Field(description="None: no answer (refused target, timeout, connection error)")
    latency_ms: int
    response_excerpt: str

    @classmethod
    def of(cls, a: Attempt) -> WebhookAttemptOut:
        return cls(
            number=a.number,
            at=a.at,
            status_code=a.status_code,
            latency_ms=a.latency_ms,
            response_excerpt=a.excerpt,
        )


class WebhookDeliveryOut(BaseModel):
    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or failed")
    created_at: datetime
    attempts: list[WebhookAttemptOut]

    @classmethod
    def of(cls, d: Delivery) -> WebhookDeliveryOut:
        return cls(
            id=d.id,
            subscription_id=d.subscription_id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=d.status.value,
            created_at=d.created_at,
            attempts=[WebhookAttemptOut.of(a) for a in d.attempts],
        )


class WebhookDeliveryListOut(BaseModel):
    items: list[WebhookDeliveryOut]
