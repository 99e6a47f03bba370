"""What `ruam demo` leaves for `ruam serve` to say once it listens: the ways in to try Ruam, as whole links on
the address the server really has, printed after the server's own "running on" line rather than scrolled
away above it.

Kept under DATA_DIR, readable by its owner only (as the secret key is): the staff key in it is stored nowhere
else in plain, the database holding only its hash. Said once, then forgotten, so that the key and the codes
are not left on disk nor repeated into a service's log at every restart (`ruam demo` again says them again,
with the same codes). Each line is checked against the database first, so a file left from another
database, or a key since revoked, prints nothing wrong.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.auth.models import InviteCode
from server.auth.service import hash_secret
from server.auth.staff import staff_for_token
from server.database import unit_of_work

FILE = "demo-announcement.json"
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}  # noqa: S104 -- read, not bound: listening everywhere, this machine is one of them


@dataclass(frozen=True)
class Join:
    slug: str
    group: str  # the group a newcomer joins by this link, named in English as the console is
    code: str


@dataclass(frozen=True)
class Announcement:
    staff_key: str
    joins: tuple[Join, ...]


def save(data_dir: Path, announcement: Announcement) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE
    temporary = path.with_name(FILE + ".new")
    # made owner-only before the key is written into it, then put in place whole
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump({"staff_key": announcement.staff_key,
                   "joins": [[j.slug, j.group, j.code] for j in announcement.joins]}, out)
    os.replace(temporary, path)
    return path


def stored(data_dir: Path) -> Announcement | None:
    try:
        raw = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
        return Announcement(str(raw["staff_key"]), tuple(Join(str(s), str(g), str(c)) for s, g, c in raw["joins"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or not one this version wrote: nothing to announce


def forget(data_dir: Path) -> None:
    (data_dir / FILE).unlink(missing_ok=True)


def listening_url(public_url: str, configured: tuple[str, int], bound: tuple[str, int]) -> str:
    """PUBLIC_URL when it was set (it differs from the address configured), otherwise the address the
    socket really holds, which `--host`/`--port` may have changed."""
    host, port = configured
    if public_url != f"http://{host}:{port}":
        return public_url
    bound_host, bound_port = bound
    bound_host = WILDCARDS.get(bound_host, f"[{bound_host}]" if ":" in bound_host else bound_host)
    return f"http://{bound_host}:{bound_port}"


async def _works(session: AsyncSession, code: str) -> bool:
    return await session.scalar(select(InviteCode.id).where(
        InviteCode.code_hash == hash_secret(code), InviteCode.revoked_at.is_(None))) is not None


async def lines(sessions: async_sessionmaker[AsyncSession], data_dir: Path, base_url: str) -> list[str]:
    """What to print once the server listens; nothing when this database holds no demo."""
    found = stored(data_dir)
    if found is None:
        return []
    async with unit_of_work(sessions) as session:
        joins = [j for j in found.joins if await _works(session, j.code)]
        key_works = await staff_for_token(session, found.staff_key) is not None
    if not joins:
        return []
    said = ["", f"Ruam demo: {base_url}/"]
    if key_works:
        said.append(f"Staff sign-in: {base_url}/facilitate/sign-in, under \"Sign in with a key\" paste "
                    f"{found.staff_key}")
    said += [f"Join {j.slug} as {j.group}: {base_url}/j/{j.code}" for j in joins]
    return said
