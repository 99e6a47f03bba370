"""`ruam photos import-files`: copies the photos earlier versions kept as files under
DATA_DIR/uploads/photos/<2 characters>/<sha256>.jpg (with <sha256>.thumb.jpg beside) into need_photos.
Safe to run again: a photo already there is left as it is. The files are not deleted; once the import has
run on every installation that had them, the folder can go."""

from __future__ import annotations

import hashlib
from pathlib import Path

from server.needs.photo_store import DIGEST, PhotoStore
from server.needs.photos import Encoded


async def import_files(store: PhotoStore, data_dir: Path) -> tuple[int, int]:
    """(photos copied or already there, files skipped: a thumbnail missing, or bytes not matching the name)."""
    copied = skipped = 0
    for path in sorted((data_dir / "uploads" / "photos").glob("??/*.jpg")):
        digest = path.name.removesuffix(".jpg")
        if not DIGEST.fullmatch(digest):
            continue  # a thumbnail, read with its photo below
        thumbnail = path.with_name(f"{digest}.thumb.jpg")
        photo = path.read_bytes()
        if not thumbnail.is_file() or hashlib.sha256(photo).hexdigest() != digest:
            skipped += 1  # never served whole before either
            continue
        await store.put(Encoded(digest=digest, photo=photo, thumbnail=thumbnail.read_bytes()))
        copied += 1
    return copied, skipped

