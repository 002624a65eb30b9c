"""Who may call a webhook, and what every failure answers: the caller always gets a helpline.

Registered on the app as hooks and error handlers, so they also cover paths no route takes.
"""

from __future__ import annotations

import traceback

from flask import Response, current_app, g, request
from werkzeug.exceptions import HTTPException, InternalServerError

from routes import figures, sms, voice
from routes.signature import called_path, is_signed
from routes.state import current_router
from routes.twiml import twiml_response

FALLBACKS = {"sms": sms.FALLBACK, "voice": voice.FALLBACK}
RENDER = {"sms": sms.fallback_sms, "voice": voice.fallback_voice}


def channel_of(path: str) -> str | None:
    """The webhook a path belongs to, by its first segment in any case: "/SMS", "/smsx" and
    "//sms" are near misses of /sms, and a signed one still deserves the channel's answer."""
    first = next((part for part in path.split("/") if part), "").lower()
    return next((channel for channel in FALLBACKS if first.startswith(channel)), None)


def require_signature() -> Response | None:
    """Before any webhook request, of any method: 403 unless Twilio signed it (fail closed)."""
    channel = channel_of(called_path())
    if channel is None:
        return None
    try:
        signed = is_signed()
    except Exception as exc:  # an unreadable request cannot be verified, and is not a 500
        current_app.logger.warning("Webhook refused: signature check failed (%s).", type(exc).__name__)
        signed = False
    if not signed:
        return Response("Forbidden\n", status=403, mimetype="text/plain")
    g.channel = channel
    return None


def answer_http_error(error: HTTPException) -> Response | HTTPException:
    """A signed webhook request that no route takes (an unknown step, GET instead of POST) gets
    its channel's fallback, not an HTML error page: Twilio would say "application error"."""
    channel = g.get("channel")
    if channel is None:
        return error
    figures.record("fallback", how="unknown-path")
    return twiml_response(_fallback(channel))


def answer_error(error: Exception) -> Response | HTTPException:
    """Any exception: logged by type and code location only, and a signed webhook still gets
    its channel's fallback (rendered at import, so nothing that broke can break it)."""
    current_app.logger.error("Webhook failed, answered with the national line: %s", describe_error(error))
    channel = g.get("channel")
    if channel is None:
        return InternalServerError()
    figures.record("fallback", how="error")
    return twiml_response(_fallback(channel))


def _fallback(channel: str) -> str:
    """The channel's last resort in the words of the directory of the number called, where they
    can be rendered; else the built-in words, rendered at import so that nothing that broke can
    break them."""
    try:
        router = current_router(request.form.get("To", ""))
        if router is not None:
            return RENDER[channel](router.fallback)
    except Exception as exc:
        current_app.logger.error("Fallback in the directory's words failed: %s", describe_error(exc))
    return FALLBACKS[channel]


def describe_error(exc: BaseException) -> str:
    """The error's type and where it happened, never its message: that can quote a caller's words."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where or 'unknown'}"
