"""Whatever goes wrong inside a webhook, the caller still gets a helpline and the 999 advice."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound

from routes import figures
from routes.signature import twilio_signed

P = ParamSpec("P")


def describe_error(exc: BaseException | None) -> str:
    """The error's type and where it happened, without its message or values.

    An exception's message can quote the text that caused it (a caller's words or number),
    so only code locations are logged.
    """
    if exc is None:
        return "unknown error"
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where or 'unknown'}"


def answers_safely(fallback: str) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Turn any exception in the view into a 200 carrying the `fallback` TwiML.

    The fallback is rendered once, when the module is imported, so that whatever broke the
    view (the TwiML library included) cannot break the answer of last resort.
    """

    def decorate(view: Callable[P, Response]) -> Callable[P, Response]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            try:
                return view(*args, **kwargs)
            except Exception as exc:
                current_app.logger.error(
                    "Webhook failed, answered with the national line: %s", describe_error(exc)
                )
                figures.record("fallback", how="error")
                return twiml_response(fallback)

        return wrapper

    return decorate


def last_resort(bp: Blueprint, fallback: str) -> None:
    """Answer `fallback` instead of a 500 for an error outside the view (a request hook, Flask)."""

    def answer(error: InternalServerError) -> Response:
        figures.record("fallback", how="error")
        return twiml_response(fallback)

    bp.register_error_handler(InternalServerError, answer)


def answer_strays(app: Flask, fallbacks: dict[str, str]) -> None:
    """A signed request to a webhook URL that no route takes (a trailing "//", GET instead of
    POST, a step this version lacks) gets its channel's fallback, not an HTML error page:
    Twilio would tell the caller "application error". Unsigned ones still get 403."""

    @twilio_signed
    def signed_stray(fallback: str) -> Response:
        figures.record("fallback", how="stray")
        return twiml_response(fallback)

    def answer(error: HTTPException) -> Response | HTTPException:
        fallback = fallbacks.get(request.path.lstrip("/").split("/", 1)[0])
        return error if fallback is None else signed_stray(fallback)

    app.register_error_handler(NotFound, answer)
    app.register_error_handler(MethodNotAllowed, answer)


class SafeFlask(Flask):
    """Flask, but an unhandled error is logged as its type and code location only: Flask's own
    log line carries the error's message, which can quote a caller's words."""

    def log_exception(
        self,
        exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        self.logger.error("Unhandled error in %s: %s", request.endpoint, describe_error(exc_info[1]))


def twiml_response(xml: str) -> Response:
    return Response(xml, status=200, mimetype="text/xml")
