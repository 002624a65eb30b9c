"""HTTP adapters: read Twilio's form, check its signature, render the core's answer as TwiML."""

from __future__ import annotations

from flask import Flask

from routes import health, safety, sms, voice


def register(app: Flask) -> None:
    # "/voice//x" would be redirected (308) rather than answered: Twilio signs the URL it was given.
    app.url_map.merge_slashes = False
    app.register_blueprint(health.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(voice.bp)
    safety.answer_strays(app, {"sms": sms.FALLBACK, "voice": voice.FALLBACK})
