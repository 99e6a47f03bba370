"""A sent picture cannot take the server's memory: one that is too big is refused from its header, before a
pixel is decoded, with words the sender can act on; whatever is taken decodes within a fixed budget, and
several sent at once are decoded a few at a time.

Memory is measured as the growth of a fresh child process's peak resident size (VmHWM): Pillow's buffers
are C allocations that tracemalloc does not see, and a process's peak never goes down, so each measurement
gets a process of its own. (Not ru_maxrss: Linux carries it over from the parent across fork and exec.) Before this was fixed a 6000 x 6000 PNG was taken and took
+414 MB, a 40 MP one (the old limit) +460 MB, and four sent at once took the server past 1.5 GB.
"""

from __future__ import annotations

import io
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from server.i18n import translate
from server.needs import photos

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 130  # one decode of the largest picture taken, whatever its format
AT_ONCE_BUDGET_MB = 2.2 * BUDGET_MB  # four of them sent together: two are decoded at a time


def picture(kind: str, width: int, height: int) -> bytes:
    """Plain colour with a little noise: a few hundred KB even at tens of millions of pixels, which is
    what makes such a file a cheap attack. A "-alpha" kind is transparent, a "-palette" one has a palette
    with a transparent colour: each costs more to make small."""
    mode = "RGBA" if kind.endswith("-alpha") else "RGB"
    image = Image.new(mode, (width, height), (10, 120, 200, 120)[:len(mode)])
    image.paste(Image.effect_noise((64, 64), 40).convert(mode), (0, 0))
    out = io.BytesIO()
    if kind.endswith("-palette"):
        image.convert("P", palette=Image.Palette.ADAPTIVE).save(out, "PNG", transparency=0)
    elif kind.startswith("png"):
        image.save(out, "PNG")
    elif kind.startswith("webp"):
        image.save(out, "WEBP", quality=10)
    else:
        image.save(out, "JPEG", quality=10, progressive=kind == "progressive-jpeg")
    return out.getvalue()


def largest_taken(kind: str) -> tuple[int, int]:
    """The largest square picture of this kind that the limits let through."""
    limits = getattr(photos, "PROGRESSIVE_JPEG_PIXELS", photos.MAX_PIXELS["JPEG"]) \
        if kind == "progressive-jpeg" else photos.MAX_PIXELS["WEBP" if kind.startswith("webp") else "PNG"]
    side = math.isqrt(limits)
    return side, side


def peak_growth_mb(files: list[Path]) -> tuple[float, list[str]]:
    """Sends the files as one form each, all at once, through the photo store of a fresh process; returns
    how far its peak memory grew and, per file, "stored" or the message it was refused with."""
    child = textwrap.dedent("""
        import asyncio, re, sys
        from server.errors import Invalid
        from server.needs.photo_store import PhotoUpload

        class Kept:  # what is measured is decoding, not storing: the photos stay in this process
            def __init__(self):
                self.photos = {}
            async def put(self, encoded):
                self.photos[encoded.digest] = encoded
                return encoded.digest
            async def holds(self, digest):
                return digest in self.photos

        async def send(store, name):
            invalid = Invalid()
            with open(name, "rb") as file:
                stored = await PhotoUpload(store, file=file).accept(invalid, "photo")
            return "stored" if stored else invalid.fields["photo"][0]

        def peak_kb():
            return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))

        async def main():
            store = Kept()
            before = peak_kb()
            answers = await asyncio.gather(*(send(store, name) for name in sys.argv[1:]))
            grown = peak_kb() - before
            print(grown / 1024)
            for answer in answers:
                print(answer.replace("\\n", " "))

        asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", child, *map(str, files)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    grown, *answers = done.stdout.splitlines()
    return float(grown), answers


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/self/status")


def test_a_6000_by_6000_png_is_refused_from_its_header_with_what_to_do():
    sent = io.BytesIO(picture("png", 6000, 6000))
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.encode(sent)
    words = translate(refused.value.template, "en", **refused.value.params)
    assert "6000 × 6000" in words and "screenshot" in words
    assert translate(refused.value.template, "th", **refused.value.params) != words


def test_a_progressive_jpeg_is_held_to_what_its_decoding_costs():
    """A progressive JPEG is decoded whole into coefficients (3 bytes a pixel) whatever scale is asked for:
    the 108 MP a baseline JPEG may have took +337 MB."""
    with pytest.raises(photos.PhotoRefused):
        photos.encode(io.BytesIO(picture("progressive-jpeg", 12000, 9000)))


@needs_proc
@pytest.mark.parametrize("kind", ["png", "png-alpha", "png-palette", "webp", "webp-alpha", "progressive-jpeg"])
def test_the_largest_picture_taken_decodes_within_the_budget(kind, tmp_path):
    file = tmp_path / kind
    file.write_bytes(picture(kind, *largest_taken(kind)))
    grown, [answer] = peak_growth_mb([file])
    assert answer == "stored"
    assert grown < BUDGET_MB, f"{kind} {largest_taken(kind)}: +{grown:.0f} MB"


@needs_proc
def test_four_sent_at_once_are_decoded_a_few_at_a_time(tmp_path):
    files = []
    for n in range(4):
        files.append(tmp_path / f"{n}.png")
        files[-1].write_bytes(picture("png", *largest_taken("png")))
    grown, answers = peak_growth_mb(files)
    assert answers == ["stored"] * 4
    assert grown < AT_ONCE_BUDGET_MB, f"+{grown:.0f} MB"
