"""POST /voice and the call steps its TwiML names. Call state lives in the URL path."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from twilio.twiml.voice_response import Gather as GatherVerb
from twilio.twiml.voice_response import VoiceResponse

from helpline import fallback, ivr
from helpline.directory import Directory
from routes import figures
from routes.state import Router, current_router, now
from routes.twiml import twiml_response

bp = Blueprint("voice", __name__)

DIAL_TIMEOUT_SECONDS = 30
# DialCallStatus values Twilio sends; anything else is counted as "other".
DIAL_STATUSES = frozenset({"completed", "answered", "busy", "no-answer", "failed", "canceled"})


def link(state: ivr.Choose | ivr.Dialled) -> str:
    """The URL of the step that handles `state`: absolute under PUBLIC_BASE_URL, else a path
    that Twilio resolves against the URL it just called."""
    if isinstance(state, ivr.Choose):
        path = url_for("voice.choose", attempt=state.attempt, language=state.language)
    else:
        path = url_for("voice.dialled", service=state.service, language=state.language)
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        return base.rstrip("/") + path[len(request.script_root) :]
    return path


def render(directory: Directory, verbs: list[ivr.Verb]) -> str:
    """Say the core's verbs in TwiML, each in the voice of its language."""
    voices = {
        ivr.language_of(directory, code): {"voice": lang.voice, "language": lang.voice_language}
        for code, lang in directory.languages.items()
    }
    response = VoiceResponse()
    for verb in verbs:
        if isinstance(verb, ivr.Say):
            response.say(verb.text, **voices.get(verb.language, voices[""]))
        elif isinstance(verb, ivr.Gather):
            gather = GatherVerb(
                input="dtmf speech",
                num_digits=1,
                timeout=verb.timeout,
                speech_timeout="auto",
                action=link(verb.then),
                method="POST",
                language=voices.get(verb.then.language, voices[""])["language"],
                hints=", ".join(verb.hints),
            )
            for prompt in verb.prompts:
                gather.say(prompt.text, **voices.get(prompt.language, voices[""]))
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


def fallback_voice(words: fallback.Words = fallback.BUILT_IN) -> str:
    """Put the caller through to the 24/7 line, and read its number out if that fails: used on
    errors (in the words of the directory called) and with no directory (built-in words)."""
    response = VoiceResponse()
    response.say(words.voice, voice=words.voice_name, language=words.voice_language)
    response.dial(timeout=DIAL_TIMEOUT_SECONDS, answer_on_bridge=True).number(words.number)
    response.say(words.voice_after_dial, voice=words.voice_name, language=words.voice_language)
    response.hangup()
    return str(response)


FALLBACK = fallback_voice()


def answer(router: Router, verbs: list[ivr.Verb], how: str, attempt: int | None = None) -> Response:
    """Render the verbs, and tell the figures what they came to (never what the caller said).

    A menu asked again after a miss is the one whose count of misses went up from `attempt`."""
    dialled = [verb.then.service for verb in verbs if isinstance(verb, ivr.Dial)]
    gathers = [verb.then.attempt for verb in verbs if isinstance(verb, ivr.Gather)]
    if dialled:
        outcome = "connect"
    elif gathers:
        missed = attempt is not None and gathers[0] > attempt
        outcome = "not-understood" if missed else "menu"
    else:
        outcome = "ended"
    figures.record(outcome, how=how, services=dialled, router=router)
    return twiml_response(render(router.directory, verbs))


def no_directory() -> Response:
    figures.record("fallback", how="no-directory")
    return twiml_response(FALLBACK)


@bp.post("/voice", strict_slashes=False)
def incoming_call() -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return no_directory()
    return answer(router, ivr.start(router.directory), how="none")


@bp.post("/voice/choose/<int:attempt>", defaults={"language": ""})
@bp.post("/voice/<language>/choose/<int:attempt>")
def choose(attempt: int, language: str) -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return no_directory()
    digits = request.form.get("Digits", "")
    speech = request.form.get("SpeechResult", "")
    verbs = ivr.choose(
        router.directory,
        router.matcher,
        attempt,
        digits=digits,
        speech=speech,
        now=now(),
        language=language,
        languages=router.languages,
    )
    how = "keypad" if digits.strip() else "speech" if speech.strip() else "no-input"
    return answer(router, verbs, how, attempt)


@bp.post("/voice/dialled/<service>", defaults={"language": ""})
@bp.post("/voice/<language>/dialled/<service>")
def dialled(service: str, language: str) -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return no_directory()
    status = request.form.get("DialCallStatus", "")
    verbs = ivr.after_dial(router.directory, service, status, language)
    known = status.strip().lower()
    return answer(router, verbs, how=known if known in DIAL_STATUSES else "other")
