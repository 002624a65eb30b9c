"""TwiML as an HTTP answer."""

from __future__ import annotations

from flask import Response


def twiml_response(xml: str) -> Response:
    return Response(xml, status=200, mimetype="text/xml")
