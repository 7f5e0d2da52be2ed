"""Stock counts from an ERP: a batch of counted on-hand figures per SKU and location, each line either
applied (on hand set to the count, through an adjustment of the difference) or rejected with a reason.

Pure: parsing a CSV file or a request's lines, deciding each line's outcome, and the movements that set
a location's on hand (a hot SKU's shards included) to a counted figure. docs/erp-stock.md."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from commerce.domain.errors import ValidationFailed
from commerce.domain.hot_sku import base_location
from commerce.domain.inventory import Movement, Reason, StockLevel

CSV_COLUMNS = ("sku", "location_id", "on_hand")
MAX_ON_HAND = 1_000_000_000  # a count above this is a typo, not a warehouse
MAX_HTTP_LINES = 200  # one request stays well inside API Gateway's 30 s
MAX_CSV_ROWS = 2000  # one file stays well inside the function's timeout
BATCH_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,100}$"
INTEGRATION_ID_PATTERN = r"^[a-z0-9]{8,32}$"
S3_INTEGRATION = "s3-drop"  # the integration a file dropped in the bucket is booked under
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")
_LOCATION = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class Rejection(StrEnum):
    """Why a line was not applied: a slug a program can act on (the report and the answer add a text)."""

    MISSING_FIELD = "missing-field"
    BAD_SKU = "bad-sku"
    BAD_LOCATION = "bad-location"
    BAD_FIGURE = "bad-figure"
    DUPLICATE = "duplicate-line"
    UNKNOWN_SKU = "unknown-sku"
    UNKNOWN_LOCATION = "unknown-location"
    BELOW_RESERVED = "below-reserved"
    STOCK_MOVING = "stock-moving"


def _line_dict(line: int, sku: str, location: str, on_hand: int | str) -> dict[str, Any]:
    """The fields every line of an import's report starts with, in the order the report shows them."""
    return {"line": line, "sku": sku, "location_id": location, "on_hand": on_hand}


@dataclass(frozen=True, slots=True)
class StockCount:
    """One valid line: on hand of `sku` at `location` was counted as `on_hand`. `line` numbers it in its
    batch (1-based) or file (the header is line 1)."""

    line: int
    sku: str
    location: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class LineApplied:
    line: int
    sku: str
    location: str
    on_hand: int
    previous_on_hand: int
    adjustment: int  # the movement's quantity: on_hand - previous_on_hand (0: nothing moved)

    def as_dict(self) -> dict[str, Any]:
        return _line_dict(self.line, self.sku, self.location, self.on_hand) | {
            "previous_on_hand": self.previous_on_hand,
            "adjustment": self.adjustment,
        }


