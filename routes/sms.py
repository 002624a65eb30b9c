"""POST /sms: Twilio's Messaging webhook. One <Message>, or none for opt-out words."""

from __future__ import annotations

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from helpline import fallback
from helpline.match import match_sms
from helpline.replies import sms_reply
from routes.safety import answers_safely, twiml_response
from routes.signature import twilio_signed
from routes.state import current_router, now

bp = Blueprint("sms", __name__)


def _message(text: str | None) -> str:
    response = MessagingResponse()
    if text is not None:
        response.message(text)
    return str(response)


@bp.post("/sms")
@twilio_signed
@answers_safely(lambda: _message(fallback.SMS))
def incoming_sms() -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return twiml_response(_message(fallback.SMS))
    body = request.form.get("Body", "")
    match = match_sms(body, router.matcher, router.directory.menu_words, router.languages)
    return twiml_response(_message(sms_reply(router.directory, match, now=now())))


@bp.post("/sms/<path:rest>")
@twilio_signed
def unknown_sms_path(rest: str) -> Response:
    return twiml_response(_message(fallback.SMS))
