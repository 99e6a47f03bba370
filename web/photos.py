"""The web side of need photos: the upload read from a form, and a photo kept when a form comes back
to be corrected (a browser never fills a file field in again, and sending a photo twice on a slow
network is what this spares). Their addresses are server/needs/photo_urls.py's."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from server.needs.photo_store import PhotoStore, PhotoUpload, PostgresPhotoStore
from server.needs.photos import MAX_BYTES
from web import oversized_form
from web.csrf import checked_form, require_token
from web.session import KEY

# Up to MAX_BYTES the photo is read; past it, up to this, the form comes back with a message on
# the photo and every other field kept; past this, the photo is not even kept in a file, only measured,
# and the form comes back all the same (web/oversized_form.py).
FORM_LIMIT = 2 * MAX_BYTES + 1024 * 1024
KEPT = "photo_kept"


def store(request: Request) -> PhotoStore:
    return PostgresPhotoStore(request.app.state.runtime.sessions)


def _signer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.runtime.settings.secret_key, salt="ruam.kept-photo")


async def form_with_photo(request: Request) -> tuple[FormData, PhotoUpload | None]:
    """A form that may carry a photo, once its CSRF token matched, and the photo. A body past FORM_LIMIT is
    not refused outright: what was typed is read and the photo only measured, to be refused on the form."""
    declared = oversized_form.declared_size(request)
    if declared is None or declared <= FORM_LIMIT:
        form = await checked_form(request, max_body=FORM_LIMIT)
        return form, upload_from(request, form)
    form, largest = await oversized_form.typed_fields(request)
    require_token(request, form)
    return form, PhotoUpload(store(request), unread=largest or declared)


def upload_from(request: Request, form: FormData) -> PhotoUpload | None:
    """The photo a form sent: a newly chosen file (the first, when the camera and the gallery field both
    have one), else the one kept from the same person's earlier try, unless they chose to drop it."""
    for part in form.getlist("photo"):
        if isinstance(part, UploadFile) and (part.filename or part.size):
            return PhotoUpload(store(request), file=part.file, name=(part.filename or "")[-80:])
    if form.get("photo_drop") or not form.get(KEPT):
        return None
    try:
        person, digest, name = _signer(request).loads(str(form.get(KEPT)))
    except (BadSignature, ValueError, TypeError):
        return None
    if person != request.session.get(KEY):
        return None
    return PhotoUpload(store(request), kept=digest, name=name)


def kept(request: Request, upload: PhotoUpload | None) -> dict[str, str] | None:
    """What the form sent back carries so that the stored photo goes with the next try."""
    if upload is None or upload.stored is None:
        return None
    token = _signer(request).dumps([request.session.get(KEY), upload.stored, upload.name])
    return {"token": token, "name": upload.name}
