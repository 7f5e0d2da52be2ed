"""python -m local.tools.id_token: print an ID token for a demo user, minted by the stack's local issuer.

curl -H "Authorization: Bearer $(make -s token ROLE=admin)" http://127.0.0.1:3000/admin/products/prd-0001
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from local.auth import DEFAULT_EMAILS, DEFAULT_TTL_SECONDS, GROUPS
from local.tools import ENDPOINTS_FILE

DEFAULT_ENDPOINTS = ENDPOINTS_FILE
NOT_RUNNING = "The local stack is not running ({why}): start it with `make dev`, then try again."


class TokenError(RuntimeError):
    """Why no token could be had, in words for the person at the terminal."""


def issuer_url(endpoints_file: Path) -> str:
    try:
        endpoints = json.loads(endpoints_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TokenError(NOT_RUNNING.format(why=f"no {endpoints_file}")) from None
    except json.JSONDecodeError:
        raise TokenError(NOT_RUNNING.format(why=f"{endpoints_file} is not JSON")) from None
    url = endpoints.get("issuer") if isinstance(endpoints, dict) else None
    if not url:
        raise TokenError(NOT_RUNNING.format(why=f"no issuer in {endpoints_file}"))
    return str(url)


def request_token(issuer: str, role: str, email: str, ttl_seconds: int) -> str:
    """POST the issuer's /token; the ID token it mints."""
    body = json.dumps({"role": role, "email": email, "ttl_seconds": ttl_seconds}).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the local issuer's, from endpoints.json
        issuer + "/token", data=body, method="POST", headers={"content-type": "application/json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never a proxy
    try:
        with opener.open(request, timeout=10) as response:
            return str(json.load(response)["id_token"])
    except urllib.error.HTTPError as refused:
        try:
            detail = json.loads(refused.read()).get("error_description")
        except (ValueError, AttributeError):
            detail = None
        raise TokenError(f"The issuer refused ({refused.code}): {detail or refused.reason}") from None
    except (urllib.error.URLError, OSError) as unreachable:
        raise TokenError(NOT_RUNNING.format(why=f"{issuer} does not answer: {unreachable}")) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.tools.id_token", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--role", choices=sorted(GROUPS), default="customer")
    parser.add_argument("--email", help="default: <role>@example.com; the same email is the same user")
    parser.add_argument("--ttl-seconds", type=int, default=DEFAULT_TTL_SECONDS)
    parser.add_argument("--endpoints-file", type=Path, default=DEFAULT_ENDPOINTS)
    args = parser.parse_args(argv)
    try:
        issuer = issuer_url(args.endpoints_file)
        print(request_token(issuer, args.role, args.email or DEFAULT_EMAILS[args.role], args.ttl_seconds))
    except TokenError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
