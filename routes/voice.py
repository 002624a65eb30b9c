"""POST /voice and the call steps its TwiML names. Call state lives in the URL path."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from twilio.twiml.voice_response import Gather as GatherVerb
from twilio.twiml.voice_response import VoiceResponse

from helpline import fallback, ivr
from helpline.directory import Directory
from routes.safety import answers_safely, twiml_response
from routes.signature import twilio_signed
from routes.state import current_router, now

bp = Blueprint("voice", __name__)

GATHER_TIMEOUT_SECONDS = 6
DIAL_TIMEOUT_SECONDS = 30


def link(state: ivr.Choose | ivr.Dialled) -> str:
    """The URL of the step that handles `state`: absolute under PUBLIC_BASE_URL, else a path
    that Twilio resolves against the URL it just called."""
    if isinstance(state, ivr.Choose):
        path = url_for("voice.choose", attempt=state.attempt)
    else:
        path = url_for("voice.dialled", service=state.service)
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        return base.rstrip("/") + path[len(request.script_root) :]
    return path


def render(directory: Directory, verbs: list[ivr.Verb]) -> str:
    """Say the core's verbs in TwiML, in the directory's voice and language."""
    voice = {"voice": directory.voice, "language": directory.language}
    response = VoiceResponse()
    for verb in verbs:
        if isinstance(verb, ivr.Say):
            response.say(verb.text, **voice)
        elif isinstance(verb, ivr.Gather):
            gather = GatherVerb(
                input="dtmf speech",
                num_digits=1,
                timeout=GATHER_TIMEOUT_SECONDS,
                speech_timeout="auto",
                action=link(verb.then),
                method="POST",
                language=directory.language,
                hints=", ".join(verb.hints),
            )
            for prompt in verb.prompts:
                gather.say(prompt, **voice)
            response.append(gather)
        elif isinstance(verb, ivr.Redirect):
            response.redirect(link(verb.then), method="POST")
        elif isinstance(verb, ivr.Dial):
            dial = response.dial(
                action=link(verb.then), method="POST", timeout=DIAL_TIMEOUT_SECONDS, answer_on_bridge=True
            )
            dial.number(verb.number)
        elif isinstance(verb, ivr.Hangup):
            response.hangup()
    return str(response)


def fallback_voice() -> str:
    """The national line, with no directory needed: used on errors and a broken directory."""
    response = VoiceResponse()
    response.say(fallback.VOICE, voice=fallback.VOICE_NAME, language=fallback.VOICE_LANGUAGE)
    response.dial(timeout=DIAL_TIMEOUT_SECONDS, answer_on_bridge=True).number(fallback.NATIONAL_NUMBER)
    response.say(fallback.VOICE_AFTER_DIAL, voice=fallback.VOICE_NAME, language=fallback.VOICE_LANGUAGE)
    response.hangup()
    return str(response)


@bp.post("/voice")
@twilio_signed
@answers_safely(fallback_voice)
def incoming_call() -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return twiml_response(fallback_voice())
    return twiml_response(render(router.directory, ivr.start(router.directory)))


@bp.post("/voice/choose/<int:attempt>")
@twilio_signed
@answers_safely(fallback_voice)
def choose(attempt: int) -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return twiml_response(fallback_voice())
    verbs = ivr.choose(
        router.directory,
        router.matcher,
        attempt,
        digits=request.form.get("Digits", ""),
        speech=request.form.get("SpeechResult", ""),
        now=now(),
    )
    return twiml_response(render(router.directory, verbs))


@bp.post("/voice/dialled/<service>")
@twilio_signed
@answers_safely(fallback_voice)
def dialled(service: str) -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return twiml_response(fallback_voice())
    status = request.form.get("DialCallStatus", "")
    return twiml_response(render(router.directory, ivr.after_dial(router.directory, service, status)))


@bp.post("/voice/<path:rest>")
@twilio_signed
def unknown_step(rest: str) -> Response:
    """A step this version does not know (an old URL, a typo): put the caller through."""
    return twiml_response(fallback_voice())
