"""The WSGI entry point: `app` is what Zappa (`app.app`) and `flask --app app run` serve."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

import routes
from routes import figures
from routes.safety import SafeFlask
from routes.state import load_routers
from routes.webhook_request import WebhookRequest


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `settings` taking precedence (tests use them).

    Settings: TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, HELPLINE_DIRECTORY (a directory file,
    or a folder of them; the shipped data/ folder when unset).
    """
    app = SafeFlask(__name__)
    app.request_class = WebhookRequest
    app.config.update(
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN", ""),
        PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL", ""),
        HELPLINE_DIRECTORY=os.environ.get("HELPLINE_DIRECTORY", ""),
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.config.update(settings or {})
    if not app.config["TWILIO_AUTH_TOKEN"]:
        app.logger.error("TWILIO_AUTH_TOKEN is not set: every webhook will be refused with 403 until it is.")
    app.extensions["helpline"] = load_routers(app.config["HELPLINE_DIRECTORY"] or None, app.logger)
    routes.register(app)
    figures.install(app)
    return app


logging.getLogger("twilio").setLevel(logging.WARNING)
app = create_app()
