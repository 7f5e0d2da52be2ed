"""Do what `sam package` does to a template, offline: local paths become S3 URIs in one artifacts bucket."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

ARTIFACTS_BUCKET = "local-artifacts"

URI_PROPERTIES = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
    "AWS::Serverless::Api": "DefinitionUri",
    "AWS::Serverless::HttpApi": "DefinitionUri",
}


def _is_local(uri: Any) -> bool:
    return isinstance(uri, str) and not uri.startswith("s3://")


def package(sam: dict[str, Any], template_dir: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Return the packaged copy of a SAM template and {s3 key: local file or directory} to upload."""
    packaged = copy.deepcopy(sam)
    artifacts: dict[str, Path] = {}

    def rewrite(owner: dict[str, Any], prop: str, key_prefix: str) -> None:
        if not _is_local(owner.get(prop)):
            return
        source = (template_dir / owner[prop]).resolve()
        key = f"{key_prefix}/{prop}" + ("" if source.is_file() else ".zip")
        artifacts[key] = source
        owner[prop] = f"s3://{ARTIFACTS_BUCKET}/{key}"

    globals_function = packaged.get("Globals", {}).get("Function", {})
    rewrite(globals_function, "CodeUri", "Globals")
    for logical_id, resource in packaged["Resources"].items():
        prop = URI_PROPERTIES.get(resource.get("Type", ""))
        if prop and isinstance(resource.get("Properties"), dict):
            rewrite(resource["Properties"], prop, logical_id)
    return packaged, artifacts


def artifact_body(source: Path) -> bytes:
    """What to upload: a file as it is; for a code directory, a placeholder zip (the code runs in-process)."""
    if source.is_file():
        return source.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "README.txt", f"placeholder for {source}: the local stack runs this code in-process\n"
        )
    return buffer.getvalue()
