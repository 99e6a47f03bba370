"""Passphrases: argon2id hashes, checked off the event loop, and what makes one long enough.

Long rather than clever: a few words a person remembers are both stronger and easier than a short password
full of symbols, so only the length is asked for.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server import validation
from server.errors import Invalid
from server.i18n import N_

MIN_LENGTH = 10
MAX_LENGTH = 200  # argon2 takes any length; this only stops a megabyte being hashed on every try
_HASHER = PasswordHasher()
# checked against when nobody has the name asked for, so an unknown name takes as long as a wrong passphrase
_NOBODY = _HASHER.hash("not anyone's passphrase")


def fold(name: str) -> str:
    """A sign-in name as it is compared: spaces collapsed, case ignored."""
    return " ".join(name.split()).casefold()


def check(invalid: Invalid, passphrase: str, confirm: str) -> str:
    """The passphrase a person chose, or messages saying what to change."""
    if not validation.usable(passphrase):
        invalid.add("passphrase", validation.UNUSABLE_TEXT)
    elif len(passphrase) < MIN_LENGTH:
        invalid.add("passphrase", N_("Use at least {limit} letters, numbers or spaces: a few words you will "
                                     "remember, like a short sentence."), limit=MIN_LENGTH)
    elif len(passphrase) > MAX_LENGTH:
        invalid.add("passphrase", N_("Please keep this under {limit} characters (it has {length})."),
                    limit=MAX_LENGTH, length=len(passphrase))
    elif passphrase != confirm:
        invalid.add("confirm", N_("The two passphrases are not the same. Type it again in both boxes."))
    return passphrase


async def hash_passphrase(passphrase: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, passphrase)


async def matches(stored: str | None, passphrase: str) -> bool:
    """Whether `passphrase` is the one `stored` was made from; as slow for no stored hash as for a wrong one."""
    if not passphrase or len(passphrase) > MAX_LENGTH:
        return False

    def verify() -> bool:
        try:
            return _HASHER.verify(stored or _NOBODY, passphrase) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def outdated(stored: str) -> bool:
    """Made with weaker settings than today's: hashed again at the next sign-in."""
    return _HASHER.check_needs_rehash(stored)
