"""What every answer tells the browser the page may do, pages and /graphql alike.

Scripts and styles come only from /static, never inline, so a script slipped into a page (a comment, a
need's title) cannot run; the templates carry no inline script, style or handler
(tests/security/test_every_answer_carries_security_headers.py), htmx is told to add no style and to
evaluate nothing (base.html), and bars are SVG. No site may show Ruam in a frame, where a facilitator
could be tricked into clicking "publish". No other site learns a page's address, which can hold an
invite code (/j/ABCD2345). The headers are made once: castVote answers thousands of requests a second.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = Sequence[tuple[bytes, bytes]]

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' blob:; "  # static/photo.js reads the chosen photo through a blob: address to shrink it
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# GraphiQL (DEBUG only, schema/http.py) is strawberry's page: inline script and style, React from unpkg.com
GRAPHIQL_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
    "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data: https://unpkg.com; "
    "font-src 'self' data: https://unpkg.com; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def headers(policy: str) -> Headers:
    return (
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
        (b"referrer-policy", b"same-origin"),
        (b"x-content-type-options", b"nosniff"),
    )


class SecurityHeaders:
    """Adds the headers to every HTTP answer. With `graphiql` (DEBUG), GET /graphql gets GraphiQL's policy."""

    def __init__(self, app: ASGIApp, *, graphiql: bool = False):
        self.app, self.graphiql = app, graphiql
        self.default, self.ide = headers(POLICY), headers(GRAPHIQL_POLICY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        added = self.default
        if self.graphiql and scope["path"] == "/graphql" and scope["method"] == "GET":
            added = self.ide

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        await self.app(scope, receive, with_headers)
