"""Numerical core of consolidation: pure functions from vote arrays to dataclasses.

matrix (the sparse vote matrix), support (per-group counts and intervals), opinion and
clustering (Pol.is opinion groups), repness (representative and consensus statements,
group-informed consensus), status (inclusive status, amendments), polis_export (reading
Pol.is exports), partitions (comparing groupings). No database here.
"""

import os

# OpenBLAS's threads wait for work by spinning. On a couple of cores shared with PostgreSQL and the web
# app, the SVD of a 2,000 × 900 round took 3.4 s of CPU and 9 s with two of them, 0.5 s and 2 s with
# one. OpenBLAS reads this when numpy first loads, and nothing in server/ loads numpy before this
# package; an operator's own setting is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
