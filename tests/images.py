"""Photos made on the spot, as phones make them: EXIF with where and how they were taken."""

from __future__ import annotations

from io import BytesIO

from PIL import ExifTags, Image

# Ko Lipe, Satun: the kind of place a photo must not give away
KO_LIPE = ((6.0, 29.0, 24.0), (99.0, 18.0, 0.0))


def phone_jpeg(width: int = 1600, height: int = 1200, *, orientation: int = 1, colour=(200, 40, 40),
               grain: float = 0) -> bytes:
    """A JPEG with a GPS position, a camera make, a comment and the given EXIF orientation. Its top-left
    quarter is blue, so a test can tell which way up it was stored. `grain` adds a sensor's noise,
    which is what makes a real camera's photo weigh several MB (4000 x 3000 with grain 40: about 4 MB)."""
    image = Image.new("RGB", (width, height), colour)
    image.paste((0, 0, 255), (0, 0, width // 2, height // 4))
    if grain:
        noise = Image.effect_noise((width, height), grain)
        image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), 0.25)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", KO_LIPE[0]
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", KO_LIPE[1]
    out = BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif, comment=b"taken at home")
    return out.getvalue()


def transparent_png(width: int = 400, height: int = 300) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, width // 2, height))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(width: int = 500, height: int = 500) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, "WEBP")
    return out.getvalue()


def has_metadata(data: bytes) -> list[str]:
    """What of a stored JPEG could tell more than its pixels."""
    with Image.open(BytesIO(data)) as image:
        found = [key for key in ("exif", "comment", "icc_profile", "xmp", "photoshop") if image.info.get(key)]
        if len(image.getexif()):
            found.append("exif tags")
        return found
