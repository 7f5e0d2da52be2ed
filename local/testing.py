"""Helpers for tests of the local stack and of adapters: moto in-process with dummy credentials."""

from __future__ import annotations

import os
import secrets
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from moto import mock_aws

from local.auth import DEFAULT_CLIENT_ID, DEFAULT_STOREFRONT_ORIGIN
from local.aws import DUMMY_CREDENTIALS
from local.hosted_ui import AUTHORIZE_PATH, CALLBACK_PATH, TOKEN_PATH, s256

_UNSET = ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN")


@contextmanager
def offline_aws(config: dict[str, Any] | None = None) -> Iterator[None]:
    """moto in-process (mock_aws with config), dummy credentials, no endpoint override; env restored after."""
    saved = {name: os.environ.get(name) for name in (*DUMMY_CREDENTIALS, *_UNSET)}
    for name in _UNSET:
        os.environ.pop(name, None)
    os.environ.update(DUMMY_CREDENTIALS)
    try:
        with mock_aws(config=config):  # type: ignore[arg-type]
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def unique_name(prefix: str) -> str:
    """A name no other test in this process uses: moto keeps one state while mock_aws blocks are nested."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def write_function(directory: Path, source: str) -> Path:
    """Write a function's app.py (source dedented) into directory; return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return directory


class StorefrontSignIn:
    """What a storefront does to sign a user in at the local issuer's hosted UI, over HTTP (no browser)."""

    def __init__(
        self,
        issuer_url: str,
        *,
        origin: str = DEFAULT_STOREFRONT_ORIGIN,
        client_id: str = DEFAULT_CLIENT_ID,
        redirect_uri: str | None = None,
    ) -> None:
        """`redirect_uri`: the storefront's callback page unless given (the console's is its index URL)."""
        self.issuer_url, self.origin, self.client_id = issuer_url, origin, client_id
        self.redirect_uri = redirect_uri or origin + CALLBACK_PATH
        self.verifier = secrets.token_urlsafe(48)  # 64 characters, within PKCE's 43 to 128
        self.state = secrets.token_urlsafe(16)

    def authorize_query(self, **changes: str | None) -> dict[str, str]:
        """The storefront's /oauth2/authorize query, with some parameters changed (None removes one)."""
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid email profile",
            "state": self.state,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
        } | changes
        return {name: value for name, value in query.items() if value is not None}

    def sign_in(self, role: str = "customer", email: str = "", **changes: str | None) -> requests.Response:
        """The sign-in page's form, posted; the issuer's answer, its redirect not followed."""
        form = self.authorize_query(**changes) | {"role": role, "email": email}
        return requests.post(self.issuer_url + AUTHORIZE_PATH, data=form, allow_redirects=False, timeout=10)

    def code(self, role: str = "customer", email: str = "") -> str:
        """A one-time code, read from the redirect to the storefront's callback (whose state it checks)."""
        answer = self.sign_in(role, email)
        assert answer.status_code == 302, answer.text
        location = urlsplit(answer.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == self.redirect_uri
        query = parse_qs(location.query)
        assert query["state"] == [self.state]
        return query["code"][0]

    def redeem(self, code: str, **changes: str | None) -> requests.Response:
        """POST the token endpoint as the storefront's page does: form-encoded, from its origin."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "client_id": self.client_id,
            "code_verifier": self.verifier,
        } | changes
        body = {name: value for name, value in form.items() if value is not None}
        return requests.post(
            self.issuer_url + TOKEN_PATH, data=body, headers={"origin": self.origin}, timeout=10
        )
