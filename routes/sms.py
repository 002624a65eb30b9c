"""POST /sms: Twilio's Messaging webhook. One <Message>, or none for opt-out words."""

from __future__ import annotations

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from helpline import fallback
from helpline.location import is_pin, match_pin
from helpline.match import is_opt_word, match_sms
from helpline.replies import sms_reply
from helpline.text import words
from routes import figures
from routes.state import current_router, now
from routes.twiml import twiml_response

bp = Blueprint("sms", __name__)


def message(text: str | None) -> str:
    """The TwiML for a reply: one <Message>, or none."""
    response = MessagingResponse()
    if text is not None:
        response.message(text)
    return str(response)


def fallback_sms(words: fallback.Words = fallback.BUILT_IN) -> str:
    """The 24/7 line and the 999 advice: on errors (in the words of the directory texted) and
    with no directory (built-in words)."""
    return message(words.sms)


FALLBACK = fallback_sms()


@bp.post("/sms", strict_slashes=False)
def incoming_sms() -> Response:
    form = request.form
    router = current_router(form.get("To", ""))
    body = form.get("Body", "")
    if router is None:
        if is_opt_word(words(body)):  # opt-out words need no directory: never a reply
            figures.record("silent", how="opt-out")
            return twiml_response(message(None))
        figures.record("fallback", how="no-directory")
        return twiml_response(FALLBACK)
    latitude, longitude = form.get("Latitude"), form.get("Longitude")
    if is_pin(latitude, longitude):  # a WhatsApp location: the pin, never its address or label
        match = match_pin(latitude, longitude, router.directory.services)
    else:
        match = match_sms(body, router.matcher, router.directory.menu_words, router.languages)
    figures.record(match.intent.value, how=match.how, services=match.services, router=router)
    return twiml_response(message(sms_reply(router.directory, match, now=now())))
