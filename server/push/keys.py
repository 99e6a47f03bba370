"""The installation's VAPID key: it signs every push, and browsers subscribe with its public half.

Set VAPID_PRIVATE_KEY to choose it; otherwise the first process that needs one makes it and keeps it in
PostgreSQL, where every web process and worker sharing the database reads the same. Changing it later
stops every phone's subscription from working (each must subscribe again), so it is made once and kept.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.push.models import VapidKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """Raises ValueError (binascii.Error is one) for what is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


@dataclass(frozen=True)
class Keys:
    private: str

    @property
    def signer(self) -> Vapid02:
        return Vapid02.from_raw(self.private.encode())

    @property
    def public(self) -> str:
        """What a browser's pushManager.subscribe takes as applicationServerKey: the uncompressed point."""
        point = self.signer.public_key.public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint)
        return b64url(point)


async def vapid_keys(session: AsyncSession, configured: str | None) -> Keys:
    """The configured key, or the one kept in the database (made now if there is none: two processes making
    one at once both keep the first written)."""
    if configured:
        return Keys(configured)
    kept = await session.scalar(select(VapidKey.private_key).where(VapidKey.id == 1))
    if kept is None:
        await session.execute(insert(VapidKey).values(id=1, private_key=new_private_key())
                              .on_conflict_do_nothing(index_elements=[VapidKey.id]))
        kept = await session.scalar(select(VapidKey.private_key).where(VapidKey.id == 1))
    assert kept is not None  # written above, by this transaction or one that committed first
    return Keys(kept)
