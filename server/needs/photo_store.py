"""Where need photos live: behind PhotoStore, by the SHA-256 of their full-size bytes; PostgreSQL's
need_photos table by default, so that every web process and worker sees the same photos and none keeps
them on its own disk.

Content-addressed, so the same photo sent twice is stored once, and a photo never changes once written.
A photo is stored in its own transaction, before the one that refers to it commits; if that transaction
fails, the photo stays unreferenced, which is harmless: the same photo sent again finds it, and nobody can
be served it (web/views/photos.py serves only photos of needs the reader may see). The worker's sweep
deletes such photos a day later, and the photos of people who withdrew.

Photos kept as files under DATA_DIR/uploads/photos by earlier versions are copied in once with
`ruam photos import-files` (server/needs/photo_import.py).
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.database import unit_of_work
from server.errors import Invalid
from server.i18n import N_
from server.needs.models import NeedPhoto
from server.needs.photos import Encoded, PhotoRefused, encode, too_large

DIGEST = re.compile(r"[0-9a-f]{64}")
GONE = N_("The photo you chose before is no longer here. Please choose it again.")
JPEG = "image/jpeg"

# Decoding the largest picture taken holds up to about 130 MB (server/needs/photos.py); photos sent together
# wait their turn here rather than add up. The threads are made when first needed.
DECODES_AT_ONCE = 2
DECODERS = ThreadPoolExecutor(max_workers=DECODES_AT_ONCE, thread_name_prefix="photo")


class PhotoStore(Protocol):
    async def put(self, encoded: Encoded) -> str:
        """Stores a photo (once, however often it is sent) and returns its digest."""

    async def get(self, digest: str, *, thumbnail: bool = False) -> bytes | None:
        """The photo's bytes, or None when there is no such photo."""

    async def holds(self, digest: str) -> bool: ...

    async def delete_unreferenced(self, referenced: set[str], *, older_than: datetime) -> int:
        """Deletes the photos no need holds that were stored before `older_than`; returns how many.
        A photo is stored before the need that holds it commits, and a form sent back for correction
        keeps its photo for a while: only old photos can be orphans."""


@dataclass(frozen=True)
class PostgresPhotoStore:
    sessions: async_sessionmaker[AsyncSession]

    async def put(self, encoded: Encoded) -> str:
        async with unit_of_work(self.sessions) as session:
            await session.execute(insert(NeedPhoto).values(
                sha256=encoded.digest, thumbnail=encoded.thumbnail, full=encoded.photo, content_type=JPEG,
            ).on_conflict_do_nothing(index_elements=[NeedPhoto.sha256]))
        return encoded.digest

    async def get(self, digest: str, *, thumbnail: bool = False) -> bytes | None:
        if not DIGEST.fullmatch(digest):
            return None
        column = NeedPhoto.thumbnail if thumbnail else NeedPhoto.full
        async with self.sessions() as session:
            found: bytes | None = await session.scalar(select(column).where(NeedPhoto.sha256 == digest))
            return found

    async def holds(self, digest: str) -> bool:
        async with self.sessions() as session:
            return bool(await session.scalar(select(exists().where(NeedPhoto.sha256 == digest))))

    async def delete_unreferenced(self, referenced: set[str], *, older_than: datetime) -> int:
        async with unit_of_work(self.sessions) as session:
            gone = await session.scalars(delete(NeedPhoto).where(
                NeedPhoto.created_at < older_than, NeedPhoto.sha256.not_in(referenced),
            ).returning(NeedPhoto.sha256))
            return len(gone.all())


@dataclass
class PhotoUpload:
    """A photo sent with a need: a file as it arrived, or one this store accepted when the same form
    was sent back to be corrected (`kept`: its digest, which the adapter vouches came from this person)."""

    store: PhotoStore
    file: BinaryIO | None = None
    kept: str | None = None
    name: str = ""  # the file's name on the phone, to say which photo a form sent back still holds
    stored: str | None = None  # the digest, once stored: a form sent back for other fields keeps it
    # a file too large for the adapter to read (its size, as far as it was read): refused, and never stored
    unread: int | None = None

    async def accept(self, invalid: Invalid, field: str) -> str | None:
        """The stored photo's digest; None, with a message on `field`, for a photo that cannot be used."""
        if self.unread is not None:
            refused = too_large(self.unread)
            invalid.add(field, refused.template, **refused.params)
            return None
        if self.file is None:
            if self.kept is not None and not await self.store.holds(self.kept):
                invalid.add(field, GONE)
                return None
            self.stored = self.kept
            return self.stored
        try:
            encoded = await asyncio.get_running_loop().run_in_executor(DECODERS, encode, self.file)
        except PhotoRefused as refused:
            invalid.add(field, refused.template, **refused.params)
            return None
        self.stored = await self.store.put(encoded)
        return self.stored
