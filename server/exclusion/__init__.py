"""Exclusion data: who cannot reach public services and why, given with its own consent (Thai PDPA)."""
