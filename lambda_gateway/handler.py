"""The Lambda entry point, named by `lambda_handler` in zappa_settings.json.

Zappa's own handler imports boto3 and Zappa's deploy-time code on every cold start; this one starts the
app and nothing else. It does what the router needs of Zappa's: API Gateway REST, HTTP API and
function URL requests (gateway.py), and Zappa's keep-warm ping, answered without running a webhook. It
reads the settings Zappa writes into the package (zappa_settings.py) as Zappa's handler does.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

from lambda_gateway import events, gateway, ssm, wsgi


def _zappa_settings() -> Any:
    try:
        return importlib.import_module("zappa_settings")
    except ModuleNotFoundError:  # run outside a Zappa package
        return None


def _start() -> tuple[wsgi.WSGIApp, events.Site]:
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

    site = events.Site(
        stage=getattr(settings, "API_STAGE", None) or "",
        domain=getattr(settings, "DOMAIN", None) or "",
        base_path=getattr(settings, "BASE_PATH", None) or "",
    )
    return app, site


APP, SITE = _start()


def handler(event: Any, context: Any) -> dict[str, Any] | None:
    """An HTTP request gets the app's answer (400 when unreadable); anything else gets None."""
    return gateway.respond(APP, event, SITE)
