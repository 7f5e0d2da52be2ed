"""Request and response bodies of the staff webhook routes (`/admin/webhooks...`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from commerce.api.models import Mirror, Strict
from commerce.domain.webhooks import Attempt, Delivery, Subscription

EventTypes = list[str]


Settings = dict[str, Annotated[str, Field(max_length=200)]]


class WebhookSubscriptionIn(Strict):
    url: str = Field(min_length=8, max_length=2048, description="https://... (http only on the local stack)")
    event_types: EventTypes | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description='Detail types from docs/events.md, or ["*"] for all. Not sent for a connector.',
    )
    description: str = Field(default="", max_length=500)
    connector: str | None = Field(
        default=None,
        max_length=40,
        description="accounting, erp, marketing or support (GET /admin/connectors): the URL then receives "
        "that connector's documents instead of raw events.",
    )
    settings: Settings | None = Field(default=None, max_length=20, description="The connector's settings.")

    @model_validator(mode="after")
    def events_or_connector(self) -> WebhookSubscriptionIn:
        if (self.event_types is None) == (self.connector is None):
            raise ValueError("send event_types for a webhook, or connector for a connector, not both")
        return self


class WebhookSubscriptionPatchIn(Strict):
    """Only the fields sent change."""

    url: str | None = Field(default=None, min_length=8, max_length=2048)
    event_types: EventTypes | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    settings: Settings | None = Field(default=None, max_length=20, description="A connector's settings.")


class WebhookSubscriptionOut(Mirror):
    id: str
    url: str
    event_types: list[str]
    description: str
    status: str = Field(description="active or paused")
    paused_reason: str | None = Field(default=None, description="by_staff, or failing (paused automatically)")
    flagged: bool = Field(description="A delivery used every attempt and went to the dead-letter queue.")
    failing_since: datetime | None = None
    created_at: datetime
    connector: str | None = Field(default=None, description="Set when it receives a connector's documents.")
    settings: dict[str, str] = Field(default_factory=dict, description="The connector's settings.")

    @classmethod
    def of(cls, s: Subscription) -> WebhookSubscriptionOut:
        return cls.copying(
            s,
            settings=dict(s.settings),
            event_types=list(s.event_types),
            status=s.status.value,
        )


class WebhookSubscriptionCreatedOut(WebhookSubscriptionOut):
    secret: str = Field(description="The signing secret. Shown this once: keep it now.")


class WebhookSubscriptionListOut(BaseModel):
    items: list[WebhookSubscriptionOut]


class WebhookAttemptOut(Mirror):
    number: int
    at: datetime
    status_code: int | None = Field(description="None: no answer (refused target, timeout, connection error)")
    latency_ms: int
    response_excerpt: str

    @classmethod
    def of(cls, a: Attempt) -> WebhookAttemptOut:
        return cls.copying(
            a,
            response_excerpt=a.excerpt,
        )


class WebhookDeliveryOut(Mirror):
    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or failed")
    created_at: datetime
    attempts: list[WebhookAttemptOut]

    @classmethod
    def of(cls, d: Delivery) -> WebhookDeliveryOut:
        return cls.copying(
            d,
            status=d.status.value,
            attempts=[WebhookAttemptOut.of(a) for a in d.attempts],
        )


class WebhookDeliveryListOut(BaseModel):
    items: list[WebhookDeliveryOut]


class ConnectorOut(BaseModel):
    name: str
    description: str
    consumes: list[str] = Field(description="The domain event types it turns into documents.")
    settings: dict[str, str] = Field(description="Each setting it reads, with what it means.")


class ConnectorListOut(BaseModel):
    items: list[ConnectorOut]
