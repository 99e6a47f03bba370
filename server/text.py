"""Thai text has no spaces between words: segment it before comparing or indexing.

pythainlp's newmm works offline with its own dictionary; the words it would split wrongly
(group and place names) are added from Ruam's reference data and a short list here.
"""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pythainlp.tokenize import Trie

NAMES = ("อูรักลาโว้ย", "ชาวเล", "มอแกน", "มอแกลน", "กะเหรี่ยง", "ปกาเกอะญอ", "ไทใหญ่", "ลีซู", "ลาหู่",
         "คนไทยพลัดถิ่น", "หลีเป๊ะ", "สาหร่าย", "คลองเตย", "โฉนดชุมชน", "บัตรประชาชน", "บัตรคนพิการ")
_WORD = re.compile(r"\w", re.UNICODE)
THAI = re.compile(r"[\u0e01-\u0e5b]")
_REFERENCE = Path(__file__).parent / "reference" / "data"


@cache
def _dictionary() -> Trie:
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import Trie

    words = set(thai_words()) | set(NAMES)
    for name in ("provinces.csv", "districts.csv"):
        with (_REFERENCE / name).open(encoding="utf-8", newline="") as handle:
            words |= {row["name_th"] for row in csv.DictReader(handle)}
    return Trie(words)


def segment(text: str) -> list[str]:
    """Words of `text`, lower-cased, without spaces and punctuation."""
    from pythainlp.tokenize import word_tokenize

    return [w.lower() for w in word_tokenize(text, engine="newmm", custom_dict=_dictionary())
            if _WORD.search(w)]


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """`text` cut into words, with its spaces and punctuation kept: joined again they are `text`."""
    if not THAI.search(text):
        return (text,)
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", custom_dict=_dictionary()))
