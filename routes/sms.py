"""POST /sms: Twilio's Messaging webhook. One <Message>, or none for opt-out words."""

from __future__ import annotations

import functools

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from helpline import fallback
from helpline.location import is_pin, match_pin
from helpline.match import is_opt_word, match_sms
from helpline.replies import sms_reply
from helpline.text import words
from routes import figures
from routes.safety import answers_safely, last_resort, twiml_response
from routes.signature import twilio_signed
from routes.state import current_router, now

bp = Blueprint("sms", __name__)


@functools.lru_cache(maxsize=512)
def _message(text: str | None) -> str:
    """The TwiML for a reply. Replies come from the directory alone (never the sender's words), so
    they are few, and each is built once per process."""
    response = MessagingResponse()
    if text is not None:
        response.message(text)
    return str(response)


FALLBACK = _message(fallback.SMS)
last_resort(bp, FALLBACK)


@bp.post("/sms", strict_slashes=False)
@twilio_signed
@answers_safely(FALLBACK)
def incoming_sms() -> Response:
    form = request.form
    router = current_router(form.get("To", "").removeprefix(figures.WHATSAPP))
    body = form.get("Body", "")
    if router is None:
        if is_opt_word(words(body)):  # opt-out words need no directory: never a reply
            figures.record("silent", how="opt-out")
            return twiml_response(_message(None))
        figures.record("fallback", how="no-directory")
        return twiml_response(FALLBACK)
    latitude, longitude = form.get("Latitude"), form.get("Longitude")
    if is_pin(latitude, longitude):  # a WhatsApp location: the pin, never its address or label
        match = match_pin(latitude, longitude, router.directory.services)
    else:
        match = match_sms(body, router.matcher, router.directory.menu_words, router.languages)
    figures.record(match.intent.value, how=match.how, services=match.services, router=router)
    return twiml_response(_message(sms_reply(router.directory, match, now=now())))


@bp.post("/sms/<path:rest>")
@twilio_signed
def unknown_sms_path(rest: str) -> Response:
    figures.record("fallback", how="unknown-path")
    return twiml_response(FALLBACK)
