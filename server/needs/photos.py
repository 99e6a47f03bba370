"""Photos sent with needs: checked by their content, then re-encoded upright, smaller and bare.

A phone photo carries where it was taken (GPS) and on which device; for the communities Ruam
serves that is a risk, so nothing of the original file is kept but its pixels: orientation is
applied, every piece of metadata dropped, the picture scaled to at most LONG_SIDE pixels as JPEG,
with a square thumbnail for lists. The name of what is stored is the SHA-256 of those bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from server.i18n import N_

MAX_MB = 10  # phones make 3-8 MB photos
MAX_BYTES = MAX_MB * 1024 * 1024
# A few hundred KB of PNG can hold tens of millions of pixels, so the limits are set by what decoding costs
# (at most about 130 MB each, tests/security/test_pictures_are_refused_before_they_fill_the_memory.py), and
# checked from the header, before a pixel is decoded. libjpeg decodes a baseline JPEG at 1/2 to 1/8 scale
# (draft below), so a 108 MP phone photo costs little. PNG is decoded whole, four bytes a pixel, and a
# transparent one is copied once more to be made small: 12 MP is a 4K screenshot, or a 12 MP camera's
# picture saved as PNG. Pillow decodes WebP through libwebp's animation decoder, which keeps three more
# copies of the picture: 5 MP is more than pictures from the web have.
MAX_PIXELS = {"JPEG": 110_000_000, "PNG": 12_000_000, "WEBP": 5_000_000}
# a progressive JPEG is decoded whole into coefficients, about three bytes a pixel, at any scale asked for;
# cameras write baseline JPEG, so this touches pictures from the web, which are small
PROGRESSIVE_JPEG_PIXELS = 24_000_000
# Pillow's own guard, for any picture opened in this process: no larger than the largest taken here
Image.MAX_IMAGE_PIXELS = max(MAX_PIXELS.values())
LONG_SIDE = 1280
QUALITY = 80
THUMBNAIL = 320
THUMBNAIL_QUALITY = 70

EMPTY = N_("This file is empty. Please choose the photo again.")
TOO_LARGE = N_("This photo is {size} MB; a photo can be at most {limit} MB. Choose a smaller one, "
               "or set the camera to a lower resolution and take it again.")
NOT_A_PHOTO = N_("This file is not a photo Ruam can read. Please send a JPEG, PNG or WebP picture.")
HEIC = N_("This photo is in HEIC format, which Ruam cannot read yet. Set the camera to save JPEG "
          "(\"Most compatible\"), or send a screenshot of the photo.")
TOO_MANY_PIXELS = N_("This picture is too big to use (more than {limit} million pixels). Please choose a smaller one.")
PICTURE_TOO_BIG = N_("This picture is {width} × {height} pixels, more than Ruam can take ({limit} million "
                     "pixels). Please choose a smaller one, or send a screenshot of it.")
DAMAGED = N_("This photo could not be read to the end: it may be damaged or only partly sent. "
             "Please choose it again.")

# ISO base media files (HEIC, AVIF) say what they are in an "ftyp" box at byte 4
HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


class PhotoRefused(Exception):
    """A photo that cannot be used, with a message the sender can act on."""

    def __init__(self, template: str, **params: object):
        super().__init__(template)
        self.template, self.params = template, params


def too_large(size: int) -> PhotoRefused:
    return PhotoRefused(TOO_LARGE, size=f"{size / 1024 / 1024:.1f}", limit=MAX_MB)


@dataclass(frozen=True)
class Encoded:
    digest: str  # SHA-256 of `photo`, in hex
    photo: bytes
    thumbnail: bytes


def encode(source: BinaryIO) -> Encoded:
    """The photo in `source` re-encoded, or PhotoRefused. CPU-bound: run it in a thread."""
    source.seek(0, 2)
    size = source.tell()
    source.seek(0)
    if size == 0:
        raise PhotoRefused(EMPTY)
    if size > MAX_BYTES:
        raise too_large(size)
    head = source.read(12)
    source.seek(0)
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        raise PhotoRefused(HEIC)
    try:
        with Image.open(source, formats=tuple(MAX_PIXELS)) as image:  # reads the header only
            limit = _pixel_limit(image)
            if image.width * image.height > limit:
                raise PhotoRefused(PICTURE_TOO_BIG, width=image.width, height=image.height,
                                   limit=limit // 1_000_000)
            image.draft("RGB", (LONG_SIDE, LONG_SIDE))
            # made small first, so that turning and flattening copy a small picture, not the decoded one
            upright = _flattened(ImageOps.exif_transpose(_reduced(image)))
    except UnidentifiedImageError:
        raise PhotoRefused(NOT_A_PHOTO) from None
    except Image.DecompressionBombError:
        raise PhotoRefused(TOO_MANY_PIXELS, limit=MAX_PIXELS["PNG"] // 1_000_000) from None
    except (OSError, SyntaxError, ValueError, EOFError):  # what Pillow raises for a broken or cut-off file
        raise PhotoRefused(DAMAGED) from None
    upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    photo = _jpeg(upright, QUALITY)
    square = ImageOps.fit(upright, (THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS)
    return Encoded(hashlib.sha256(photo).hexdigest(), photo, _jpeg(square, THUMBNAIL_QUALITY))


def _pixel_limit(image: Image.Image) -> int:
    if image.format in ("JPEG", "MPO"):  # MPO: a JPEG with more pictures in it (depth data); the first is read
        return PROGRESSIVE_JPEG_PIXELS if image.info.get("progressive") else MAX_PIXELS["JPEG"]
    return MAX_PIXELS[image.format or ""]


def _reduced(image: Image.Image) -> Image.Image:
    """At most twice LONG_SIDE, by averaging whole blocks of pixels (Image.reduce): cheap, and it leaves the
    final resampling to a picture of about the size it will have. A palette is made colours first, which
    reduce cannot average."""
    factor = max(image.size) // LONG_SIDE
    if factor < 2:
        return image
    image.load()
    if image.mode in ("P", "1", "I;16", "I;16B", "I;16L"):
        image = image.convert("RGBA" if _transparent(image) else "RGB")
    return image.reduce(factor)


def _transparent(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, with anything transparent laid on white (JPEG has no transparency)."""
    if _transparent(image):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    # Pillow writes a JPEG comment (and other formats' metadata) from `info` unless told otherwise
    image.info.clear()
    out = BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
