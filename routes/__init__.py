"""HTTP adapters: read Twilio's form, check its signature, render the core's answer as TwiML."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from routes import figures, guard, health, sms, voice


def register(app: Flask) -> None:
    # "/voice//x" would be redirected (308) rather than answered: Twilio signs the URL it was given.
    app.url_map.merge_slashes = False
    app.before_request(figures.start_clock)
    app.before_request(guard.require_signature)
    app.after_request(figures.write_line)
    app.register_error_handler(HTTPException, guard.answer_http_error)
    app.register_error_handler(Exception, guard.answer_error)
    app.register_blueprint(health.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(voice.bp)
