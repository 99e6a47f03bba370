"""For ASGI servers run by hand (`uvicorn server.asgi:app`); `ruam serve` builds the same app."""

from server import logs
from server.app import create_app
from server.config import Settings

settings = Settings.from_env()
logs.configure(settings.log_level, settings.log_format)  # uvicorn sets up its own loggers only; ours log requests (server/logs.py)
app = create_app(settings)
