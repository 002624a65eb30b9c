"""`make run`: serve the webhooks on 127.0.0.1:5000 and show how to try them.

Without TWILIO_AUTH_TOKEN a throwaway local token is used, so the signed examples printed
here work; a real Twilio number needs the account's token.
"""

from __future__ import annotations

import os
import secrets
import shlex

from twilio.request_validator import RequestValidator

HOST, PORT = "127.0.0.1", 5000


def signed_curl(token: str, path: str, params: dict[str, str]) -> str:
    url = f"http://{HOST}:{PORT}{path}"
    signature = RequestValidator(token).compute_signature(url, params)
    fields = " ".join(f"--data-urlencode {shlex.quote(f'{k}={v}')}" for k, v in params.items())
    return f"curl -s {fields} -H 'X-Twilio-Signature: {signature}' {url}"


def main() -> None:
    token = os.environ.get("TWILIO_AUTH_TOKEN") or ""
    if not token:
        token = "local-" + secrets.token_hex(8)
        os.environ["TWILIO_AUTH_TOKEN"] = token
        print(f"TWILIO_AUTH_TOKEN is not set: using the local token {token} for this run only.")
    from app import app  # after the token is in the environment

    print(f"Serving the helpline router on http://{HOST}:{PORT} (Ctrl-C to stop).")
    print("Try it (requests are signed with the token above, as Twilio would sign them):")
    print(f"  curl -s http://{HOST}:{PORT}/healthz")
    print("  " + signed_curl(token, "/sms", {"From": "+447700900000", "Body": "WALES"}))
    print("  " + signed_curl(token, "/voice", {"From": "+447700900000"}))
    app.run(host=HOST, port=PORT, debug=False, use_reloader=False)


if __name__ == "__main__":
    main()
