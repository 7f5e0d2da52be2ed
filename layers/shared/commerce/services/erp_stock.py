"""ERP stock levels in: integration credentials, and one use case applying a batch of counts (from
`POST /integrations/erp/stock` or a CSV dropped in the bucket), each batch once. docs/erp-stock.md.

Idempotency: the batch is claimed first (a record keyed by integration and batch id, holding the content's
fingerprint), each applied line writes a marker in the same transaction as its adjustment, and the
outcome is stored on the claim at the end. A retry after a crash skips the lines already marked; the same
batch again answers the stored outcome; the same id with another content is a Conflict."""

from __future__ import annotations

import base64
import json
import logging
import uuid
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

from commerce.domain.api_keys import key_hash, key_matches, new_secret
from commerce.domain.erp_ports import DroppedFiles
from commerce.domain.erp_stock import (
    S3_INTEGRATION,
    ErpCredential,
    ImportResult,
    LineApplied,
    LineRejected,
    ParsedBatch,
    Rejection,
    StockCount,
    applied_from,
    check_known,
    count_movements,
    decide,
    object_batch_id,
    parse_csv,
    rejected_csv,
    report_keys,
    result_from,
    split_key,
)
from commerce.domain.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from commerce.domain.inventory_ports import Change, InventoryStore, Record, Write
from commerce.services.inventory import Inventory

logger = logging.getLogger(__name__)

CREDENTIALS_INDEX = "ERP#KEYS"  # every ERP credential, in the sparse index (a handful of items)
BATCH_KIND, LINE_KIND, KEY_KIND = "erp_batch", "erp_line", "erp_key"
KEEP_BATCHES = timedelta(days=90)  # how long a batch id is remembered (DynamoDB TTL)
LINE_ATTEMPTS = 3
DROP_PREFIX = "erp/stock/"


def packed(result: ImportResult) -> str:
    """The outcome as stored on the batch's item: compressed JSON, so that a 2,000-row file's outcome
    (each rejected row with its reason) stays far inside DynamoDB's 400 KB item limit."""
    return base64.b64encode(zlib.compress(json.dumps(result.as_dict()).encode())).decode()


def unpacked(stored: str) -> ImportResult:
    return result_from(json.loads(zlib.decompress(base64.b64decode(stored))))


def credential_record(credential: ErpCredential, version: int) -> Record:
    return Record(
        kind=KEY_KIND,
        id=credential.id,
        data={
            "id": credential.id,
            "name": credential.name,
            "key_hash": credential.key_hash,
            "created_at": credential.created_at.isoformat(),
            "revoked_at": credential.revoked_at.isoformat() if credential.revoked_at else None,
        },
        version=version,
        index=CREDENTIALS_INDEX,
        index_sort=credential.created_at.isoformat(),
    )


def credential_from(record: Record) -> ErpCredential:
    data = record.data
    return ErpCredential(
        id=data["id"],
        name=data["name"],
        key_hash=data["key_hash"],
        created_at=datetime.fromisoformat(data["created_at"]),
        revoked_at=datetime.fromisoformat(data["revoked_at"]) if data.get("revoked_at") else None,
    )


class ErpCredentials:
    """Staff create, list and revoke the keys ERP integrations send; the import checks them."""

    def __init__(
        self,
        store: InventoryStore,
        clock: Callable[[], datetime],
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex[:16],
        secret: Callable[[], str] = new_secret,
    ) -> None:
        self._store, self._clock, self._new_id, self._secret = store, clock, new_id, secret

    def create(self, name: str) -> tuple[ErpCredential, str]:
        """A new credential and its key, which is returned this once: only its hash is stored."""
        credential_id = self._new_id()
        key = f"{credential_id}.{self._secret()}"
        credential = ErpCredential(credential_id, name.strip(), key_hash(key), self._clock())
        self._store.apply(Change(writes=[Write(credential_record(credential, 1), None)]))
        return credential, key

    def all(self) -> list[ErpCredential]:
        return [credential_from(r) for r in self._store.indexed(CREDENTIALS_INDEX)]

    def revoke(self, credential_id: str) -> ErpCredential:
        """The key stops working at once; revoking twice changes nothing."""
        found = self._store.get(KEY_KIND, credential_id)
        if found is None:
            raise NotFound(f"no ERP credential {credential_id}")
        credential = credential_from(found)
        if not credential.active:
            return credential
        revoked = replace(credential, revoked_at=self._clock())
        self._store.apply(
            Change(writes=[Write(credential_record(revoked, found.version + 1), found.version)])
        )
        return revoked

    def authenticate(self, presented: str | None) -> ErpCredential:
        """The credential a key belongs to; Unauthorized for a missing, unknown, wrong or revoked key."""
        parts = split_key(presented)
        found = self._store.get(KEY_KIND, parts[0]) if parts else None
        credential = credential_from(found) if found else None
        stored = credential.key_hash if credential and credential.active else None
        if not key_matches(parts[1] if parts else "", stored) or credential is None:
            raise Unauthorized("a valid ERP integration key is needed in the X-Api-Key header")
        return credential


