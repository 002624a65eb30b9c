"""`make run`: serve the webhooks on 127.0.0.1 and show how to try them.

Without TWILIO_AUTH_TOKEN a throwaway local token is used, so the signed examples printed
here work; a real Twilio number needs the account's token.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import shlex

from twilio.request_validator import RequestValidator

HOST = "127.0.0.1"
_QUERY = re.compile(r"\?[^ \"]*")


class HideQueryStrings(logging.Filter):
    """The development server logs each request line; a query string there could hold what an
    unsigned sender chose to send, so it is cut from the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("?…", a) if isinstance(a, str) else a for a in record.args)
        return True


def signed_curl(token: str, port: int, path: str, params: dict[str, str]) -> str:
    url = f"http://{HOST}:{port}{path}"
    signature = RequestValidator(token).compute_signature(url, params)
    fields = " ".join(f"--data-urlencode {shlex.quote(f'{k}={v}')}" for k, v in params.items())
    return f"curl -s {fields} -H 'X-Twilio-Signature: {signature}' {url}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make run", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 5000))
    parser.add_argument("--directory", default=os.environ.get("HELPLINE_DIRECTORY") or "")
    args = parser.parse_args(argv)
    token = (os.environ.get("TWILIO_AUTH_TOKEN") or "").strip()
    if token:
        source = "with TWILIO_AUTH_TOKEN from the environment"
    else:
        token = "local-" + secrets.token_hex(8)
        os.environ["TWILIO_AUTH_TOKEN"] = token
        source = f"with the local token {token}, for this run only (TWILIO_AUTH_TOKEN is not set)"
    if args.directory:
        os.environ["HELPLINE_DIRECTORY"] = args.directory
    from app import app  # after the token and directory are in the environment
    from routes.state import current_router

    with app.app_context():
        router = current_router()
    served = "none: built-in national line only"
    if router is not None:
        served = f"{router.directory.path} ({router.directory.name})"
    print(f"Serving the helpline router on http://{HOST}:{args.port} (Ctrl-C to stop).")
    print(f"Directory: {served}")
    print(f"Try it (requests are signed {source}):")
    print(f"  curl -s http://{HOST}:{args.port}/healthz")
    print("  " + signed_curl(token, args.port, "/sms", {"From": "+447700900000", "Body": "WALES"}))
    print("  " + signed_curl(token, args.port, "/voice", {"From": "+447700900000"}))
    logging.getLogger("werkzeug").addFilter(HideQueryStrings())
    app.run(host=HOST, port=args.port, debug=False, use_reloader=False)


if __name__ == "__main__":
    main()
