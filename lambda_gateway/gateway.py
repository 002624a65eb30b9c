"""One Lambda event in, one answer out, whatever the event holds: it never raises.

An HTTP request gets the app's answer, or a plain 400 when the event cannot be read; keep-warm
pings and other events get None. Log lines name the kind of problem (an exception's type, a field
of the event format, a count), never a value or key from the event: its sender is not yet known
to be Twilio, and Twilio's events hold callers' numbers and words.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from lambda_gateway import events, wsgi

logger = logging.getLogger(__name__)


def respond(app: wsgi.WSGIApp, event: Any, site: events.Site) -> dict[str, Any] | None:
    """The proxy result for an HTTP request event, None for any other event."""
    if not isinstance(event, Mapping):
        logger.warning("Ignored a Lambda event that is not a JSON object (%s).", type(event).__name__)
        return None
    form = events.request_format(event)
    if form is None:
        if not _is_scheduled(event):
            logger.warning("Ignored a Lambda event that is not an HTTP request (fields: %d).", len(event))
        return None
    try:
        request = events.read(event, site)
    except events.Unreadable as exc:
        logger.warning("Refused an HTTP request event whose %s field could not be read.", exc)
        return wsgi.plain(form, 400, "Bad Request\n")
    except Exception as exc:  # a shape no test foresaw: still an answer, never an invocation error
        logger.error("Refused an HTTP request event that could not be read (%s).", type(exc).__name__)
        return wsgi.plain(form, 400, "Bad Request\n")
    try:
        status, headers, body = wsgi.call(app, wsgi.to_environ(request))
        return wsgi.to_result(form, status, headers, body)
    except Exception as exc:  # 5xx: Twilio turns to the number's fallback URL
        logger.error("The app failed outside its own error handling (%s).", type(exc).__name__)
        return wsgi.plain(form, 500, "Internal Server Error\n")


def _is_scheduled(event: Mapping[str, Any]) -> bool:
    """Zappa's keep-warm rule (`...-zappa-keep-warm-handler.keep_warm_callback`) sends a scheduled
    EventBridge event; its `keep_warm_callback` sends an empty one. Starting the instance was the point."""
    return not event or event.get("detail-type") == "Scheduled Event"