class ErpStockImport:
    """Applies counted stock levels: each line sets on hand at its location through an adjustment of the
    difference (the ledger explains it), in its own transaction with its marker."""

    def __init__(
        self,
        store: InventoryStore,
        inventory: Inventory,
        clock: Callable[[], datetime],
        known_skus: Callable[[Sequence[str]], Collection[str]],
        files: DroppedFiles | None = None,
    ) -> None:
        self._store, self._inventory, self._clock = store, inventory, clock
        self._known_skus, self._files = known_skus, files

    # one batch, from either door
    def apply(
        self, integration: str, batch_id: str, batch: ParsedBatch, extra: Mapping[str, Any] | None = None
    ) -> ImportResult:
        key = f"{integration}:{batch_id}"
        claim = self._claim(key, integration, batch_id, batch.fingerprint)
        if claim.data.get("result") is not None:
            return unpacked(claim.data["result"])
        skus = self._known_skus(sorted({c.sku for c in batch.counts}))
        locations = {loc.id for loc in self._store.list_locations()}
        applied: list[LineApplied] = []
        rejected: list[LineRejected] = list(batch.rejected)
        for count in batch.counts:
            outcome = check_known(count, skus, locations) or self._apply_line(key, batch_id, count)
            if isinstance(outcome, LineRejected):
                rejected.append(outcome)
            else:
                applied.append(outcome)
        result = ImportResult(integration, batch_id, tuple(applied), tuple(rejected), dict(extra or {}))
        done = replace(claim, data={**claim.data, "result": packed(result)}, version=claim.version + 1)
        try:
            self._store.apply(Change(writes=[Write(done, claim.version)]))
        except Conflict:
            stored = self._store.get(BATCH_KIND, key)  # a concurrent delivery of the same batch finished
            if stored is not None and stored.data.get("result") is not None:
                return unpacked(stored.data["result"])
            raise
        logger.info(
            "erp stock batch applied",
            extra={
                "integration": integration,
                "batch_id": batch_id,
                "applied": len(applied),
                "rejected": len(rejected),
            },
        )
        return result

    def _claim(self, key: str, integration: str, batch_id: str, fingerprint: str) -> Record:
        for _ in range(2):
            found = self._store.get(BATCH_KIND, key)
            if found is not None:
                if found.data.get("fingerprint") != fingerprint:
                    raise Conflict(f"batch {batch_id} was sent before with other lines; use a new batch id")
                return found  # applied already, or a retry of a delivery that stopped half way
            claim = Record(
                kind=BATCH_KIND,
                id=key,
                data={
                    "integration": integration,
                    "batch_id": batch_id,
                    "fingerprint": fingerprint,
                    "received_at": self._clock().isoformat(),
                    "result": None,
                },
                version=1,
                expires_at=int((self._clock() + KEEP_BATCHES).timestamp()),
            )
            try:
                self._store.apply(Change(writes=[Write(claim, None)]))
                return claim
            except Conflict:
                continue  # claimed meanwhile: read it
        raise Conflict("the batch is being applied; send it again shortly")

    def _apply_line(self, key: str, batch_id: str, count: StockCount) -> LineApplied | LineRejected:
        parent = (BATCH_KIND, key)
        for _ in range(LINE_ATTEMPTS):
            marker = self._store.get(LINE_KIND, str(count.line), parent)
            if marker is not None:
                return applied_from(marker.data)  # applied by an earlier delivery of this batch
            levels = self._store.levels(count.sku)
            outcome = decide(count, levels)
            if isinstance(outcome, LineRejected):
                return outcome
            now = self._clock()
            record = Record(
                kind=LINE_KIND,
                id=str(count.line),
                parent=parent,
                data=outcome.as_dict(),
                expires_at=int((now + KEEP_BATCHES).timestamp()),
            )
            try:
                movements = count_movements(
                    outcome, levels, now, f"erp:{batch_id}", f"ERP count, batch {batch_id}, line {count.line}"
                )
                self._inventory.commit(Change(movements=movements, writes=[Write(record, None)]))
            except (Conflict, ValidationFailed):
                continue  # stock moved under us (or the marker appeared): read both again
            if movements and self._inventory.hot_shards(count.sku) > 1:
                self._inventory.rebalance(count.sku)
            return outcome
        return LineRejected(
            count.line,
            Rejection.STOCK_MOVING,
            "the stock kept changing while the count was applied; send the line again in a new batch",
            count.sku,
            count.location,
            str(count.on_hand),
        )

    # the S3 drop
    def import_object(self, bucket: str, raw_key: str, version: str | None, etag: str | None) -> ImportResult:
        """Imports a dropped CSV once per object version and writes its report beside it (again on a
        repeated delivery: the same content). A file that cannot be read at all gets a report too."""
        if self._files is None:
            raise ValidationFailed("no bucket is configured for ERP files")
        key = unquote_plus(raw_key)  # S3 event keys are URL-encoded
        if not key.startswith(DROP_PREFIX):
            raise ValidationFailed(f"ERP stock files go under {DROP_PREFIX}")
        batch_id = object_batch_id(key, version, etag)
        source = {"source": {"bucket": bucket, "key": key, "version_id": version, "etag": etag}}
        json_key, rejected_key = report_keys(key, DROP_PREFIX)
        try:
            batch = parse_csv(self._files.read(bucket, key, version))
        except ValidationFailed as error:  # not a stock file at all: say so in the report, once
            report = {**source, "batch_id": batch_id, "error": error.detail, "applied": [], "rejected": []}
            self._files.write(bucket, json_key, _json(report), "application/json")
            logger.warning("erp stock file refused", extra={"key": key, "error": error.detail})
            return ImportResult(S3_INTEGRATION, batch_id, extra={"error": error.detail, **source})
        result = self.apply(S3_INTEGRATION, batch_id, batch, source)
        if result.rejected:
            self._files.write(bucket, rejected_key, rejected_csv(result.rejected), "text/csv")
        # The JSON report last: once it is there, the import is over and the rejected rows' file is too.
        self._files.write(bucket, json_key, _json(result.as_dict()), "application/json")
        return result


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True)
