"""For ASGI servers run by hand (`uvicorn server.asgi:app`); `ruam serve` builds the same app."""

from server.app import create_app
from server.config import Settings

app = create_app(Settings.from_env())
