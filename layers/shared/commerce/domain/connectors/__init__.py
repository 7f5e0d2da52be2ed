"""Connectors to the merchant's other systems (docs/integrations.md): each turns the events it consumes into
documents for one kind of system. The shipping connector is the fulfillment's carrier port; ERP stock comes
in through `erp_import`."""

from __future__ import annotations

from collections.abc import Mapping

from commerce.domain.connectors.accounting import Accounting
from commerce.domain.connectors.base import Connector, Document, Facts
from commerce.domain.connectors.erp import Erp
from commerce.domain.connectors.marketing import Marketing
from commerce.domain.connectors.support import Support
from commerce.domain.errors import ValidationFailed

CONNECTORS: Mapping[str, Connector] = {c.name: c for c in (Accounting(), Erp(), Marketing(), Support())}


def connector(name: str) -> Connector:
    found = CONNECTORS.get(name)
    if found is None:
        raise ValidationFailed(f"no connector {name!r}: one of {', '.join(sorted(CONNECTORS))}")
    return found


__all__ = ["CONNECTORS", "Connector", "Document", "Facts", "connector"]
