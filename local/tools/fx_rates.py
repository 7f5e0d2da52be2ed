"""Loads a day's FX rate snapshot from a JSON file into the running local stack, as staff would:
`python -m local.tools.fx_rates rates.json` (the file: {"base": "EUR", "date": "2026-11-26", "rates": {"USD":
"1.0812"}, "source": "ECB"}). It posts the file to POST /admin/fx-rates with an admin token."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from local.auth import DEFAULT_EMAILS, DEFAULT_TTL_SECONDS
from local.tools.id_token import DEFAULT_ENDPOINTS, TokenError, issuer_url, request_token


def load(file: Path, endpoints_file: Path = DEFAULT_ENDPOINTS) -> dict[str, object]:
    endpoints = json.loads(endpoints_file.read_text(encoding="utf-8"))
    token = request_token(issuer_url(endpoints_file), "admin", DEFAULT_EMAILS["admin"], DEFAULT_TTL_SECONDS)
    request = urllib.request.Request(  # noqa: S310 - the local API's URL, from endpoints.json
        str(endpoints["api"]).rstrip("/") + "/admin/fx-rates",
        data=file.read_bytes(),
        method="POST",
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never a proxy
    with opener.open(request, timeout=10) as response:
        return dict(json.load(response))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.tools.fx_rates", description=__doc__.splitlines()[0]
    )
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        stored = load(args.file)
    except TokenError as error:
        print(error, file=sys.stderr)
        return 1
    except urllib.error.HTTPError as refused:
        print(f"refused ({refused.code}): {refused.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    print(json.dumps(stored))
    return 0


if __name__ == "__main__":
    sys.exit(main())
