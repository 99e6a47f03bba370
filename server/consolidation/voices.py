"""Voices: comments on each clause grouped by similarity, with representatives for and against.

Comments per clause are few (tens, rarely hundreds), so plain bag-of-words cosine similarity
over segmented words is enough, exact and deterministic.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from typing import Any

from server.text import segment

SIMILAR = 0.35  # cosine similarity at which two comments say the same thing
FOR, AGAINST = {"support"}, {"oppose"}


@functools.lru_cache(maxsize=65_536)
def _vector(body: str) -> dict[str, float]:
    """Cached: every recompute of a round segments the same comments again (a round's thousands of comments
    cost a fifth of a second of Thai word segmentation). The dict is shared: callers only read it."""
    counts = Counter(segment(body))
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {w: v / norm for w, v in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def group_similar(comments: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Single-link clusters at SIMILAR, largest first; each cluster's most central comment first."""
    vectors = [_vector(c["body"]) for c in comments]
    n = len(comments)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    similarity = [[_cosine(vectors[i], vectors[j]) for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if similarity[i][j] >= SIMILAR:
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[root(i)].append(i)
    clusters = []
    for indices in members.values():
        central = sorted(indices, key=lambda i: (-sum(similarity[i][j] for j in indices), i))
        clusters.append([comments[i] for i in central])
    clusters.sort(key=lambda c: (-len(c), str(c[0]["id"])))
    return clusters


def _summary(comment: dict[str, Any], cluster_size: int) -> dict[str, Any]:
    return {"comment_id": str(comment["id"]), "stance": comment["stance"], "body": comment["body"],
            "similar": cluster_size - 1}


def voices(comments: list[dict[str, Any]]) -> dict[str, Any]:
    """For one clause: clusters of similar comments and the representative ones for and against."""
    clusters = group_similar(comments)
    result: dict[str, Any] = {"for": [], "against": [], "other": [],
                              "clusters": [[str(c["id"]) for c in cluster] for cluster in clusters]}
    for cluster in clusters:
        by_stance: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for comment in cluster:
            side = "for" if comment["stance"] in FOR else "against" if comment["stance"] in AGAINST else "other"
            by_stance[side].append(comment)
        for side, members in by_stance.items():
            if len(result[side]) < 3:
                result[side].append(_summary(members[0], len(members)))
    return result
