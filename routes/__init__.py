"""HTTP adapters: read Twilio's form, check its signature, render the core's answer as TwiML."""

from __future__ import annotations

from flask import Flask

from routes import health, sms, voice


def register(app: Flask) -> None:
    app.register_blueprint(health.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(voice.bp)
