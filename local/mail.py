"""SES locally: moto's CloudFormation does not build AWS::SES::* (strip.py removes them), so the template's
email identities are verified in moto directly, and SendEmail from them succeeds."""

from __future__ import annotations

from typing import Any

from local import aws

IDENTITY_TYPE = "AWS::SES::EmailIdentity"


def _resolve(value: Any, parameters: dict[str, Any]) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Ref"}:
        found = parameters.get(value["Ref"])
        return str(found) if found is not None else None
    return None


def provision_identities(template: dict[str, Any], parameters: dict[str, Any]) -> list[str]:
    """Verifies each AWS::SES::EmailIdentity of the (translated) template in moto; the identities."""
    declared = {
        name: decl.get("Default")
        for name, decl in template.get("Parameters", {}).items()
        if isinstance(decl, dict)
    }
    values = {**declared, **parameters}
    ses = aws.client("ses")
    made = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") != IDENTITY_TYPE:
            continue
        identity = _resolve(resource.get("Properties", {}).get("EmailIdentity"), values)
        if identity:
            if "@" in identity:
                ses.verify_email_identity(EmailAddress=identity)
            else:
                ses.verify_domain_identity(Domain=identity)
            made.append(identity)
    return made
