"""The Lambda entry point, named by `lambda_handler` in zappa_settings.json.

Zappa's own handler imports boto3 and Zappa's deploy-time code on every cold start; this one starts the
app and nothing else. It does what the router needs of Zappa's: API Gateway REST (v1) and HTTP API or
function URL (v2) requests, and Zappa's keep-warm ping, answered without running a webhook. It reads
the settings Zappa writes into the package (zappa_settings.py) as Zappa's handler does, and never logs
an event's contents: they hold callers' numbers and words.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

from lambda_gateway import ssm, wsgi

logger = logging.getLogger(__name__)


def _zappa_settings() -> Any:
    try:
        return importlib.import_module("zappa_settings")
    except ModuleNotFoundError:  # run outside a Zappa package
        return None


def _start() -> tuple[wsgi.WSGIApp, str, str, str]:
    """Once per instance, at cold start: log level, environment, the token, then the app."""
    settings = _zappa_settings()
    logging.getLogger().setLevel(getattr(settings, "LOG_LEVEL", None) or "WARNING")
    for key, value in (getattr(settings, "ENVIRONMENT_VARIABLES", None) or {}).items():
        os.environ[key] = value
    parameter = os.environ.get(ssm.PARAMETER_SETTING, "")
    if parameter:
        # Fails closed: an instance that cannot read its token raises here and answers nothing;
        # Lambda tries the start again on the next request; Twilio uses the fallback URL meanwhile.
        os.environ["TWILIO_AUTH_TOKEN"] = ssm.read_token(parameter)
    from app import app

    return (
        app,
        getattr(settings, "API_STAGE", None) or "",
        getattr(settings, "DOMAIN", None) or "",
        getattr(settings, "BASE_PATH", None) or "",
    )


APP, STAGE, DOMAIN, BASE_PATH = _start()


def _is_scheduled(event: wsgi.Event) -> bool:
    """Zappa's keep-warm rule (`...-zappa-keep-warm-handler.keep_warm_callback`) sends a scheduled
    EventBridge event; its `keep_warm_callback` sends an empty one. Starting the instance was the point."""
    return not event or event.get("detail-type") == "Scheduled Event"


def handler(event: Any, context: Any) -> dict[str, Any] | None:
    """An API Gateway request gets the app's answer; anything else gets None."""
    if not isinstance(event, dict):
        logger.warning("Ignored a Lambda event that is not a JSON object.")
        return None
    if wsgi.is_http_v2(event) or wsgi.is_http_v1(event):
        return _answer(event)
    if not _is_scheduled(event):
        fields = ", ".join(sorted(str(key) for key in event)[:10])
        logger.warning("Ignored a Lambda event that is not an API Gateway request (fields: %s).", fields)
    return None


def _answer(event: wsgi.Event) -> dict[str, Any]:
    try:
        environ = wsgi.to_environ(event, stage=STAGE, domain=DOMAIN, base_path=BASE_PATH)
    except Exception as exc:
        logger.warning("Refused an API Gateway event that could not be read (%s).", type(exc).__name__)
        return {"statusCode": 400, "headers": {"Content-Type": "text/plain"}, "body": "Bad Request\n"}
    status, headers, body = wsgi.call(APP, environ)
    return wsgi.to_result(event, status, headers, body)
