"""/favicon.ico, which browsers ask for whatever the page links: the one icon, so that it is never a 404."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

ICON = Path(__file__).parent.parent / "static" / "favicon.svg"


async def favicon(request: Request) -> Response:
    return FileResponse(ICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
