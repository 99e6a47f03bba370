"""The one difference htmx makes to a response: how a redirect after a POST is told."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response


def redirect(request: Request, url: str) -> Response:
    """303 See Other for a plain form; HX-Redirect for htmx, which would otherwise swap the target in."""
    if request.headers.get("hx-request") == "true" and not request.headers.get("hx-boosted"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
