"""Only Twilio may call the webhooks: every request must carry a valid X-Twilio-Signature."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import ParamSpec
from urllib.parse import quote

from flask import Response, current_app, request
from twilio.request_validator import RequestValidator, get_signature_algorithm

P = ParamSpec("P")

SUPPORTED_ALGORITHMS = frozenset({"HMAC_SHA1", "HMAC_SHA256"})
# What Flask's url_for leaves unescaped in a path: Twilio signs the URL as our TwiML wrote it.
_PATH_SAFE = "/!$&'()*+,:;=@"


def signed_url(*, quoted: bool = False) -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL + path when set, else the URL as Flask sees it.

    Behind a proxy or API Gateway the scheme Twilio used comes in X-Forwarded-Proto. The server
    hands over the path decoded; `quoted` escapes it again as url_for did when it wrote the URL.
    """
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup, not one per attribute
    query = req.query_string.decode("latin-1")
    path, root = req.path, req.script_root
    if quoted:
        path, root = quote(path, safe=_PATH_SAFE), quote(root, safe=_PATH_SAFE)
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        url = base.rstrip("/") + path
    else:
        forwarded = req.environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
        scheme = forwarded if forwarded in ("http", "https") else req.scheme
        url = f"{scheme}://{req.host}{root}{path}"
    return f"{url}?{query}" if query else url


class _Params(dict[str, list[str]]):
    """The form as twilio's validator reads it fastest: it asks `getall` first, and a werkzeug
    MultiDict answers only `getlist` (after a failed `getall`, for every field)."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def _signature_matches(validator: RequestValidator, signature: str, algorithm: str) -> bool:
    """Check the URL as seen, and, when they differ, as url_for escaped it (a service key with a
    space or an accent); both bind the same path to our token.

    The usual case, a signature of the URL exactly as seen, is tried first with one HMAC;
    `validate` (which also tries the URL with and without its port) decides the rest.
    """
    form = _Params(request.form.lists())
    seen = signed_url()
    if algorithm.upper() in SUPPORTED_ALGORITHMS:
        expected = validator.compute_signature(seen, form, algorithm)
        if hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            return True
    if validator.validate(seen, form, signature, algorithm):
        return True
    quoted = signed_url(quoted=True)
    return quoted != seen and validator.validate(quoted, form, signature, algorithm)


def _is_valid() -> bool:
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    if not token:
        current_app.logger.error("Webhook refused: TWILIO_AUTH_TOKEN is not set.")
        return False
    environ = request.environ  # headers read straight from it: the same values, without the lookups
    signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
    if not signature:
        current_app.logger.warning("Webhook refused: no X-Twilio-Signature header.")
        return False
    algorithm = get_signature_algorithm(environ.get("HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS"))
    if not _signature_matches(RequestValidator(token), signature, algorithm):
        current_app.logger.warning(
            "Webhook refused: X-Twilio-Signature does not match. If this is Twilio, check "
            "TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL."
        )
        return False
    return True


def twilio_signed(view: Callable[P, Response]) -> Callable[P, Response]:
    """Answer 403 unless the request is signed by Twilio with our token (fail closed)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            valid = _is_valid()
        except Exception as exc:  # a malformed request must not become a 500
            current_app.logger.warning("Webhook refused: signature check failed (%s).", type(exc).__name__)
            valid = False
        if not valid:
            return Response("Forbidden\n", status=403, mimetype="text/plain")
        return view(*args, **kwargs)

    return wrapper
