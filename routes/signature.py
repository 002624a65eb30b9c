"""Only Twilio may call the webhooks: every request must carry a valid X-Twilio-Signature."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, request
from twilio.request_validator import HMAC_SHA1, HMAC_SHA256, RequestValidator, get_signature_algorithm

ALGORITHMS = frozenset({HMAC_SHA1, HMAC_SHA256})
# What Flask's url_for leaves unescaped in a path: Twilio signs the URL as our TwiML wrote it.
_PATH_SAFE = "/!$&'()*+,:;=@"


def called_path() -> str:
    """The path as the client sent it: werkzeug's `request.path` folds a leading "//" into "/",
    and Twilio signs the URL it called, doubled slashes included."""
    raw = request.environ.get("PATH_INFO") or "/"
    return raw.encode("latin-1").decode("utf-8", "replace")


def signed_url(*, quoted: bool = False) -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL + path when set, else the URL as Flask sees it.

    Behind a proxy or API Gateway the scheme Twilio used comes in X-Forwarded-Proto. `quoted`
    escapes the path again as url_for did when it wrote the URL into our TwiML.
    """
    path, root = called_path(), request.root_path
    if quoted:
        path, root = quote(path, safe=_PATH_SAFE), quote(root, safe=_PATH_SAFE)
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        url = base.rstrip("/") + path
    else:
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        scheme = forwarded if forwarded in ("http", "https") else request.scheme
        url = f"{scheme}://{request.host}{root}{path}"
    query = request.query_string.decode("utf-8", "replace")  # as the client wrote it
    return f"{url}?{query}" if query else url


def is_signed() -> bool:
    """True when the request carries Twilio's signature of this URL and form, made with our token.

    `validate` tries the URL as seen; the one retry is the URL as url_for escaped it (a service key
    with a space or an accent), which binds the same path to our token.
    """
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    if not token:
        current_app.logger.error("Webhook refused: TWILIO_AUTH_TOKEN is not set.")
        return False
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        current_app.logger.warning("Webhook refused: no X-Twilio-Signature header.")
        return False
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    if algorithm.upper() not in ALGORITHMS:  # checked here: twilio's own warning quotes the header
        current_app.logger.warning("Webhook refused: unsupported signature algorithm.")
        return False
    validator = RequestValidator(token)
    seen = signed_url()
    quoted = signed_url(quoted=True)
    if validator.validate(seen, request.form, signature, algorithm) or (
        quoted != seen and validator.validate(quoted, request.form, signature, algorithm)
    ):
        return True
    current_app.logger.warning(
        "Webhook refused: X-Twilio-Signature does not match. If this is Twilio, check "
        "TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL."
    )
    return False
