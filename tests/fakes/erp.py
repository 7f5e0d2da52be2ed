"""The in-memory DroppedFiles, for unit tests of the ERP stock import."""

from __future__ import annotations

from commerce.domain.errors import NotFound


class InMemoryDroppedFiles:
    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], str] = {}
        self.content_types: dict[tuple[str, str], str] = {}

    def read(self, bucket: str, key: str, version: str | None) -> str:
        try:
            return self.objects[(bucket, key)]
        except KeyError as error:
            raise NotFound(f"no object {key}") from error

    def write(self, bucket: str, key: str, body: str, content_type: str) -> None:
        self.objects[(bucket, key)] = body
        self.content_types[(bucket, key)] = content_type
