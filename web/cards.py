"""What a re-entry card shows (web/templates/_card.html), on the person's own page and a facilitator's."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from server.auth import cards
from server.people.models import Participant
from web.qr import qr_svg


def shown(request: Request, person: Participant, plain: str) -> dict[str, Any]:
    """The person's name, the code as read aloud, and its QR code, which opens PUBLIC_URL/card/CODE."""
    url = f"{request.app.state.runtime.settings.public_url}/card/{plain}"
    return {"name": person.display_name, "code": cards.grouped(plain), "url": url, "qr": qr_svg(url)}
