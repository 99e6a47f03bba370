"""Need photos, served only to people who may see a need that carries them (needs/queries.py).

A photo's address names its content, which never changes: browsers keep it for a year without
asking again, in their own cache only (it is not for shared caches). Integrators fetch the
addresses the API gives with the same bearer token.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from server.auth.bearer import bearer as bearer_in
from server.auth.identity import identify
from server.auth.models import READ
from server.database import unit_of_work
from server.errors import NotPermitted
from server.i18n import N_
from server.needs import photo_urls
from server.needs.queries import photo_visible
from server.people.models import Participant
from web import photos
from web.session import signed_in

NOT_FOUND = N_("There is no such photo, or it is not yours to see.")
HEADERS = {"Cache-Control": "private, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}


async def photo(request: Request) -> Response:
    found = photo_urls.parse(request.path_params["name"])
    if found is None:
        raise HTTPException(404, NOT_FOUND)
    digest, thumbnail = found
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        viewer = await _viewer(request, session)
        allowed = viewer is not None and await photo_visible(session, viewer, digest)
    data = await photos.store(request).get(digest, thumbnail=thumbnail) if allowed else None
    if data is None:  # alike, so that asking tells nobody whether a photo exists
        raise HTTPException(404, NOT_FOUND)
    if request.headers.get("if-none-match") == etag(digest, thumbnail):
        return Response(status_code=304, headers=HEADERS | {"ETag": etag(digest, thumbnail)})
    return Response(data, media_type="image/jpeg", headers=HEADERS | {"ETag": etag(digest, thumbnail)})


def etag(digest: str, thumbnail: bool) -> str:
    """The content's own name: the photo behind an address never changes."""
    return f'"{digest}{".thumb" if thumbnail else ""}"'


async def _viewer(request: Request, session: AsyncSession) -> Participant | None:
    """The signed-in person, or an API token's participant when the token may read."""
    bearer = bearer_in(request.headers.get("authorization"))
    if bearer is None:
        return await signed_in(request, session)
    try:
        return (await identify(session, bearer=bearer)).require(READ)
    except NotPermitted:  # an unknown or revoked token, or one that may not read
        return None
