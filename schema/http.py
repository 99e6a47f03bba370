"""HTTP routes of the GraphQL API (mounted by server/app.py)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    return []
