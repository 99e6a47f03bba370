"""Signing webhook deliveries: HMAC-SHA256 over the exact body bytes, with the webhook's secret.

Receivers recompute the digest over the raw body they received (before any JSON parsing, which
could reorder or re-escape it) and compare it in constant time, as `verify` does.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Ruam-Signature"
PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The X-Ruam-Signature header value for `body`."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body), header)
