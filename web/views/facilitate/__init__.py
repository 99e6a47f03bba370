"""Facilitator pages: rounds, invitations, phases, proxy entry, moderation, live results, proposals."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    return []
