"""Where need photos live: files under DATA_DIR/uploads/photos, named by the SHA-256 of their bytes.

Content-addressed, so the same photo sent twice is stored once, and a file never changes once
written (each is written to a temporary name and renamed into place). A file is written before
the transaction that refers to it commits; if that transaction fails, the file stays unreferenced,
which is harmless: the same photo sent again finds it, and nobody can be served it (web/views/photos.py
serves only photos of needs the reader may see). The worker's sweep deletes such files a day later,
and the photos of people who withdrew.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from server.errors import Invalid
from server.i18n import N_
from server.needs.photos import Encoded, PhotoRefused, encode, too_large

DIGEST = re.compile(r"[0-9a-f]{64}")
GONE = N_("The photo you chose before is no longer here. Please choose it again.")

# Decoding the largest picture taken holds up to about 130 MB (server/needs/photos.py); photos sent together
# wait their turn here rather than add up. The threads are made when first needed.
DECODES_AT_ONCE = 2
DECODERS = ThreadPoolExecutor(max_workers=DECODES_AT_ONCE, thread_name_prefix="photo")


@dataclass(frozen=True)
class PhotoStore:
    root: Path

    @classmethod
    def under(cls, data_dir: Path) -> PhotoStore:
        return cls(data_dir / "uploads" / "photos")

    def path(self, digest: str, *, thumbnail: bool = False) -> Path:
        if not DIGEST.fullmatch(digest):
            raise ValueError(f"not a photo digest: {digest!r}")
        # a folder per first two characters keeps any one folder to a few hundred files
        return self.root / digest[:2] / f"{digest}{'.thumb' if thumbnail else ''}.jpg"

    def holds(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def remove_unreferenced(self, referenced: set[str], *, older_than: float) -> int:
        """Deletes photos (with their thumbnails) that no need refers to and that were written before
        `older_than` (Unix seconds), and temporary files left by an interrupted write; returns how many
        photos went. A photo is written before the need that holds it commits, and a form sent back for
        correction keeps its photo for a while: only old files can be orphans."""
        removed = 0
        for path in self.root.glob("??/*"):
            try:
                old = path.stat().st_mtime < older_than
            except FileNotFoundError:
                continue
            if not old:
                continue
            name = path.name
            if name.startswith(".") and name.endswith(".part"):
                path.unlink(missing_ok=True)
            elif name.endswith(".jpg") and not name.endswith(".thumb.jpg"):
                digest = name.removesuffix(".jpg")
                if DIGEST.fullmatch(digest) and digest not in referenced:
                    self.path(digest, thumbnail=True).unlink(missing_ok=True)
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    def save(self, encoded: Encoded) -> str:
        # the thumbnail first: a photo counts as stored once its full-size file is there
        _write_once(self.path(encoded.digest, thumbnail=True), encoded.thumbnail)
        _write_once(self.path(encoded.digest), encoded.photo)
        return encoded.digest


def _write_once(path: Path, data: bytes) -> None:
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
            if self.kept is not None and not self.store.holds(self.kept):
                invalid.add(field, GONE)
                return None
            self.stored = self.kept
            return self.stored
        try:
            encoded = await asyncio.get_running_loop().run_in_executor(DECODERS, encode, self.file)
        except PhotoRefused as refused:
            invalid.add(field, refused.template, **refused.params)
            return None
        self.stored = await asyncio.to_thread(self.store.save, encoded)
        return self.stored
