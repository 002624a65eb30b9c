"""The WSGI entry point: `app` is what Zappa (`app.app`) and `flask --app app run` serve."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

import routes
from routes.state import load

# Twilio sends a few form fields; 64 KiB holds the largest (a 1,600-character WhatsApp or SMS body
# with every other parameter) many times over and bounds the work an oversized request can cause.
MAX_CONTENT_LENGTH = 64 * 1024


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `settings` taking precedence (tests use them).

    Settings: TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, HELPLINE_DIRECTORY (a directory file,
    or a folder of them; the shipped data/ folder when unset).
    """
    app = Flask(__name__)
    app.config.update(
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN", ""),
        PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL", ""),
        HELPLINE_DIRECTORY=os.environ.get("HELPLINE_DIRECTORY", ""),
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        # A signed OPTIONS gets the channel's fallback TwiML (through the 405 handler), not Flask's
        # empty automatic answer: every signed webhook request is answered in TwiML.
        PROVIDE_AUTOMATIC_OPTIONS=False,
    )
    app.config.update(settings or {})
    app.config["TWILIO_AUTH_TOKEN"] = (app.config["TWILIO_AUTH_TOKEN"] or "").strip()
    if not app.config["TWILIO_AUTH_TOKEN"]:
        app.logger.error(
            "TWILIO_AUTH_TOKEN is not set (or blank): every webhook will be refused with 403 until it is."
        )
    app.extensions["helpline"] = load(app.config["HELPLINE_DIRECTORY"] or None, app.logger)
    routes.register(app)
    return app


logging.getLogger("twilio").setLevel(logging.ERROR)
app = create_app()
