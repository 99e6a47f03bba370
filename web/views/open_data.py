"""A published round's open data, for anyone to download at /rounds/{slug}/open-data/{file} (the files and
what they hold: server/opendata/). A round with nothing published has none: its addresses answer 404."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.errors import NotPublished
from server.opendata.service import DATAPACKAGE, LICENCE_FILE, open_data_file
from server.rounds.service import find_round
from web.errors import domain_error

_READ_IN_PLACE = (DATAPACKAGE, LICENCE_FILE)


async def open_data_download(request: Request) -> Response:
    runtime = request.app.state.runtime
    async with unit_of_work(runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        try:
            download = await open_data_file(session, round_, request.path_params["name"],
                                            secret=runtime.settings.secret_key, base_url=runtime.settings.public_url)
        except NotPublished as error:
            refused = await domain_error(request, error)
            refused.status_code = 404  # nothing there yet, as for a version nobody published
            return refused
    name = download.name.replace("/", "-")
    disposition = "inline" if download.name in _READ_IN_PLACE else "attachment"
    return Response(download.content, media_type=download.media_type, headers={
        "Content-Disposition": f'{disposition}; filename="ruam-{round_.slug}-{name}"',
        "Cache-Control": "private, max-age=60"})
