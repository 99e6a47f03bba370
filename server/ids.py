"""Time-ordered UUIDs (RFC 9562 version 7), made by the application.

A round run offline on a field laptop must merge into the central instance later, so
identifiers never come from a database sequence. Within one process they are also strictly
increasing, which keeps event cursors in the order events were made.
"""

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0
_VERSION_VARIANT = (0x7 << 76) | (0b10 << 62)
_RANDOM_MASK = (0xFFF << 64) | ((1 << 62) - 1)


def uuid7() -> uuid.UUID:
    global _last
    millis = time.time_ns() // 1_000_000
    candidate = (millis << 80) | _VERSION_VARIANT | (int.from_bytes(os.urandom(10), "big") & _RANDOM_MASK)
    with _lock:
        if candidate <= _last:
            # same millisecond: step the random bits, carrying over the fixed version/variant bits
            candidate = _last + 1
            if candidate & (0b11 << 62) != 0b10 << 62:
                candidate = ((candidate >> 64) + 1) << 64 | (0b10 << 62)
        _last = candidate
    return uuid.UUID(int=candidate)

