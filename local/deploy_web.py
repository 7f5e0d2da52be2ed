"""python -m local.deploy_web: what `make deploy` does after `make build` and the web apps' builds.

1. `sam deploy` with samconfig.toml's parameters plus StorefrontOrigin and CorsAllowedOrigins set to the
   storefront's origin (--origin for a custom domain, else the stack's StorefrontUrl). The distribution's
   name exists only once the stack does, so a first deploy runs `sam deploy` a second time with it.
2. Each web app's config.json from the stack's outputs and parameters: the storefront's and the back-office
   console's. Each app reads its own at start, never a build.
3. Both builds and their config.json uploaded to StorefrontBucket, the storefront at the root and the console
   under console/ (the distribution serves it at /console/), every index.html last: index.html and
   config.json `no-cache`, hashed assets `immutable`. Files of earlier deploys stay (a page loaded before
   still finds its assets); the bucket's lifecycle forgets replaced versions.
4. One invalidation of the distribution, covering both apps, so the next visitor gets the new index.html
   and config.json.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("en", "fr")  # the languages of the storefront and of the catalog's translations
CONSOLE_PREFIX = "console/"  # the console's keys in the bucket, and its path on the distribution
STRIPE_JS = "https://js.stripe.com/v3/"
SCOPES = "openid email profile"
NO_CACHE = "no-cache"  # cached, but revalidated on every request
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"  # a file whose name does not change with its content (favicon.ico, robots.txt)
# The build's content-hashed files: under assets/ with the hash in the name (index-BxR3k2aQ.js).
_HASHED = re.compile(r"assets/(?:.+/)?[^/]+[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+")
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".webmanifest": "application/manifest+json"}


@dataclass(frozen=True)
class SamConfig:
    """What `sam deploy` reads from samconfig.toml, which this tool reads too."""

    stack_name: str
    region: str
    parameter_overrides: str

    @classmethod
    def read(cls, path: Path) -> SamConfig:
        config = tomllib.loads(path.read_text(encoding="utf-8"))["default"]
        stack = config.get("global", {}).get("parameters", {})
        deploy = config.get("deploy", {}).get("parameters", {})
        return cls(
            stack_name=str(deploy.get("stack_name") or stack["stack_name"]),
            region=str(deploy.get("region") or stack.get("region") or "us-east-1"),
            parameter_overrides=str(deploy.get("parameter_overrides", "")),
        )

    def overrides_with(self, origin: str | None, other_origins: tuple[str, ...] = ()) -> str:
        """samconfig.toml's overrides (which a command-line value replaces) plus the storefront's origin,
        which CORS admits with any other browser origin given (a back office's)."""
        if origin is None:
            return self.parameter_overrides
        cors = ",".join((origin, *other_origins))
        extra = f'StorefrontOrigin="{origin}" CorsAllowedOrigins="{cors}"'
        return f"{self.parameter_overrides} {extra}".strip()


@dataclass(frozen=True)
class Stack:
    outputs: dict[str, str]
    parameters: dict[str, str]


def describe(cloudformation: Any, stack_name: str) -> Stack | None:
    """The stack's outputs and parameters, or None before its first deploy."""
    try:
        (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    return Stack(
        outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        parameters={p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])},
    )


def _hosted_ui(outputs: dict[str, str], client_id: str) -> dict[str, str]:
    hosted_ui = "https://" + outputs["CognitoDomain"]
    return {
        "authorizeUrl": hosted_ui + "/oauth2/authorize",
        "tokenUrl": hosted_ui + "/oauth2/token",
        "logoutUrl": hosted_ui + "/logout",
        "clientId": client_id,
        "scopes": SCOPES,
    }


def _currencies(parameters: dict[str, str]) -> list[str]:
    return [c.strip() for c in parameters.get("SupportedCurrencies", "EUR").split(",") if c.strip()]


def storefront_config(stack: Stack) -> dict[str, Any]:
    """The storefront's config.json (docs/storefront.md, Deploying)."""
    outputs, parameters = stack.outputs, stack.parameters
    currencies = _currencies(parameters)
    return {
        "apiUrl": outputs["ApiUrl"].rstrip("/"),
        "auth": _hosted_ui(outputs, outputs["StorefrontClientId"]),
        "stripe": {"publishableKey": parameters.get("StripePublishableKey", ""), "jsUrl": STRIPE_JS},
        "defaultLocale": parameters.get("DefaultLocale", "en"),
        "defaultCurrency": currencies[0],
        "defaultCountry": parameters.get("DefaultCountry", "FR"),
        "locales": list(LOCALES),
        "currencies": currencies,
    }


def console_config(stack: Stack) -> dict[str, Any]:
    """The back-office console's config.json (docs/console.md, Deploying). Its redirect URI is its own index
    URL on the origin the stack's ConsoleClient was given: the hosted UI accepts only that one."""
    outputs, parameters = stack.outputs, stack.parameters
    origin = parameters.get("StorefrontOrigin") or outputs["StorefrontUrl"]
    return {
        "apiUrl": outputs["ApiUrl"].rstrip("/"),
        "auth": _hosted_ui(outputs, outputs["ConsoleClientId"])
        | {"redirectUri": f"{origin}/{CONSOLE_PREFIX}"},
        "currencies": _currencies(parameters),
        "locales": list(LOCALES),
    }


