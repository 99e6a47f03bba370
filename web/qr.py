"""QR codes drawn on the server as inline SVG (segno): no script, and nothing fetched from elsewhere."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """A QR code as an SVG element, sized by CSS (it has a viewBox and no width or height)."""
    return segno.make_qr(url, error="m").svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None)
