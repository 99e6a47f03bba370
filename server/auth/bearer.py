"""The API token an Authorization value carries, read the same way over HTTP, websockets and photos."""

from __future__ import annotations


def bearer(authorization: str | None, *, bare: bool = False) -> str | None:
    """The token in "Bearer ruam_..."; with `bare`, also a token sent alone (websocket clients' connection
    params often carry it so). None when there is none."""
    value = (authorization or "").strip()
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer":
        return token.strip() or None
    return (value or None) if bare else None
