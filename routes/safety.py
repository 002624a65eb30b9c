"""Whatever goes wrong inside a webhook, the caller still gets a helpline and the 999 advice."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from typing import ParamSpec

from flask import Response, current_app

P = ParamSpec("P")


def describe_error(exc: BaseException) -> str:
    """The error's type and where it happened, without its message or values.

    An exception's message can quote the text that caused it (a caller's words or number),
    so only code locations are logged.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where or 'unknown'}"


def answers_safely(fallback: Callable[[], str]) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Turn any exception in the view into a 200 carrying `fallback()` TwiML."""

    def decorate(view: Callable[P, Response]) -> Callable[P, Response]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            try:
                return view(*args, **kwargs)
            except Exception as exc:
                current_app.logger.error(
                    "Webhook failed, answered with the national line: %s", describe_error(exc)
                )
                return twiml_response(fallback())

        return wrapper

    return decorate


def twiml_response(xml: str) -> Response:
    return Response(xml, status=200, mimetype="text/xml")
