"""The local issuer's pages: the test sign-in form (Email, Role, Sign in) and its error pages.

Plain HTML a keyboard and a screen reader can use: a language, a title, a main landmark, a heading,
labelled fields, errors announced (role="alert") and tied to the field they concern.
"""

from __future__ import annotations

import html

from werkzeug.wrappers import Response

_STYLE = (
    "body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}"
    "main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #ccc}"
    "label{display:block;margin-top:1rem;font-weight:600}input,select{width:100%;padding:.5rem;font:inherit}"
    "button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit;color:#fff;background:#1f4e79;border:0}"
    ".hint{color:#4a4a4a;font-size:.9rem}.error{color:#a10000;font-weight:600}"
)


def page(title: str, body: str, *, status: int = 200) -> Response:
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · local sign-in</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    response = Response(document, status=status, content_type="text/html; charset=utf-8")
    response.headers["cache-control"] = "no-store"
    return response


def error_page(title: str, message: str, *, status: int) -> Response:
    return page(title, _error(message), status=status)


def _error(message: str, element_id: str = "error") -> str:
    return f'<p id="{element_id}" class="error" role="alert">{html.escape(message)}</p>'


def sign_in_page(
    action: str,
    carried: dict[str, str],
    roles: tuple[str, ...],
    *,
    error: str = "",
    email: str = "",
    role: str = "",
) -> Response:
    """The form, carrying the authorize request's parameters; with `error`, shown again with the reason."""
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in carried.items()
    )
    options = "".join(
        f'<option value="{html.escape(r)}"{" selected" if r == role else ""}>{html.escape(r)}</option>'
        for r in roles
    )
    described = "email-hint email-error" if error else "email-hint"
    invalid = ' aria-invalid="true"' if error else ""
    body = (
        f"{_error(error, 'email-error') if error else ''}"
        f'<form method="post" action="{html.escape(action)}">{hidden}'
        '<label for="email">Email</label>'
        f'<input id="email" name="email" type="email" autocomplete="email" value="{html.escape(email)}"'
        f' aria-describedby="{described}"{invalid}>'
        '<p id="email-hint" class="hint">Empty: the role\'s demo user, such as customer@example.com.</p>'
        f'<label for="role">Role</label><select id="role" name="role">{options}</select>'
        '<button type="submit">Sign in</button></form>'
        '<p class="hint">A test sign-in page: no password. Deployed, Cognito\'s hosted UI stands here.</p>'
    )
    return page("Sign in", body, status=400 if error else 200)
