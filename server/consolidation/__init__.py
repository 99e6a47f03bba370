"""Numerical core of consolidation: pure functions from vote arrays to dataclasses.

matrix (the sparse vote matrix), support (per-group counts and intervals), opinion and
clustering (Pol.is opinion groups), repness (representative and consensus statements,
group-informed consensus), status (inclusive status, amendments), polis_export (reading
Pol.is exports), partitions (comparing groupings). No database here.
"""
