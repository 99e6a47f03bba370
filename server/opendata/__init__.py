"""A published round as open data: tables with their data dictionary, and a Pol.is export."""
