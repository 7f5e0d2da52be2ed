"""Create the template's secrets directly: moto's CloudFormation skips AWS::SecretsManager::Secret."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from local.refs import prune_depends_on, replace_references

logger = logging.getLogger(__name__)

SECRET_TYPE = "AWS::SecretsManager::Secret"  # noqa: S105 - a resource type, not a secret
_PASSWORD_OPTIONS = (
    "PasswordLength",
    "ExcludeCharacters",
    "ExcludeNumbers",
    "ExcludePunctuation",
    "ExcludeUppercase",
    "ExcludeLowercase",
    "IncludeSpace",
    "RequireEachIncludedType",
)


def _secret_string(client: Any, properties: dict[str, Any]) -> str:
    if isinstance(properties.get("SecretString"), str):
        return str(properties["SecretString"])
    generate: dict[str, Any] = properties.get("GenerateSecretString") or {}
    options = {key: generate[key] for key in _PASSWORD_OPTIONS if key in generate}
    if "PasswordLength" in options:
        options["PasswordLength"] = int(options["PasswordLength"])
    password: str = client.get_random_password(**options)["RandomPassword"]
    template, key = generate.get("SecretStringTemplate"), generate.get("GenerateStringKey")
    if template and key:
        return json.dumps({**json.loads(template), key: password})
    return password


def provision_secrets(template: dict[str, Any], client: Any, stack_name: str) -> dict[str, str]:
    """Create each secret with a generated value, point references at its ARN; return {logical_id: arn}."""
    resources: dict[str, Any] = template["Resources"]
    arns: dict[str, str] = {}
    for logical_id in [lid for lid, res in resources.items() if res["Type"] == SECRET_TYPE]:
        properties = resources.pop(logical_id).get("Properties", {})
        name = properties.get("Name")
        if not isinstance(name, str):
            name = f"{stack_name}-{logical_id}-{uuid.uuid4().hex[:12]}"
        # KmsKeyId is left out: it refers to a key the stack has not created yet, and moto does not encrypt.
        created = client.create_secret(
            Name=name,
            Description=str(properties.get("Description", "")),
            SecretString=_secret_string(client, properties),
        )
        arns[logical_id] = created["ARN"]
        logger.info("secret created outside the stack", extra={"logical_id": logical_id, "secret_name": name})

    def resolve(logical_id: str, attribute: str | None) -> str | None:
        return arns.get(logical_id) if attribute in (None, "Id") else None

    template["Resources"] = replace_references(resources, resolve)
    template["Outputs"] = replace_references(template.get("Outputs", {}), resolve)
    prune_depends_on(template["Resources"], set(arns))
    return arns