@dataclass(frozen=True, slots=True)
class LineRejected:
    line: int
    reason: Rejection
    detail: str
    sku: str = ""
    location: str = ""
    on_hand: str = ""  # as received, since it may not be a number

    def as_dict(self) -> dict[str, Any]:
        return _line_dict(self.line, self.sku, self.location, self.on_hand) | {
            "reason": self.reason.value,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """A batch as received: its valid counts, the lines refused before looking at any stock, and a
    fingerprint of the whole content (the same batch id with another content is refused)."""

    counts: tuple[StockCount, ...]
    rejected: tuple[LineRejected, ...]
    fingerprint: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    integration: str
    batch_id: str
    applied: tuple[LineApplied, ...] = ()
    rejected: tuple[LineRejected, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # where it came from (an S3 object)

    def as_dict(self) -> dict[str, Any]:
        return {
            "integration_id": self.integration,
            "batch_id": self.batch_id,
            "applied": [a.as_dict() for a in sorted(self.applied, key=lambda a: a.line)],
            "rejected": [r.as_dict() for r in sorted(self.rejected, key=lambda r: r.line)],
            **dict(self.extra),
        }


def applied_from(data: Mapping[str, Any]) -> LineApplied:
    return LineApplied(
        line=int(data["line"]),
        sku=data["sku"],
        location=data["location_id"],
        on_hand=int(data["on_hand"]),
        previous_on_hand=int(data["previous_on_hand"]),
        adjustment=int(data["adjustment"]),
    )


def rejected_from(data: Mapping[str, Any]) -> LineRejected:
    return LineRejected(
        line=int(data["line"]),
        reason=Rejection(data["reason"]),
        detail=data["detail"],
        sku=data.get("sku", ""),
        location=data.get("location_id", ""),
        on_hand=str(data.get("on_hand", "")),
    )


def result_from(data: Mapping[str, Any]) -> ImportResult:
    known = {"integration_id", "batch_id", "applied", "rejected"}
    return ImportResult(
        integration=data["integration_id"],
        batch_id=data["batch_id"],
        applied=tuple(applied_from(a) for a in data.get("applied", [])),
        rejected=tuple(rejected_from(r) for r in data.get("rejected", [])),
        extra={k: v for k, v in data.items() if k not in known},
    )


# reading a batch
def _figure(raw: object) -> int | None:
    """A count: a whole number 0..MAX_ON_HAND, given as a JSON integer or its decimal digits."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*\d{1,10}\s*", raw):
        value = int(raw)
    else:
        return None
    return value if 0 <= value <= MAX_ON_HAND else None


def read_line(line: int, sku: object, location: object, on_hand: object) -> StockCount | LineRejected:
    """One line as received, checked on its own (no stock or catalog looked at)."""
    sku_text = str(sku).strip() if sku is not None else ""
    location_text = str(location).strip() if location is not None else ""
    figure_text = "" if on_hand is None else str(on_hand).strip()

    def refuse(reason: Rejection, detail: str) -> LineRejected:
        return LineRejected(line, reason, detail, sku_text, location_text, figure_text)

    if not sku_text or not location_text or not figure_text:
        return refuse(Rejection.MISSING_FIELD, "sku, location_id and on_hand are all needed")
    if not _SKU.fullmatch(sku_text):
        return refuse(Rejection.BAD_SKU, "a SKU is 2-64 capital letters, digits and dashes")
    if not _LOCATION.fullmatch(location_text):
        return refuse(Rejection.BAD_LOCATION, "a location id is 1-64 lower-case letters, digits and dashes")
    figure = _figure(on_hand)
    if figure is None:
        return refuse(Rejection.BAD_FIGURE, f"on_hand is a whole number from 0 to {MAX_ON_HAND}")
    return StockCount(line, sku_text, location_text, figure)


def _batch(entries: Iterable[StockCount | LineRejected], fingerprint: str) -> ParsedBatch:
    counts: list[StockCount] = []
    rejected: list[LineRejected] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in entries:
        if isinstance(entry, LineRejected):
            rejected.append(entry)
            continue
        first = seen.setdefault((entry.sku, entry.location), entry.line)
        if first != entry.line:
            rejected.append(
                LineRejected(
                    entry.line,
                    Rejection.DUPLICATE,
                    f"{entry.sku} at {entry.location} was counted on line {first} already",
                    entry.sku,
                    entry.location,
                    str(entry.on_hand),
                )
            )
            continue
        counts.append(entry)
    return ParsedBatch(tuple(counts), tuple(rejected), fingerprint)


def parse_lines(lines: Sequence[Mapping[str, object]]) -> ParsedBatch:
    """A request's lines (dicts with sku, location_id, on_hand), numbered from 1."""
    if not lines:
        raise ValidationFailed("a batch has at least one line")
    if len(lines) > MAX_HTTP_LINES:
        raise ValidationFailed(f"at most {MAX_HTTP_LINES} lines per request; send a file for more")
    canonical = json.dumps(
        [[str(x.get("sku")), str(x.get("location_id")), str(x.get("on_hand"))] for x in lines],
        separators=(",", ":"),
    )
    entries = (
        read_line(n, x.get("sku"), x.get("location_id"), x.get("on_hand")) for n, x in enumerate(lines, 1)
    )
    return _batch(entries, hashlib.sha256(canonical.encode()).hexdigest())


def parse_csv(text: str) -> ParsedBatch:
    """A CSV file with a header row naming `sku,location_id,on_hand` (in any order, other columns
    ignored); its rows are numbered as lines of the file, the header being line 1."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    columns = [c.strip().lower() for c in header or []]
    missing = [c for c in CSV_COLUMNS if c not in columns]
    if missing:
        raise ValidationFailed(
            f"the header row must name {', '.join(CSV_COLUMNS)}; missing {', '.join(missing)}"
        )
    where = {c: columns.index(c) for c in CSV_COLUMNS}
    entries: list[StockCount | LineRejected] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, often the last one
        if len(entries) >= MAX_CSV_ROWS:
            raise ValidationFailed(f"at most {MAX_CSV_ROWS} rows per file; split it")
        cells = [row[where[c]] if where[c] < len(row) else None for c in CSV_COLUMNS]
        entries.append(read_line(reader.line_num, *cells))
    if not entries:
        raise ValidationFailed("the file has no rows under its header")
    return _batch(entries, hashlib.sha256(text.encode()).hexdigest())


# deciding a line against the catalog and the stock
def check_known(
    count: StockCount, known_skus: Collection[str], known_locations: Collection[str]
) -> LineRejected | None:
    if count.sku not in known_skus:
        return _refused(count, Rejection.UNKNOWN_SKU, f"no SKU {count.sku} in the catalog")
    if count.location not in known_locations:
        return _refused(count, Rejection.UNKNOWN_LOCATION, f"no location {count.location}")
    return None


def at_location(levels: Iterable[StockLevel], location: str) -> list[StockLevel]:
    """The levels making up a location's stock: its own and, for a hot SKU, its shards'."""
    return [level for level in levels if base_location(level.location) == location]


def decide(count: StockCount, levels: Sequence[StockLevel]) -> LineApplied | LineRejected:
    """Sets on hand at the location to the count, unless fewer units were counted than are reserved
    there: those belong to paid or pending orders, so the count is more likely wrong or early than the
    reservations, and applying it would leave orders promised units that are not there."""
    mine = at_location(levels, count.location)
    on_hand = sum(level.on_hand for level in mine)
    reserved = sum(level.reserved for level in mine)
    if count.on_hand < reserved:
        return _refused(
            count,
            Rejection.BELOW_RESERVED,
            f"{reserved} units are reserved for orders at {count.location}; a count below that is refused",
        )
    return LineApplied(count.line, count.sku, count.location, count.on_hand, on_hand, count.on_hand - on_hand)


def count_movements(
    applied: LineApplied, levels: Sequence[StockLevel], at: datetime, reference: str, note: str
) -> list[Movement]:
    """The adjustments that bring on hand at the location to the count. Units added go to the location
    itself; units taken come from the shards with the most available first (a hot SKU), so no shard's
    available goes below zero. Empty when the count matches."""
    if applied.adjustment == 0:
        return []
    if applied.adjustment > 0:
        return [
            Movement(
                applied.sku, applied.location, Reason.ADJUSTMENT, applied.adjustment, at, reference, note
            )
        ]
    movements: list[Movement] = []
    remaining = -applied.adjustment
    shards = sorted(at_location(levels, applied.location), key=lambda lv: (-lv.available, lv.location))
    for level in shards:
        take = min(level.available, remaining)
        if take > 0:
            movements.append(
                Movement(applied.sku, level.location, Reason.ADJUSTMENT, -take, at, reference, note)
            )
            remaining -= take
    if remaining:  # decide() refused counts below reserved, so only a race gets here
        raise ValidationFailed("the count is below what is reserved")
    return movements


def _refused(count: StockCount, reason: Rejection, detail: str) -> LineRejected:
    return LineRejected(count.line, reason, detail, count.sku, count.location, str(count.on_hand))


# the S3 drop
def report_keys(object_key: str, prefix: str = "erp/stock/") -> tuple[str, str]:
    """The JSON report's key and the rejected rows' CSV key for a dropped file, under erp/reports/."""
    name = object_key[len(prefix) :] if object_key.startswith(prefix) else object_key.rsplit("/", 1)[-1]
    stem = name[: -len(".csv")] if name.lower().endswith(".csv") else name
    return f"erp/reports/{stem}.json", f"erp/reports/{stem}.rejected.csv"


def object_batch_id(key: str, version: str | None, etag: str | None) -> str:
    """One import per object version: the key with its version id (a versioned bucket), else its ETag."""
    tag = version or etag or ""
    return hashlib.sha256(f"{key}\n{tag}".encode()).hexdigest()[:40]


def rejected_csv(rejected: Iterable[LineRejected]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line", *CSV_COLUMNS, "reason", "detail"])
    for r in sorted(rejected, key=lambda r: r.line):
        writer.writerow([r.line, r.sku, r.location, r.on_hand, r.reason.value, r.detail])
    return out.getvalue()


# integration credentials
@dataclass(frozen=True, slots=True)
class ErpCredential:
    """A key an ERP integration sends (X-Api-Key). The key is `<id>.<secret>`: the id finds the
    credential without a scan; only the hash of the whole key is stored."""

    id: str
    name: str
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def split_key(presented: str | None) -> tuple[str, str] | None:
    """(credential id, the whole key) of a presented key, or None when it is not shaped like one."""
    if not presented or "." not in presented or len(presented) > 200:
        return None
    credential_id = presented.split(".", 1)[0]
    if not re.fullmatch(INTEGRATION_ID_PATTERN, credential_id):
        return None
    return credential_id, presented


@dataclass(frozen=True, slots=True)
class DroppedObject:
    bucket: str
    key: str  # as S3 sends it: URL-encoded
    version: str | None
    etag: str | None


def dropped_objects(message_body: str) -> list[DroppedObject]:
    """The objects an S3 event notification (the body of its SQS message) announces; S3's test event,
    sent when the notification is configured, announces none."""
    try:
        event = json.loads(message_body)
    except ValueError as error:
        raise ValidationFailed("the message is not an S3 event") from error
    if not isinstance(event, dict):
        raise ValidationFailed("the message is not an S3 event")
    if event.get("Event") == "s3:TestEvent":
        return []
    found = []
    for record in event.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        s3 = record.get("s3") or {}
        obj = s3.get("object") or {}
        found.append(
            DroppedObject(
                bucket=str((s3.get("bucket") or {}).get("name", "")),
                key=str(obj.get("key", "")),
                version=obj.get("versionId") or None,
                etag=obj.get("eTag") or None,
            )
        )
    return found
