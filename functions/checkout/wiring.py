"""What the checkout routes use, built once at cold start by the composition root."""

from __future__ import annotations

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

from commerce.composition import analytics
from commerce.composition import checkout as composition
from commerce.config import Settings

settings = Settings.from_env()
checkout = composition.checkout(settings)
activity = analytics.activity_tracker(settings)

idempotency = IdempotencyConfig(
    event_key_jmespath="[route, idempotency_key, cart, token]",
    # the same key with another body (or channel) is refused, not replayed
    payload_validation_jmespath="[body, channel]",
    raise_on_no_idempotency_key=True,
    expires_after_seconds=24 * 3600,
)
persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table_name)
