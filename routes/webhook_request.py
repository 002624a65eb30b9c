"""Twilio's form, read as Twilio sends it: a few urlencoded fields with a Content-Length."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401  # registers the "werkzeug.url_quote" error handler used below
from flask import Request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

FORM_TYPE = "application/x-www-form-urlencoded"


class WebhookRequest(Request):
    """Flask's request, with a urlencoded body of known length read straight into the form.

    Every webhook reads the form (the signature covers it), and werkzeug's general parser, made
    for streams and uploads, was the largest single cost of a request under load. The result is
    the same form werkzeug gives (tests compare the two on arbitrary bodies): same decoding, the
    same empty form for a body that is not UTF-8, the same 413 above MAX_CONTENT_LENGTH.
    Anything else (multipart, chunked, no length) goes werkzeug's way.
    """

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        environ = self.environ
        length = environ.get("CONTENT_LENGTH", "")
        plain = (
            environ.get("CONTENT_TYPE", "").partition(";")[0] == FORM_TYPE
            and length.isascii()
            and length.isdigit()
            and "HTTP_TRANSFER_ENCODING" not in environ
        )
        if not plain:  # werkzeug's own reading of the headers decides
            super()._load_form_data()
            return
        size = int(length)
        limit = self.max_content_length
        if limit is not None and size > limit:
            raise RequestEntityTooLarge()
        body = environ["wsgi.input"].read(size) if size else b""
        if len(body) < size:
            raise ClientDisconnected()
        try:
            text = body.decode()
        except UnicodeDecodeError:
            fields = []
        else:
            fields = parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
        storage = self.parameter_storage_class
        # the body is consumed, as werkzeug leaves it
        self.__dict__.update(stream=BytesIO(), form=storage(fields), files=storage())
