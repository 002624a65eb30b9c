"""POST /voice and the call steps its TwiML names. Call state lives in the URL path."""

from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, request, url_for
from twilio.twiml.voice_response import Gather as GatherVerb
from twilio.twiml.voice_response import VoiceResponse

from helpline import fallback, ivr
from helpline.directory import Directory
from routes import figures
from routes.safety import answers_safely, last_resort, twiml_response
from routes.signature import twilio_signed
from routes.state import Router, current_router, now

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
    """Say the core's verbs in TwiML, each in the voice of its language.

    The same verbs always read the same, and a call has few distinct steps: each is built once
    per process. What `link` reads (the stage prefix, PUBLIC_BASE_URL) is part of the key.
    """
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    default = directory.default_language
    voices = tuple(
        ("" if code == default else code, lang.voice, lang.voice_language)
        for code, lang in directory.languages.items()
    )
    return _render(tuple(verbs), voices, request.script_root, base)


@functools.lru_cache(maxsize=512)
def _render(
    verbs: tuple[ivr.Verb, ...], voices: tuple[tuple[str, str, str], ...], root: str, base: str
) -> str:
    by_language = {code: {"voice": voice, "language": language} for code, voice, language in voices}
    response = VoiceResponse()
    for verb in verbs:
        if isinstance(verb, ivr.Say):
            response.say(verb.text, **by_language.get(verb.language, by_language[""]))
        elif isinstance(verb, ivr.Gather):
            listening = by_language.get(verb.then.language, by_language[""])
            gather = GatherVerb(
                input="dtmf speech",
                num_digits=1,
                timeout=verb.timeout,
                speech_timeout="auto",
                action=link(verb.then),
                method="POST",
                language=listening["language"],
                hints=", ".join(verb.hints),
            )
            for prompt in verb.prompts:
                gather.say(prompt.text, **by_language.get(prompt.language, by_language[""]))
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


FALLBACK = fallback_voice()
last_resort(bp, FALLBACK)


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
@twilio_signed
@answers_safely(FALLBACK)
def incoming_call() -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return no_directory()
    return answer(router, ivr.start(router.directory), how="none")


@bp.post("/voice/choose/<int:attempt>", defaults={"language": ""})
@bp.post("/voice/<language>/choose/<int:attempt>")
@twilio_signed
@answers_safely(FALLBACK)
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
@twilio_signed
@answers_safely(FALLBACK)
def dialled(service: str, language: str) -> Response:
    router = current_router(request.form.get("To", ""))
    if router is None:
        return no_directory()
    status = request.form.get("DialCallStatus", "")
    verbs = ivr.after_dial(router.directory, service, status, language)
    known = status.strip().lower()
    return answer(router, verbs, how=known if known in DIAL_STATUSES else "other")


@bp.post("/voice/<path:rest>")
@twilio_signed
def unknown_step(rest: str) -> Response:
    """A step this version does not know (an old URL, a typo): put the caller through."""
    figures.record("fallback", how="unknown-step")
    return twiml_response(FALLBACK)
