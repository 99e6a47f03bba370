"""Pseudonymous voter ids for a round's Pol.is export.

An id is an HMAC of the round and the person under a key derived from the installation's secret: the same
person has the same id in every export of one round (files can be joined, exports compared over time), a
different one in every other round (two rounds' exports cannot be joined on it), and nobody without the
secret can compute it from a participant id, even one that leaked.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

_PURPOSE = b"ruam open data voter pseudonym"
BITS = 52  # a whole number every JSON and JavaScript reader holds exactly, as Pol.is's ids are


def pseudonym_key(secret: str) -> bytes:
    """A key for this purpose only, so that the pseudonyms say nothing about other uses of the secret."""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def pseudonym(key: bytes, round_id: uuid.UUID, participant_id: uuid.UUID) -> int:
    digest = hmac.new(key, round_id.bytes + participant_id.bytes, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - BITS)
