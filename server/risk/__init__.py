"""Climate risk by area, sector, hazard and declared group, made from the needs people told (docs/risk.md)."""
