"""Ruam: participatory policy co-design. Domain services live in this package."""
