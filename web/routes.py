"""The web UI's routes, a declared list."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from web.views import home

STATIC = Path(__file__).parent / "static"


def routes() -> list[BaseRoute]:
    return [
        Route("/", home.home),
        Route("/healthz", home.health),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