@dataclass(frozen=True)
class WebApp:
    """A built single-page app, where it lives in the bucket, and its config.json."""

    name: str
    dist: Path
    prefix: str
    config: Callable[[Stack], dict[str, Any]]

    def files(self, config: dict[str, Any]) -> dict[str, bytes]:
        """The build and config.json, by key within the app."""
        root = self.dist
        files = {
            path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
        }
        if "index.html" not in files:
            raise FileNotFoundError(f"{root}/index.html: build the {self.name} first")
        files["config.json"] = json.dumps(config, indent=2).encode()
        return files


def web_apps(storefront_dist: Path, console_dist: Path) -> tuple[WebApp, ...]:
    return (
        WebApp("storefront", storefront_dist, "", storefront_config),
        WebApp("console", console_dist, CONSOLE_PREFIX, console_config),
    )


def cache_control(key: str) -> str:
    if key.endswith((".html", "config.json")):
        return NO_CACHE
    return IMMUTABLE if _HASHED.fullmatch(key) else SHORT


def content_type(key: str) -> str:
    suffix = Path(key).suffix
    return _TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


def upload(s3: Any, bucket: str, files_by_prefix: dict[str, dict[str, bytes]]) -> list[str]:
    """Upload each app's files under its prefix; the keys in upload order, every index.html last."""
    entries = [(prefix, key) for prefix, files in files_by_prefix.items() for key in files]
    # A new index.html names assets and config that must already be there when a visitor gets it.
    entries.sort(key=lambda entry: (entry[1] == "index.html", entry[1] == "config.json", entry[0] + entry[1]))
    for prefix, key in entries:
        s3.put_object(
            Bucket=bucket,
            Key=prefix + key,
            Body=files_by_prefix[prefix][key],
            ContentType=content_type(key),
            CacheControl=cache_control(key),
        )
    return [prefix + key for prefix, key in entries]


def invalidate(cloudfront: Any, distribution_id: str) -> str:
    """Invalidate every path (one path, whatever the number of files); the invalidation's id."""
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time_ns())},
    )
    return str(answer["Invalidation"]["Id"])


def publish(stack: Stack, apps: Sequence[WebApp], *, s3: Any, cloudfront: Any) -> dict[str, dict[str, Any]]:
    """Steps 2 to 4: each app's config.json, the upload, one invalidation; the configs written, by app."""
    configs = {app.name: app.config(stack) for app in apps}
    # Every build is read before anything is uploaded: a missing one stops the deploy, the bucket untouched.
    files = {app.prefix: app.files(configs[app.name]) for app in apps}
    upload(s3, stack.outputs["StorefrontBucket"], files)
    invalidate(cloudfront, stack.outputs["DistributionId"])
    return configs


def _sam_deploy(sam: str, config: SamConfig, origin: str | None, other_origins: tuple[str, ...]) -> None:
    command = [
        sam,
        "deploy",
        "--no-fail-on-empty-changeset",
        "--parameter-overrides",
        config.overrides_with(origin, other_origins),
    ]
    subprocess.run(command, check=True, cwd=REPO_ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.deploy_web", description=__doc__.splitlines()[0])
    parser.add_argument("--sam", default="sam", help="the sam command")
    parser.add_argument("--storefront-dist", type=Path, default=REPO_ROOT / "web" / "storefront" / "dist")
    parser.add_argument("--console-dist", type=Path, default=REPO_ROOT / "web" / "console" / "dist")
    parser.add_argument("--samconfig", type=Path, default=REPO_ROOT / "samconfig.toml")
    parser.add_argument(
        "--origin", help="the storefront's origin on a custom domain (https://shop.example.com)"
    )
    parser.add_argument(
        "--cors-origin", action="append", default=[], help="another origin the API admits (a back office's)"
    )
    parser.add_argument("--skip-sam", action="store_true", help="upload and invalidate only")
    args = parser.parse_args(argv)
    others = tuple(args.cors_origin)
    config = SamConfig.read(args.samconfig)
    cloudformation = boto3.client("cloudformation", region_name=config.region)
    if not args.skip_sam:
        before = describe(cloudformation, config.stack_name)
        origin = args.origin or (before.outputs.get("StorefrontUrl") if before else None)
        _sam_deploy(args.sam, config, origin, others)
        if origin is None:  # the first deploy: now the distribution has a name
            _sam_deploy(args.sam, config, _deployed(cloudformation, config).outputs["StorefrontUrl"], others)
    stack = _deployed(cloudformation, config)
    if not stack.parameters.get("StripePublishableKey"):
        print(
            "No StripePublishableKey: the storefront cannot take payments (docs/storefront.md).",
            file=sys.stderr,
        )
    written = publish(
        stack,
        web_apps(args.storefront_dist, args.console_dist),
        s3=boto3.client("s3", region_name=config.region),
        cloudfront=boto3.client("cloudfront", region_name=config.region),
    )
    print(f"Storefront: {stack.outputs['StorefrontUrl']} (API {written['storefront']['apiUrl']})")
    print(f"Console: {written['console']['auth']['redirectUri']}")
    return 0


def _deployed(cloudformation: Any, config: SamConfig) -> Stack:
    stack = describe(cloudformation, config.stack_name)
    if stack is None:
        raise SystemExit(f"No stack {config.stack_name} in {config.region}: did sam deploy fail?")
    return stack


if __name__ == "__main__":
    raise SystemExit(main())
