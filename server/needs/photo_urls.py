"""Where a need's photo is served (web/views/photos.py), and the address the API gives for it: the address
names the photo's content, so it never changes and browsers keep it."""

from __future__ import annotations

import re

NAME = re.compile(r"([0-9a-f]{64})(\.thumb)?\.jpg")


def url(digest: str, *, thumbnail: bool = False) -> str:
    return f"/photos/{digest}{'.thumb' if thumbnail else ''}.jpg"


def parse(name: str) -> tuple[str, bool] | None:
    """(digest, thumbnail?) from the last part of a photo's address; None for anything else."""
    found = NAME.fullmatch(name)
    return (found.group(1), found.group(2) is not None) if found else None
