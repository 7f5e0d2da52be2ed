"""The connectors a webhook subscription can target."""

from __future__ import annotations

from commerce.api.access import staff
from commerce.api.routing import CommerceRouter
from commerce.api.webhook_models import (
    ConnectorListOut,
    ConnectorOut,
)
from commerce.domain.connectors import CONNECTORS
from commerce.domain.permissions import Permission

router = CommerceRouter()


@router.get(
    "/admin/connectors",
    access=staff(Permission.INTEGRATIONS),
    summary="The connectors a subscription may name, with what they consume",
)
def list_connectors() -> ConnectorListOut:
    return ConnectorListOut(
        items=[
            ConnectorOut(
                name=c.name, description=c.description, consumes=sorted(c.consumes), settings=dict(c.settings)
            )
            for c in CONNECTORS.values()
        ]
    )
